import io
import json

import pytest

from annotator.domain.importers import (
    DocumentRecord,
    ImportReport,
    RowError,
    file_kind,
    read_documents,
)


def read(name: str, data: bytes) -> list:
    return list(read_documents(name, io.BytesIO(data)))


def only_errors(rows):
    return [str(row) for row in rows if isinstance(row, RowError)]


def jsonl(*objects) -> bytes:
    return b"".join(json.dumps(obj).encode() + b"\n" for obj in objects)


# Plain text -----------------------------------------------------------------------------------


def test_txt_is_one_document_stored_exactly_with_first_line_as_title():
    raw = "\n  Pro-Assad strikes kill 16  \r\nBody with ’curly’ and 'straight' quotes.\r\n"
    [record] = read("a.txt", raw.encode())
    assert record == DocumentRecord(
        source="a.txt", line=1, text=raw, title="Pro-Assad strikes kill 16"
    )


def test_txt_byte_order_mark_is_not_part_of_the_text():
    [record] = read("bom.txt", "\ufeffHello".encode())
    assert record.text == "Hello"


def test_txt_invalid_utf8_names_the_line_and_byte():
    assert only_errors(read("bad.txt", b"line one\nline two \xe9t\xe9\n")) == [
        "bad.txt:2: the file is not UTF-8 (it looks like Windows-1252 or Latin-1, Western "
        "European): byte 18 (line 2, column 10) is 0xe9; save it as UTF-8 and import it again"
    ]


def test_txt_utf16_is_refused_with_advice():
    rows = read("u16.txt", "Hello".encode("utf-16"))
    assert only_errors(rows) == [
        "u16.txt:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as "
        "UTF-8 and import it again"
    ]


def test_binary_file_renamed_txt_is_refused():
    [error] = read("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert isinstance(error, RowError) and error.whole_file
    assert error.reason == "binary file, not text: it is a PNG image"


def test_empty_txt_is_refused():
    assert only_errors(read("empty.txt", b"\n \n")) == ["empty.txt:1: the document is empty"]


def test_unsupported_file_type_is_refused():
    assert only_errors(read("report.pdf", b"%PDF")) == [
        "report.pdf:1: unsupported file type (expected one of .txt, .jsonl, .ndjson, .csv, "
        ".json, .conll, .iob, .zip)"
    ]
    assert file_kind("X.NDJSON") == "jsonl"


# JSON Lines -----------------------------------------------------------------------------------


def test_jsonl_records_carry_their_fields_and_line_numbers():
    data = jsonl(
        {"text": "First 👩‍👧 text", "external_id": "a-1", "title": "T", "meta": {"url": "u"}},
        {"text": "Second\r\ntext", "external_id": 42},
    )
    first, second = read("docs.jsonl", data)
    assert first == DocumentRecord("docs.jsonl", 1, "First 👩‍👧 text", "T", "a-1", {"url": "u"})
    assert (second.line, second.text, second.external_id, second.title) == (
        2,
        "Second\r\ntext",
        "42",
        "Second",
    )


def test_jsonl_blank_lines_are_skipped_but_counted():
    data = b'{"text": "a"}\n\n   \n{"text": "b"}\n'
    assert [row.line for row in read("x.jsonl", data)] == [1, 4]


def test_jsonl_bom_on_first_line_is_accepted():
    [record] = read("x.jsonl", "\ufeff".encode() + b'{"text": "a"}')
    assert record.text == "a"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "a"', "invalid JSON: Expecting ',' delimiter"),
        (b'["text"]', "expected a JSON object"),
        (b'{"title": "no text"}', "field 'text' is required and must be a string"),
        (b'{"text": 5}', "field 'text' is required and must be a string"),
        (b'{"text": ""}', "field 'text': the document is empty"),
        (b'{"text": "a\\u0000b"}', "field 'text': contains a NUL character"),
        (b'{"text": "a\\ud800b"}', "field 'text': contains a lone surrogate (U+D800)"),
        (b'{"text": "a", "meta": {"score": NaN}}', "invalid JSON: NaN is not a JSON number"),
        (b'{"text": "a", "meta": [1]}', "field 'meta' must be a JSON object"),
        (b'{"text": "a", "meta": {"k": "\\u0000"}}', "field 'meta': contains a NUL character"),
        (b'{"text": "a", "title": 3}', "field 'title' must be a string"),
        (b'{"text": "a", "external_id": true}', "field 'external_id' must be a string or"),
        (b'{"text": "a", "labels": []}', "unknown field 'labels' (allowed: text, external_id"),
    ],
)
def test_jsonl_bad_lines_are_named_with_their_reason(line, reason):
    data = b'{"text": "good"}\n' + line + b"\n"
    [good, error] = read("in.jsonl", data)
    assert isinstance(good, DocumentRecord)
    assert isinstance(error, RowError)
    assert error.line == 2
    assert error.reason.startswith(reason)


