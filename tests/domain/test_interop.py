"""Reading other tools' exports: Label Studio's JSON and doccano's JSONL (alone or zipped).

The samples in fixtures/interop were made by the real tools (Label Studio 1.23, doccano 1.8)
from the same 50 documents and the same two annotators' work.
"""

import io
import json
import random
import zipfile

from django.conf import settings

from annotator.domain.importers import DocumentRecord, RowError, read_documents
from annotator.domain.interop.offsets import Utf16Offsets

IN_ZIP = ".txt, .jsonl, .ndjson, .csv, .json, .conll, .iob, .ann (brat)"
INTEROP = settings.BASE_DIR / "fixtures" / "interop"
LABEL_STUDIO = INTEROP / "label-studio-export-50.json"
DOCCANO = INTEROP / "doccano-export-50.zip"


def read(name: str, data: bytes) -> list:
    return list(read_documents(name, io.BytesIO(data)))


def records(rows) -> list[DocumentRecord]:
    return [row for row in rows if isinstance(row, DocumentRecord)]


def errors(rows) -> list[str]:
    return [str(row) for row in rows if isinstance(row, RowError)]


def span_sets(record: DocumentRecord) -> dict[str, set[tuple[int, int, str]]]:
    return {
        annotation.annotator: {(span.start, span.end, span.label) for span in annotation.spans}
        for annotation in record.annotations
    }


# Label Studio -------------------------------------------------------------------------------


def result(start: int, end: int, text: str, *labels: str, kind: str = "labels") -> dict:
    return {
        "from_name": "label",
        "to_name": "text",
        "type": kind,
        "value": {"start": start, "end": end, "text": text, "labels": list(labels)},
    }


def annotation(completed_by, *results, **extra) -> dict:
    return {"completed_by": completed_by, "result": list(results), "was_cancelled": False, **extra}


def task(text: str, *annotations, task_id: int = 1, **data) -> dict:
    return {"id": task_id, "data": {"text": text, **data}, "annotations": list(annotations)}


def label_studio(*tasks, indent=None) -> bytes:
    return json.dumps(list(tasks), indent=indent, ensure_ascii=False).encode()


def test_label_studio_sample_reads_every_task_with_both_annotators_spans():
    raw = json.loads(LABEL_STUDIO.read_text(encoding="utf-8"))
    rows = list(read_documents(LABEL_STUDIO.name, LABEL_STUDIO.open("rb")))
    assert errors(rows) == []
    assert len(rows) == 50
    for record, source in zip(rows, raw, strict=True):
        assert record.external_id == str(source["id"])
        assert record.text == source["data"]["text"]
        assert record.meta == {"doc_id": source["data"]["doc_id"]}
        assert [a.annotator for a in record.annotations] == ["label-studio-1", "label-studio-2"]
        assert all(a.ground_truth for a in record.annotations)  # as the sample marks them
        expected = {
            f"label-studio-{a['completed_by']}": {
                (r["value"]["start"], r["value"]["end"], label)
                for r in a["result"]
                for label in r["value"]["labels"]
            }
            for a in source["annotations"]
        }
        assert span_sets(record) == expected
        shown = {
            (r["value"]["start"], r["value"]["end"]): r["value"]["text"]
            for a in source["annotations"]
            for r in a["result"]
        }
        for layer in record.annotations:
            for span in layer.spans:
                assert record.text[span.start : span.end] == shown[span.start, span.end]
        assert record.utf16_spans == 0  # no text of the sample leaves the BMP


def test_label_studio_cancelled_annotation_is_left_out_and_other_results_ignored():
    text = "Russia struck Idlib; 3 people were killed."
    data = label_studio(
        task(
            text,
            annotation(
                7,
                result(0, 6, "Russia", "ACTOR"),
                {"type": "choices", "value": {"choices": ["relevant"]}},
                {"type": "relation", "from_id": "a", "to_id": "b"},
                result(14, 19, "Idlib", "LOCATION", "ACTOR"),  # two labels: two spans
            ),
            annotation(8, result(0, 6, "Russia", "LOCATION"), was_cancelled=True),
            annotation({"id": 9, "email": "c@example.org"}, result(21, 22, "3", "CASUALTY_FIGURE")),
            task_id=42,
        )
    )
    [record] = read("ls.json", data)
    assert record.external_id == "42"
    assert span_sets(record) == {
        "label-studio-7": {(0, 6, "ACTOR"), (14, 19, "LOCATION"), (14, 19, "ACTOR")},
        "label-studio-9": {(21, 22, "CASUALTY_FIGURE")},
    }


