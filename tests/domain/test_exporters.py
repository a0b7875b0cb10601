import csv
import io
import json

import pytest

from annotator.domain.exporters import (
    ExportDocument,
    ExportLink,
    ExportSpan,
    UnwritableValue,
    brat_ann,
    casualty_rows,
    conll_lines,
    hf_record,
    iob2_names,
    iob2_tags,
    json_line,
    jsonl_lines,
)

TEXT = "Pro-Assad forces killed 16 civilians 👩‍👧 in Idlib Province.\nThe White Helmets said so."


def span(phrase, label, text=TEXT, **extra):
    start = text.index(phrase)
    return ExportSpan(start, start + len(phrase), label, **extra)


def document(*spans, text=TEXT, **extra):
    return ExportDocument(id=7, text=text, spans=tuple(spans), **extra)


def test_jsonl_spans_carry_their_text_in_code_points_after_an_emoji():
    gold = document(
        span("16 civilians", "CASUALTY_FIGURE", attributes={"outcome": "killed"}),
        span("Idlib", "LOCATION", decision="accepted", annotators=("A1",), variants=("A2",)),
        agreement={"exact_f1": 0.5},
        external_id="x-1",
    )
    [line] = list(jsonl_lines([gold]))
    record = json.loads(line)
    assert record["id"] == 7 and record["external_id"] == "x-1"
    assert record["agreement"] == {"exact_f1": 0.5}
    for item in record["spans"]:
        assert record["text"][item["start"] : item["end"]] == item["text"]
    idlib = record["spans"][1]
    assert (idlib["text"], idlib["decision"], idlib["annotators"], idlib["variants"]) == (
        "Idlib",
        "accepted",
        ["A1"],
        ["A2"],
    )
    assert "annotations" not in record


def test_jsonl_layers_give_each_annotators_own_spans():
    gold = document(
        span("Idlib", "LOCATION"),
        layers={"A2": (span("Idlib Province", "LOCATION"),), "A1": (span("Idlib", "LOCATION"),)},
    )
    record = json.loads(next(jsonl_lines([gold], layers=True)))
    assert list(record["annotations"]) == ["A1", "A2"]
    assert record["annotations"]["A2"][0]["text"] == "Idlib Province"


def test_iob2_tags_begin_and_continue_each_span():
    tags = dict(iob2_tags(document(span("Idlib Province", "LOCATION")), problems := []))
    assert (tags["Idlib"], tags["Province"], tags["forces"]) == ("B-LOCATION", "I-LOCATION", "O")
    assert problems == []


def test_two_adjacent_spans_of_one_label_stay_two_entities():
    text = "Idlib Aleppo"
    tags = iob2_tags(
        document(span("Idlib", "LOCATION", text), span("Aleppo", "LOCATION", text), text=text), []
    )
    assert [tag for _, tag in tags] == ["B-LOCATION", "B-LOCATION"]


def test_an_overlapping_span_is_reported_not_silently_dropped():
    problems = []
    outer = span("Idlib Province", "LOCATION")
    inner = span("Idlib", "ACTOR")
    tags = dict(iob2_tags(document(outer, inner), problems))
    assert tags["Idlib"] == "B-LOCATION"  # the outer span is kept
    [problem] = problems
    assert problem.span == inner and "overlaps" in str(problem) and "document 7" in str(problem)


def test_a_span_ending_inside_a_token_is_widened_and_reported():
    problems = []
    clipped = ExportSpan(TEXT.index("civilians"), TEXT.index("civilians") + 8, "ACTOR")
    tags = dict(iob2_tags(document(clipped), problems))
    assert tags["civilians"] == "B-ACTOR"
    assert "token boundaries" in problems[0].reason


def read_conll(lines):
    """Entities (document, first token, last token, label) from IOB2 lines, as seqeval reads."""
    entities, document_number, index, current = [], -1, 0, None
    for line in "".join(lines).split("\n"):
        if line.startswith("-DOCSTART-"):
            document_number, index = document_number + 1, 0
            continue
        if not line:
            continue
        _token, tag = line.rsplit(" ", 1)
        if tag.startswith("B-"):
            current = [document_number, index, index, tag[2:]]
            entities.append(current)
        elif tag.startswith("I-"):
            assert current and current[3] == tag[2:], line
            current[2] = index
        else:
            current = None
        index += 1
    return [tuple(entity) for entity in entities]


def test_conll_reads_back_to_the_same_entities_with_sentences_and_documents_apart():
    documents = [
        document(span("16 civilians", "CASUALTY_FIGURE"), span("Idlib Province", "LOCATION")),
        document(span("White Helmets", "ACTOR")),
    ]
    lines = list(conll_lines(documents, problems := []))
    text = "".join(lines)
    assert text.count("-DOCSTART-") == 2
    assert "Province I-LOCATION\n. O\n\nThe O" in text  # a sentence ends at its full stop
    entities = read_conll(lines)
    assert [label for *_, label in entities] == ["CASUALTY_FIGURE", "LOCATION", "ACTOR"]
    assert problems == []


def test_brat_offsets_match_the_text_and_attributes_follow():
    gold = document(
        span(
            "16 civilians",
            "CASUALTY_FIGURE",
            attributes={"outcome": "killed", "additive": True, "victim_subgroup": ["children"]},
        ),
        span("Idlib Province", "LOCATION", attributes={"role": None}),
    )
    lines = brat_ann(gold).splitlines()
    assert (
        lines[0] == f"T1\tCASUALTY_FIGURE {TEXT.index('16')} {TEXT.index('16') + 12}\t16 civilians"
    )
    assert "A1\tadditive T1" in lines
    assert "A2\toutcome T1 killed" in lines
    assert "A3\tvictim_subgroup T1 children" in lines
    for line in lines:
        if line.startswith("T"):
            _, where, shown = line.split("\t")
            _label, *offsets = where.replace(";", " ").split(" ")
            pieces = [
                TEXT[int(a) : int(b)] for a, b in zip(offsets[::2], offsets[1::2], strict=True)
            ]
            assert " ".join(pieces) == shown