def test_jsonl_overlong_title_is_refused():
    [error] = read("x.jsonl", jsonl({"text": "a", "title": "t" * 301}))
    assert error.reason == "field 'title' is longer than 300 characters"


# CSV ------------------------------------------------------------------------------------------


def test_csv_other_columns_go_to_meta_and_text_keeps_its_line_endings():
    data = (
        b"external_id,title,text,source,date\r\n"
        b'e1,Title one,"Line one\r\nline two",SANA,2019-07-24\r\n'
        b"e2,,Plain text,,\r\n"
    )
    first, second = read("d.csv", data)
    assert first.text == "Line one\r\nline two"
    assert first.meta == {"source": "SANA", "date": "2019-07-24"}
    assert first.line == 2
    assert (second.line, second.external_id, second.title) == (4, "e2", "Plain text")


def test_csv_without_text_column_is_refused_at_the_header():
    assert only_errors(read("d.csv", b"body,title\nx,y\n")) == [
        "d.csv:1: no 'text' column in the header (columns: body, title)"
    ]


def test_csv_row_with_wrong_field_count_is_named():
    data = b"text,title\nok,fine\nbad\nalso,fine\n"
    assert only_errors(read("d.csv", data)) == ["d.csv:3: the row has 1 fields; the header has 2"]


def test_csv_invalid_utf8_refuses_the_file_not_a_crash():
    data = b"text\ngood\nbad \x81\ngood again\n"
    rows = read("d.csv", data)
    assert only_errors(rows) == [
        "d.csv:3: the file is not UTF-8: byte 14 (line 3, column 5) is 0x81; save it as UTF-8 "
        "and import it again"
    ]
    assert rows[-1].whole_file


def test_csv_duplicate_header_is_refused():
    assert only_errors(read("d.csv", b"text,text\na,b\n")) == [
        "d.csv:1: column 'text' appears more than once in the header"
    ]


def test_csv_empty_file_is_refused():
    assert only_errors(read("d.csv", b"")) == [
        "d.csv:1: the file is empty; expected a header row with a 'text' column"
    ]


def test_csv_unbalanced_quote_stops_with_the_row_named():
    data = b'text\nfine\n"broken"quote\n'
    assert only_errors(read("d.csv", data)) == ["d.csv:3: invalid CSV: ',' expected after '\"'"]


def test_reading_streams_line_by_line():
    class LinesOnly(io.BytesIO):
        def read(self, size=-1):
            if size is None or size < 0:
                raise AssertionError("a JSONL import must not read the whole file at once")
            return super().read(size)

    rows = list(read_documents("x.jsonl", LinesOnly(jsonl({"text": "a"}, {"text": "b"}))))
    assert len(rows) == 2


# Report ---------------------------------------------------------------------------------------


def test_report_summary_for_a_committed_import():
    report = ImportReport(created=5, duplicates=2, errors=(), committed=True)
    assert report.summary() == "5 imported, 2 duplicates skipped, 0 rejected"


def test_report_summary_for_a_rolled_back_import_says_nothing_was_imported():
    report = ImportReport(
        created=1000, duplicates=0, errors=(RowError("f.jsonl", 7, "bad"),), committed=False
    )
    assert report.imported == 0
    assert report.summary().startswith("0 imported, 0 duplicates skipped, 1 rejected. Nothing")
    assert "1000 good rows" in report.summary()


def gold_line(**changes) -> bytes:
    record = {
        "text": "Russia struck Idlib.",
        "sha256": "",
        "spans": [{"start": 14, "end": 19, "label": "LOCATION", "text": "Idlib"}],
    }
    record.update(changes)
    if record["sha256"] == "":
        from annotator.domain.documents import text_sha256

        record["sha256"] = text_sha256(record["text"])
    return json.dumps(record).encode()


