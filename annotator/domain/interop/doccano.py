"""doccano's JSONL export, a line a document: `{"id", "text", "label": [[start, end, "LABEL"],
…]}` (sequence labelling) or its `entities` form (`[{"start_offset", "end_offset", "label"}]`).
doccano exports one file per annotator (zipped); the file's name is the annotator's.

Offsets are read as code points. doccano's browser front end counts UTF-16 units, which differ
after a character outside the Basic Multilingual Plane (an emoji); its export gives no span
text to tell the two apart, so in such texts a span may land one place off per such character
before it (doccano/doccano#1931)."""

from dataclasses import replace
from pathlib import PurePath
from typing import Any

from ..import_records import Annotation, DocumentRecord, SpanRecord
from ..spans import span_problem

TOOL = "doccano"
FIELDS = ("label", "entities", "relations", "Comments", "cats")


def is_doccano(value: dict[str, Any]) -> bool:
    return "label" in value or "entities" in value


def with_doccano_spans(record: DocumentRecord, value: dict[str, Any]) -> DocumentRecord | str:
    """The record with the line's spans as the file's annotator's; or what is wrong with them."""
    if "label" in value and "entities" in value:
        return "give 'label' or 'entities', not both"
    spans = []
    if "label" in value:
        items = value["label"]
        if not isinstance(items, list):
            return "'label' must be a list of [start, end, label]"
        for number, item in enumerate(items):
            if not (isinstance(item, list) and len(item) == 3):
                return f"label[{number}] must be [start, end, label]"
            span = _span(record, *item, where=f"label[{number}]")
            if isinstance(span, str):
                return span
            spans.append(span)
    else:
        items = value["entities"]
        if not isinstance(items, list):
            return "'entities' must be a list of objects"
        for number, item in enumerate(items):
            if not isinstance(item, dict):
                return f"entities[{number}] must be an object"
            where = f"entities[{number}]"
            span = _span(
                record,
                item.get("start_offset"),
                item.get("end_offset"),
                item.get("label"),
                where=where,
            )
            if isinstance(span, str):
                return span
            spans.append(span)
    annotator = f"{TOOL}-{PurePath(record.source).stem}"
    external_id = record.external_id
    if external_id is None and isinstance(value.get("id"), int | str):
        external_id = str(value["id"])
    return replace(
        record, external_id=external_id, annotations=(Annotation(annotator, tuple(spans)),)
    )


def _span(record: DocumentRecord, start: Any, end: Any, label: Any, *, where: str):
    problem = span_problem(start, end, record.text)
    if problem:
        return f"{where}: {problem[1]}"
    if not isinstance(label, str) or not label:
        return f"{where}: the label must be a name"
    return SpanRecord(start, end, label)
