"""Reading brat standoff (a zip of .txt and .ann files) and CoNLL IOB2 token files."""

import io
import zipfile

import pytest

from annotator.domain.importers import DocumentRecord, RowError, read_documents

TEXT = "Russia struck Idlib.\nAt least 16 people were killed in\nMaarat al-Numan."


def read(name: str, data: bytes) -> list:
    return list(read_documents(name, io.BytesIO(data)))


def brat_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def spans_of(record: DocumentRecord) -> list[tuple[str, str, dict]]:
    [annotation] = record.annotations
    return [(record.text[s.start : s.end], s.label, s.attributes) for s in annotation.spans]


def test_brat_pairs_become_documents_with_their_annotators_spans():
    ann = (
        "T1\tACTOR 0 6\tRussia\n"
        "T2\tLOCATION 14 19\tIdlib\n"
        "A1\trole T2 event_location\n"
        "A2\tverified T2\n"
        "T3\tLOCATION 51 57;58 69\tin Maarat al-Numan\n"  # fragments across the line break
        "#1\tAnnotatorNotes T1\ta note\n"
    )
    ann = ann.replace("51 57;58 69\tin Maarat al-Numan", "52 54;55 70\tin Maarat al-Numan")
    [record] = read("alice.zip", brat_zip({"doc1.txt": TEXT, "doc1.ann": ann}))
    assert isinstance(record, DocumentRecord)
    assert record.text == TEXT and record.external_id == "doc1"
    assert record.annotations[0].annotator == "brat-alice"
    assert spans_of(record) == [
        ("Russia", "ACTOR", {}),
        ("Idlib", "LOCATION", {"role": "event_location", "verified": True}),
        ("in\nMaarat al-Numan", "LOCATION", {}),
    ]


LINKED = "At least 16 people were killed in Idlib by Russia."


def test_brat_relations_become_links_between_the_annotators_spans():
    ann = (
        "R1\tperpetrator Arg1:T1 Arg2:T3\n"  # a relation may come before its spans
        "T1\tCASUALTY_FIGURE 9 18\t16 people\n"
        "T2\tLOCATION 34 39\tIdlib\n"
        "T3\tACTOR 43 49\tRussia\n"
        "R2\tlocated_at Arg1:T1 Arg2:T2\n"
    )
    [record] = read("alice.zip", brat_zip({"d.txt": LINKED, "d.ann": ann}))
    [annotation] = record.annotations
    assert sorted(
        (
            link.kind,
            LINKED[link.source[0] : link.source[1]],
            LINKED[link.target[0] : link.target[1]],
        )
        for link in annotation.links
    ) == [("located_at", "16 people", "Idlib"), ("perpetrator", "16 people", "Russia")]


@pytest.mark.parametrize(
    ("relation", "reason"),
    [
        ("R1\tlocated_at Arg1:T1 Arg2:T9", "Arg2: 'T9' is no text-bound span"),
        ("R1\tlocated_at Arg1:T2 Arg2:T1", "source: A located at link starts at a CASUALTY_FIGURE"),
        ("R1\tlocated_at Arg1:T1 Arg2:T3", "target: A located at link ends at a LOCATION span"),
        ("R1\tcaused_by Arg1:T1 Arg2:T3", "kind: Unknown link kind 'caused_by'"),
        ("R1\tlocated_at T1 T2", "a relation needs 'R<n><tab>kind Arg1:T<n> Arg2:T<n>'"),
    ],
)
def test_a_bad_brat_relation_is_an_error_naming_the_ann_line(relation, reason):
    ann = (
        "T1\tCASUALTY_FIGURE 9 18\t16 people\n"
        "T2\tLOCATION 34 39\tIdlib\n"
        "T3\tACTOR 43 49\tRussia\n"
        f"{relation}\n"
    )
    [error] = read("b.zip", brat_zip({"d.txt": LINKED, "d.ann": ann}))
    assert isinstance(error, RowError)
    assert (error.source, error.line) == ("b.zip/d.ann", 4)
    assert reason in error.reason


def test_a_brat_span_whose_text_differs_is_an_error_naming_the_ann_line():
    ann = "T1\tACTOR 0 6\tRussia\nT2\tLOCATION 14 19\tAleppo\n"
    [error] = read("b.zip", brat_zip({"d.txt": TEXT, "d.ann": ann}))
    assert isinstance(error, RowError)
    assert str(error) == "b.zip/d.ann:2: its text 'Aleppo' is not the text at [14, 19)"


def test_a_brat_span_in_fragments_with_words_between_is_refused():
    ann = "T1\tACTOR 0 6;14 19\tRussia Idlib\n"
    [error] = read("b.zip", brat_zip({"d.txt": TEXT, "d.ann": ann}))
    assert "fragments with text between them" in error.reason


def test_conll_documents_are_rebuilt_with_their_tagged_spans():
    conll = (
        "-DOCSTART- O\n\n"
        "Russia B-ACTOR\nstruck O\nIdlib B-LOCATION\n. O\n\n"
        "At O\nleast O\n16 B-CASUALTY_FIGURE\npeople I-CASUALTY_FIGURE\n\n"
        "-DOCSTART- O\n\n"
        "Maarat B-LOCATION\nal-Numan I-LOCATION\n"
    )
    first, second = read("bob.conll", conll.encode())
    assert first.text == "Russia struck Idlib .\nAt least 16 people\n"
    assert spans_of(first) == [
        ("Russia", "ACTOR", {}),
        ("Idlib", "LOCATION", {}),
        ("16 people", "CASUALTY_FIGURE", {}),
    ]
    assert first.annotations[0].annotator == "conll-bob"
    assert spans_of(second) == [("Maarat al-Numan", "LOCATION", {})]


def test_a_bad_conll_tag_is_an_error_with_its_line_and_its_document_is_left_out():
    conll = "-DOCSTART- O\n\nRussia B-ACTOR\nstruck X-Y\n\n-DOCSTART- O\n\nIdlib B-LOCATION\n"
    rows = read("c.iob", conll.encode())
    assert [str(row) for row in rows if isinstance(row, RowError)] == [
        "c.iob:4: 'X-Y' is not an IOB2 tag (O, B-LABEL or I-LABEL)"
    ]
    [kept] = [row for row in rows if isinstance(row, DocumentRecord)]
    assert kept.text == "Idlib\n"
