"""The spaCy DocBin, loaded by spaCy itself; and the CoNLL file's tags, read by spaCy's IOB
functions, give back the gold."""

from pathlib import Path

import pytest

from annotator.domain.exporters import ExportDocument, ExportSpan, conll_lines
from annotator.domain.exporters_spacy import docbin_bytes

spacy = pytest.importorskip("spacy", reason="spaCy is the [spacy] extra, installed with [dev]")

SEED = sorted((Path(__file__).parents[2] / "fixtures" / "seeds").glob("*.txt"))[0]
TEXT = "Pro-Assad forces  killed 16 civilians 👩‍👧\r\nin Idlib Province.\n\nقتل ١٦ مدنياً"


def span(text, phrase, label):
    start = text.index(phrase)
    return ExportSpan(start, start + len(phrase), label)


def load(data: bytes):
    from spacy.tokens import DocBin

    return list(DocBin().from_bytes(data).get_docs(spacy.blank("xx").vocab))


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        (
            TEXT,
            [
                ("Pro-Assad forces", "ACTOR"),
                ("16 civilians", "CASUALTY_FIGURE"),
                ("Idlib", "LOCATION"),
                ("١٦ مدنياً", "CASUALTY_FIGURE"),
            ],
        ),
        (
            SEED.read_text(encoding="utf-8"),
            [("White Helmets", "ACTOR"), ("Idlib Province", "LOCATION")],
        ),
    ],
    ids=["emoji, CRLF, two spaces, Arabic", "seed article"],
)
def test_spacy_loads_the_docbin_and_its_entities_are_the_gold(text, phrases, tmp_path):
    gold = ExportDocument(
        id=3, text=text, spans=tuple(span(text, phrase, label) for phrase, label in phrases)
    )
    problems = []
    (tmp_path / "gold.spacy").write_bytes(docbin_bytes([gold], problems))

    from spacy.tokens import DocBin

    [doc] = DocBin().from_disk(tmp_path / "gold.spacy").get_docs(spacy.blank("xx").vocab)
    assert doc.text == text
    assert sorted((e.start_char, e.end_char, e.label_) for e in doc.ents) == sorted(
        (s.start, s.end, s.label) for s in gold.spans
    )
    assert doc.user_data["id"] == 3
    assert problems == []


def test_an_overlapping_span_is_reported_and_the_outer_one_kept():
    outer, inner = span(TEXT, "Idlib Province", "LOCATION"), span(TEXT, "Idlib", "ACTOR")
    problems = []
    [doc] = load(docbin_bytes([ExportDocument(id=1, text=TEXT, spans=(outer, inner))], problems))
    assert [(e.text, e.label_) for e in doc.ents] == [("Idlib Province", "LOCATION")]
    assert [problem.span for problem in problems] == [inner]


def test_spacy_reads_the_conll_tags_back_to_the_gold_entities():
    from spacy.tokens import Doc
    from spacy.training import biluo_tags_to_offsets, iob_to_biluo

    spans = (
        span(TEXT, "16 civilians", "CASUALTY_FIGURE"),
        span(TEXT, "Idlib Province", "LOCATION"),
    )
    text = "".join(conll_lines([ExportDocument(id=1, text=TEXT, spans=spans)], []))
    rows = [line.rsplit(" ", 1) for line in text.splitlines() if line and "-DOCSTART-" not in line]
    words, tags = [word for word, _ in rows], [tag for _, tag in rows]
    doc = Doc(spacy.blank("xx").vocab, words=words)
    found = biluo_tags_to_offsets(doc, iob_to_biluo(tags))  # refuses a malformed sequence
    assert [(doc.text[start:end], label) for start, end, label in found] == [
        ("16 civilians", "CASUALTY_FIGURE"),
        ("Idlib Province", "LOCATION"),
    ]