def test_a_brat_span_across_a_line_break_is_written_in_fragments():
    start = TEXT.index("Province")
    end = TEXT.index("White") + 5
    [line] = brat_ann(document(ExportSpan(start, end, "LOCATION"))).splitlines()
    newline = TEXT.index("\n")
    assert f"{start} {newline};{newline + 1} {end}" in line


def test_the_casualty_table_has_one_row_per_figure_and_no_formulas():
    gold = document(
        span("16 civilians", "CASUALTY_FIGURE", attributes={"outcome": "killed", "value": 16}),
        span("Idlib", "LOCATION"),
        title='=HYPERLINK("http://x")',
    )
    output = io.StringIO()
    csv.writer(output).writerows(casualty_rows([gold]))
    header, row = list(csv.reader(io.StringIO(output.getvalue())))
    assert header[:6] == ["document_id", "external_id", "title", "start", "end", "text"]
    values = dict(zip(header, row, strict=True))
    assert values["text"] == "16 civilians" and values["value"] == "16"
    assert values["title"].startswith("'=")


@pytest.mark.parametrize(
    ("gold", "where"),
    [
        (document(metadata={"source": "SANA", "score": float("nan")}), "metadata.score is NaN"),
        (
            document(span("16 civilians", "CASUALTY_FIGURE", attributes={"value": float("inf")})),
            "spans[0].attributes.value is Infinity",
        ),
        (document(agreement={"exact_f1": float("-inf")}), "agreement.exact_f1 is -Infinity"),
    ],
)
def test_a_value_json_cannot_hold_stops_the_export_naming_document_and_field(gold, where):
    with pytest.raises(UnwritableValue) as refused:
        list(jsonl_lines([gold]))
    assert str(refused.value) == (
        f"document 7: {where}, which JSON cannot hold; correct the value and export again"
    )


def test_hugging_face_records_are_standard_json_too():
    record = hf_record(document(span("Idlib", "LOCATION")), iob2_names(["LOCATION"]), [])
    assert json.loads(json_line(record))["spans"][0]["text"] == "Idlib"
    with pytest.raises(UnwritableValue, match="document 7: score is NaN"):
        json_line({**record, "score": float("nan")})


def key(phrase, label, text=TEXT):
    start = text.index(phrase)
    return (start, start + len(phrase), label)


LINKED = {
    "links": (
        ExportLink("located_at", key("16 civilians", "CASUALTY_FIGURE"), key("Idlib", "LOCATION")),
        ExportLink(
            "perpetrator", key("16 civilians", "CASUALTY_FIGURE"), key("Pro-Assad forces", "ACTOR")
        ),
        ExportLink(
            "attributed_to", key("16 civilians", "CASUALTY_FIGURE"), key("White Helmets", "ACTOR")
        ),
    )
}
LINKED_SPANS = (
    span("White Helmets", "ACTOR"),
    span("Idlib", "LOCATION"),
    span("16 civilians", "CASUALTY_FIGURE", attributes={"outcome": "killed"}),
    span("Pro-Assad forces", "ACTOR"),
)


def test_jsonl_links_point_at_the_documents_spans_by_their_index():
    [line] = list(jsonl_lines([document(*LINKED_SPANS, **LINKED)]))
    record = json.loads(line)
    named = [
        (
            link["kind"],
            record["spans"][link["source"]]["text"],
            record["spans"][link["target"]]["text"],
        )
        for link in record["links"]
    ]
    assert sorted(named) == [
        ("attributed_to", "16 civilians", "White Helmets"),
        ("located_at", "16 civilians", "Idlib"),
        ("perpetrator", "16 civilians", "Pro-Assad forces"),
    ]


def test_a_document_without_links_has_an_empty_list():
    [line] = list(jsonl_lines([document(*LINKED_SPANS)]))
    assert json.loads(line)["links"] == []


def test_brat_writes_links_as_relations_between_the_text_bound_spans():
    ann = brat_ann(document(*LINKED_SPANS, **LINKED))
    spans = {
        line.split("\t")[0]: line.split("\t")[2] for line in ann.splitlines() if line[0] == "T"
    }
    relations = [line.split("\t")[1].split(" ") for line in ann.splitlines() if line[0] == "R"]
    named = sorted((kind, spans[a[5:]], spans[b[5:]]) for kind, a, b in relations)
    assert named == [
        ("attributed_to", "16 civilians", "White Helmets"),
        ("located_at", "16 civilians", "Idlib"),
        ("perpetrator", "16 civilians", "Pro-Assad forces"),
    ]
    assert all(
        line.startswith(f"R{n}\t")
        for n, line in enumerate((line for line in ann.splitlines() if line[0] == "R"), start=1)
    )


def test_the_casualty_table_names_each_figures_place_perpetrator_and_source():
    header, row = list(casualty_rows([document(*LINKED_SPANS, **LINKED)]))
    values = dict(zip(header, row, strict=True))
    assert values["text"] == "16 civilians"
    assert (values["place"], values["perpetrator"], values["source"]) == (
        "Idlib",
        "Pro-Assad forces",
        "White Helmets",
    )


def test_an_unlinked_figure_has_empty_link_columns():
    header, row = list(casualty_rows([document(*LINKED_SPANS)]))
    values = dict(zip(header, row, strict=True))
    assert (values["place"], values["perpetrator"], values["source"]) == ("", "", "")
