"""Label Studio's JSON export: a list of tasks, each with `data.text` and `annotations`, whose
`result` items of type `labels` are spans (`value.start`, `value.end`, `value.text`,
`value.labels`). Cancelled annotations are left out; `completed_by` names the annotator;
`ground_truth` marks the reference annotation. Offsets are UTF-16 code units (the browser's),
converted when a text holds characters outside the Basic Multilingual Plane."""

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, BinaryIO

from ..import_checks import FileRefused
from ..import_records import Annotation, DocumentRecord, ImportRow, RowError, SpanRecord
from ..importers import make_record, read_whole
from ..spans import span_problem
from .json_array import ArrayError, array_items
from .offsets import Utf16Offsets, span_in_code_points

TOOL = "label-studio"


def read_label_studio(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    text = read_whole(stream)
    try:
        for line, task in array_items(text):
            yield _task(source, line, task)
    except ArrayError as error:
        # The items after a break in the array cannot be found: refuse the file, not a row.
        raise FileRefused(error.line, error.reason) from None


def _task(source: str, line: int, task: Any) -> ImportRow:
    if not isinstance(task, dict):
        return RowError(source, line, "expected a task object")
    data = task.get("data")
    if not isinstance(data, dict) or "text" not in data:
        return RowError(source, line, "the task has no 'data.text' (the text it annotates)")
    meta = {name: value for name, value in data.items() if name not in ("text", "title")}
    record = make_record(
        source,
        line,
        {"text": data["text"], "external_id": task.get("id"), "title": data.get("title")},
        meta=meta,
    )
    if isinstance(record, RowError):
        return replace(record, reason=record.reason.replace("field '", "field 'data."))
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        return RowError(source, line, "'annotations' must be a list")
    read: list[Annotation] = []
    converted = 0
    utf16 = Utf16Offsets(record.text)
    for number, annotation in enumerate(annotations):
        where = f"annotations[{number}]"
        if not isinstance(annotation, dict):
            return RowError(source, line, f"{where} must be an object")
        if annotation.get("was_cancelled"):
            continue
        spans = []
        for index, result in enumerate(annotation.get("result") or []):
            if not isinstance(result, dict) or result.get("type") != "labels":
                continue  # choices, relations, ratings: not spans
            span = _span(record, result.get("value"), utf16)
            if isinstance(span, str):
                return RowError(source, line, f"{where}.result[{index}]: {span}")
            spans.extend(span[0])
            converted += span[1]
        read.append(
            Annotation(
                annotator=f"{TOOL}-{_annotator(annotation.get('completed_by'), number)}",
                spans=tuple(spans),
                ground_truth=bool(annotation.get("ground_truth")),
            )
        )
    return replace(record, annotations=tuple(read), utf16_spans=converted)


def _span(
    record: DocumentRecord, value: Any, utf16: Utf16Offsets
) -> tuple[list[SpanRecord], int] | str:
    """The spans of one result (one per label), and 1 if its offsets were UTF-16; or why not."""
    if not isinstance(value, dict):
        return "'value' must be an object"
    start, end, labels, shown = (value.get(k) for k in ("start", "end", "labels", "text"))
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        return "'value.labels' must be a list of label names"
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        return "'value.start' and 'value.end' must be whole numbers"
    placed = span_in_code_points(
        record.text, start, end, shown if isinstance(shown, str) else None, utf16
    )
    if placed is None:
        return (
            f"its text '{shown}' is not the document's text at [{start}, {end}), counted in "
            "code points or in UTF-16 units"
        )
    start, end, converted = placed
    problem = span_problem(start, end, record.text)
    if problem:
        return f"value.{problem[0]}: {problem[1]}"
    return [SpanRecord(start, end, label) for label in labels], int(converted)


def _annotator(completed_by: Any, number: int) -> str:
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("id", completed_by.get("email"))
    if completed_by is None:
        return f"annotation-{number}"
    return str(completed_by)