def test_an_exported_line_brings_its_gold_spans():
    [record] = read_documents("gold.jsonl", io.BytesIO(gold_line()))
    assert [(s.start, s.end, s.label, s.decision) for s in record.gold] == [
        (14, 19, "LOCATION", "accepted")
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"sha256": "0" * 64}, "field 'sha256' does not match the text"),
        ({"spans": [{"start": 14, "end": 99, "label": "LOCATION"}]}, "spans[1].end: 'end' is past"),
        (
            {"spans": [{"start": 14, "end": 19, "label": "LOCATION", "text": "Idli"}]},
            "spans[1].text is not the text at [14, 19)",
        ),
        ({"spans": [{"start": 14, "end": 19}]}, "spans[1].label must be a label key"),
        (
            {"spans": [{"start": 14, "end": 19, "label": "X", "decision": "guessed"}]},
            "spans[1].decision must be one of",
        ),
        ({"spans": "Idlib"}, "field 'spans' must be a list"),
    ],
)
def test_bad_gold_in_an_exported_line_is_named(changes, reason):
    [error] = read_documents("gold.jsonl", io.BytesIO(gold_line(**changes)))
    assert isinstance(error, RowError) and error.line == 1
    assert reason in error.reason


LINKED_SPANS = [
    {"start": 0, "end": 6, "label": "ACTOR"},
    {"start": 14, "end": 19, "label": "LOCATION"},
    {"start": 21, "end": 30, "label": "CASUALTY_FIGURE"},
]
LINKED_TEXT = "Russia struck Idlib. 7 killed."


def test_an_exported_line_brings_its_gold_links_and_ignored_regions():
    line = gold_line(
        text=LINKED_TEXT,
        spans=LINKED_SPANS,
        links=[
            {"kind": "located_at", "source": 2, "target": 1},
            {"kind": "perpetrator", "source": 2, "target": 0},
        ],
        ignored=[[7, 13], [0, 6]],
    )
    [record] = read_documents("gold.jsonl", io.BytesIO(line))
    assert [(link.kind, link.source, link.target) for link in record.links] == [
        ("located_at", (21, 30, "CASUALTY_FIGURE"), (14, 19, "LOCATION")),
        ("perpetrator", (21, 30, "CASUALTY_FIGURE"), (0, 6, "ACTOR")),
    ]
    assert record.ignored == ((0, 6), (7, 13))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"links": [{"kind": "located_at", "source": 2, "target": 3}]},
            "links[1].target: there is no span 3",
        ),
        (
            {"links": [{"kind": "located_at", "source": True, "target": 1}]},
            "links[1].source: must be the index",
        ),
        (
            {"links": [{"kind": "located_at", "source": 0, "target": 1}]},
            "links[1].source: A located at link starts at a CASUALTY_FIGURE span",
        ),
        (
            {"links": [{"kind": "perpetrator", "source": 2, "target": 1}]},
            "links[1].target: A perpetrator link ends at a ACTOR span",
        ),
        (
            {"links": [{"kind": "near", "source": 2, "target": 1}]},
            "links[1].kind: Unknown link kind 'near'",
        ),
        (
            {"links": [{"kind": "located_at", "source": 2, "target": 1}] * 2},
            "links[2].target: These spans are already linked",
        ),
        ({"links": [[2, 1]]}, "links[1] must be an object"),
        ({"links": {"0": 1}}, "field 'links' must be a list"),
        (
            {"ignored": [[5, 99]]},
            "ignored[1]: [5, 99) is not a stretch of the text (30 characters)",
        ),
        ({"ignored": [[6, 6]]}, "ignored[1]: [6, 6) is not a stretch"),
        ({"ignored": [[0, "6"]]}, "ignored[1]: must be [start, end], two whole numbers"),
        ({"ignored": [[10, 20], [0, 12]]}, "ignored[2]: overlaps ignored[1]"),
        ({"ignored": "0-6"}, "field 'ignored' must be a list"),
    ],
)
def test_bad_links_and_ignored_regions_in_an_exported_line_are_named(changes, reason):
    line = gold_line(text=LINKED_TEXT, spans=LINKED_SPANS, **changes)
    [error] = read_documents("gold.jsonl", io.BytesIO(b"\n" + line))
    assert isinstance(error, RowError) and error.line == 2
    assert reason in str(error) and str(error).startswith("gold.jsonl:2: ")


def test_csv_field_longer_than_a_document_refuses_the_file_naming_the_line():
    data = b'text\nfine\n"' + b"x" * 600_000 + b"\n" + b"y" * 500_000 + b'"\nafter\n'
    rows = read("open.csv", data)
    assert [row.text for row in rows if isinstance(row, DocumentRecord)] == ["fine"]
    assert only_errors(rows) == [
        "open.csv:3: invalid CSV: a field is longer than 1,000,000 characters, the longest a "
        "document may be (by line 4; is a quote left open?)"
    ]
    assert rows[-1].whole_file


def test_csv_unclosed_quote_refuses_the_file_since_the_rows_after_it_are_unread():
    [error] = [
        row
        for row in read("d.csv", b'text\nfine\n"broken"quote\nlater\n')
        if isinstance(row, RowError)
    ]
    assert error.whole_file