def test_label_studio_utf16_offsets_are_converted_to_code_points():
    # A browser counts "💥" as two UTF-16 units; Python as one code point.
    text = "Near 💥 Idlib, 😀 3 killed"
    idlib, three = text.index("Idlib"), text.index("3")
    data = label_studio(
        task(
            text,
            annotation(
                1,
                result(0, 4, "Near", "LOCATION"),  # before any emoji: both counts agree
                result(idlib + 1, idlib + 6, "Idlib", "LOCATION"),
                result(three + 2, three + 3, "3", "CASUALTY_FIGURE"),
            ),
        )
    )
    [record] = read("ls.json", data)
    [layer] = record.annotations
    covered = [(record.text[s.start : s.end], s.label) for s in layer.spans]
    assert covered == [("Near", "LOCATION"), ("Idlib", "LOCATION"), ("3", "CASUALTY_FIGURE")]
    assert [(s.start, s.end) for s in layer.spans][1:] == [(idlib, idlib + 5), (three, three + 1)]
    assert record.utf16_spans == 2


def test_label_studio_span_whose_text_matches_neither_count_names_the_result():
    text = "Near 💥 Idlib, 3 killed"
    start = text.index("Idlib")
    data = label_studio(
        task(
            text,
            annotation(1, result(0, 4, "Near", "LOCATION")),
            annotation(
                2, result(0, 4, "Near", "LOCATION"), result(start, start + 5, "Aleppo", "X")
            ),
        ),
        task("Plain text here.", annotation(1, result(0, 5, "Other", "ACTOR"))),
        indent=2,
    )
    rows = read("ls.json", data)
    assert records(rows) == []
    assert len(errors(rows)) == 2
    first, second = (row for row in rows if isinstance(row, RowError))
    assert first.line == 2 and "annotations[1].result[1]" in first.reason
    assert "'Aleppo'" in first.reason and "UTF-16" in first.reason
    assert second.line > first.line and "annotations[0].result[0]" in second.reason


def test_label_studio_malformed_files_are_row_errors_with_lines():
    good = json.dumps(task("A report."))
    cases = {
        # not an array
        json.dumps({"data": {"text": "x"}}): (1, "expected a JSON array of tasks"),
        # an item that is not an object
        f"[\n{good},\n42,\n{good.replace('A report', 'B report')}\n]": (
            3,
            "expected a task object",
        ),
        # a task without data.text
        f'[\n{good},\n{{"id": 2, "data": {{"title": "no text"}}}}\n]': (
            3,
            "the task has no 'data.text'",
        ),
        # NaN is not JSON
        f'[\n{good},\n{{"data": {{"text": "t", "score": NaN}}}}\n]': (
            3,
            "NaN is not a JSON number",
        ),
        # stops half-way
        f'[\n{good},\n{{"data": {{"text": "cut o': (3, "invalid JSON"),
        # two items without a comma
        f"[\n{good}\n{good}\n]": (3, "expected ',' or ']'"),
    }
    for content, (line, reason) in cases.items():
        rows = read("bad.json", content.encode())
        [error] = [row for row in rows if isinstance(row, RowError)]
        assert (error.source, error.line) == ("bad.json", line), content
        assert reason in error.reason, (content, error.reason)


def test_label_studio_item_errors_leave_the_other_tasks_readable():
    data = f'[\n{json.dumps(task("First."))},\n"oops",\n{json.dumps(task("Third."))}\n]'
    rows = read("mixed.json", data.encode())
    assert [r.text for r in records(rows)] == ["First.", "Third."]
    assert errors(rows) == ["mixed.json:3: expected a task object"]


# doccano ------------------------------------------------------------------------------------


def jsonl(*objects) -> bytes:
    return b"".join(json.dumps(obj, ensure_ascii=False).encode() + b"\n" for obj in objects)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_doccano_sample_reads_one_record_per_line_per_annotator():
    with zipfile.ZipFile(DOCCANO) as archive:
        lines = {
            name: [json.loads(line) for line in archive.read(name).splitlines()]
            for name in ("admin.jsonl", "annb.jsonl")
        }
    rows = list(read_documents(DOCCANO.name, DOCCANO.open("rb")))
    assert errors(rows) == []
    assert len(rows) == 100
    expected = [(f"doccano-{name[:-6]}", line) for name in sorted(lines) for line in lines[name]]
    for record, (annotator, line) in zip(rows, expected, strict=True):
        assert record.text == line["text"]
        assert record.external_id == str(line["id"])
        assert record.meta == {"doc_id": line["doc_id"]}
        assert span_sets(record) == {annotator: {tuple(item) for item in line["label"]}}
    assert {r.source for r in rows} == {f"{DOCCANO.name}/admin.jsonl", f"{DOCCANO.name}/annb.jsonl"}


def test_both_samples_hold_the_same_annotations():
    studio = list(read_documents(LABEL_STUDIO.name, LABEL_STUDIO.open("rb")))
    doccano: dict[str, dict] = {}
    for record in read_documents(DOCCANO.name, DOCCANO.open("rb")):
        doccano.setdefault(record.text, {}).update(span_sets(record))
    for record in studio:
        layers = span_sets(record)
        assert doccano[record.text] == {
            "doccano-admin": layers["label-studio-1"],
            "doccano-annb": layers["label-studio-2"],
        }


def test_doccano_label_and_entities_forms_are_both_read():
    text = "Russia struck Idlib; 3 killed."
    data = jsonl(
        {"id": 1, "text": text, "label": [[0, 6, "ACTOR"], [14, 19, "LOCATION"]], "doc_id": "d1"},
        {
            "id": 2,
            "text": text + " Again.",
            "entities": [{"id": 9, "start_offset": 21, "end_offset": 22, "label": "CASUALTY"}],
            "relations": [],
            "source": "wire",
        },
    )
    first, second = read("ann1.jsonl", data)
    assert span_sets(first) == {"doccano-ann1": {(0, 6, "ACTOR"), (14, 19, "LOCATION")}}
    assert span_sets(second) == {"doccano-ann1": {(21, 22, "CASUALTY")}}
    assert (first.external_id, first.meta) == ("1", {"doc_id": "d1"})
    assert (second.external_id, second.meta) == ("2", {"source": "wire"})


def test_doccano_bad_spans_are_row_errors_naming_the_item():
    text = "Russia struck Idlib."
    data = jsonl(
        {"text": text, "label": [[0, 6, "ACTOR"], [10, 4, "LOCATION"]]},
        {"text": text, "entities": [{"start_offset": 14, "end_offset": 99, "label": "LOCATION"}]},
        {"text": text, "label": [[0, 6]]},
        {"text": text, "label": [[0, 6, "ACTOR"]], "entities": []},
        {"text": text, "label": [[0, 6, ""]]},
    )
    assert errors(read("a.jsonl", data)) == [
        "a.jsonl:1: label[1]: 'end' must be greater than 'start'",
        "a.jsonl:2: entities[0]: 'end' is past the end of the text (20 characters)",
        "a.jsonl:3: label[0] must be [start, end, label]",
        "a.jsonl:4: give 'label' or 'entities', not both",
        "a.jsonl:5: label[0]: the label must be a name",
    ]


def test_unknown_fields_are_still_refused_outside_doccano_lines():
    [error] = read("ours.jsonl", jsonl({"text": "A report.", "doc_id": "d1"}))
    assert isinstance(error, RowError) and "unknown field 'doc_id'" in error.reason


# Zip archives -------------------------------------------------------------------------------


def test_zip_members_of_unsupported_types_are_row_errors_and_the_rest_is_read():
    inner = zipped({"a.txt": b"Inner text."})
    data = zipped(
        {
            "docs/a.txt": b"A text in the zip.",
            "notes.pdf": b"%PDF",
            "nested.zip": inner,
            "__MACOSX/._a.txt": b"junk",
            ".DS_Store": b"junk",
        }
    )
    rows = read("bundle.zip", data)
    assert [r.text for r in records(rows)] == ["A text in the zip."]
    assert sorted(errors(rows)) == [
        f"bundle.zip/nested.zip:1: unsupported file type in the zip (it may hold {IN_ZIP})",
        f"bundle.zip/notes.pdf:1: unsupported file type in the zip (it may hold {IN_ZIP})",
    ]


def test_a_file_that_is_not_a_zip_is_refused():
    assert errors(read("fake.zip", b"PK but not really a zip")) == ["fake.zip:1: not a zip archive"]


class Unseekable:
    """A stream that can only be read forward, like the CLI's progress-counting reader."""

    def __init__(self, data: bytes):
        self._stream = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)


def test_a_zip_read_from_a_stream_that_cannot_seek_is_still_read():
    rows = list(read_documents("doccano.zip", Unseekable(DOCCANO.read_bytes())))
    assert errors(rows) == [] and len(rows) == 100


def test_label_studio_json_inside_a_zip_is_read():
    data = zipped({"export.json": label_studio(task("Inside a zip.", annotation(1)))})
    [record] = read("bundle.zip", data)
    assert record.source == "bundle.zip/export.json"
    assert span_sets(record) == {"label-studio-1": set()}


# UTF-16 offsets -----------------------------------------------------------------------------


ALPHABET = "ab \n\u00e9\u4e2d\u200d\ufeff\U0001f4a5\U0001f600\U00020000\U0010ffff"


def test_utf16_offsets_map_to_code_points_as_python_counts_them():
    generator = random.Random(20250101)
    for _ in range(500):
        text = "".join(generator.choices(ALPHABET, k=generator.randrange(0, 40)))
        offsets = Utf16Offsets(text)
        assert offsets.differ == any(ord(char) > 0xFFFF for char in text)
        for index in range(len(text) + 1):
            utf16 = len(text[:index].encode("utf-16-le")) // 2
            assert offsets.code_point(utf16) == index, (text, index)


def test_utf16_offsets_of_a_text_inside_the_bmp_are_unchanged():
    offsets = Utf16Offsets("قتل 16 مدنيا in Idlib")
    assert not offsets.differ
    assert [offsets.code_point(n) for n in range(5)] == [0, 1, 2, 3, 4]
