"""Parse document files into records, one record or one row error at a time.

A pipeline in the doccano manner: read bytes → decode → parse → make a record. Each reader
streams, so memory stays flat whatever the file size (a .txt file is one document and is read
whole). Every problem becomes a `RowError` naming the file and line; nothing here raises for
bad input, so the caller can report every bad row at once. A file that cannot be read on (not
UTF-8 text, too large, a CSV quote never closed) is one error marked `whole_file`.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any, BinaryIO

from .documents import (
    MAX_DOCUMENT_CHARS,
    MAX_EXTERNAL_ID_CHARS,
    MAX_TITLE_CHARS,
    line_number,
    printable,
    text_problem,
    text_sha256,
    title_from_text,
    unstorable_character,
    unstorable_in_json,
)
from .import_checks import (
    HEAD_BYTES,
    MAX_IMPORT_BYTES,
    FileRefused,
    Replayed,
    SizeLimited,
    display_name,
    head_problem,
    known_size,
    too_large,
    utf8_text,
)
from .import_links import read_ignored, read_links
from .import_records import (
    Annotation,
    DocumentRecord,
    ImportReport,
    ImportRow,
    RowError,
    SpanRecord,
)
from .interop.doccano import FIELDS as DOCCANO
from .interop.doccano import is_doccano, with_doccano_spans
from .spans import span_problem
from .strict_json import strict_loads

__all__ = [
    "Annotation",
    "DocumentRecord",
    "ImportReport",
    "ImportRow",
    "RowError",
    "SpanRecord",
    "read_documents",
]

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".csv", ".json", ".conll", ".iob", ".zip")
JSONL_FIELDS = ("text", "external_id", "title", "meta")
# The fields of our own JSONL export, so that an export imports again (its gold spans with it).
# id, agreement and split describe the source project and are not imported.
EXPORT_FIELDS = (
    "id",
    "sha256",
    "metadata",
    "spans",
    "agreement",
    "split",
    "annotations",
    "ignored",
    "links",
)
# The fields that make a line more than a text: read by `_with_gold`.
ANNOTATED_FIELDS = {"sha256", "spans", "annotations", "links", "ignored"}
GOLD_DECISIONS = ("unanimous", "accepted", "edited", "added")
BOM = "\ufeff"


def file_kind(name: str) -> str | None:
    lowered = name.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if lowered.endswith(suffix):
            return {".ndjson": "jsonl", ".iob": "conll"}.get(suffix, suffix[1:])
    return None


# What a file can be read as, when its name does not say (`import_documents --format`).
FORMATS = {
    "txt": "txt",
    "jsonl": "jsonl",
    "doccano": "jsonl",
    "csv": "csv",
    "label-studio": "json",
    "conll": "conll",
    "zip": "zip",
    "brat": "zip",
}


def read_documents(
    source: str, stream: BinaryIO, format: str | None = None, *, max_bytes: int | None = None
) -> Iterator[ImportRow]:
    """Records and errors from one file; `source` is the name errors are reported under.

    .txt, .jsonl (ours, and doccano's) and .csv are read here; .json is Label Studio's export;
    a .zip holds any of these (doccano's export is one .jsonl per annotator; brat's a .txt and
    a .ann per document). The name's suffix says which, unless `format` (one of FORMATS) does.
    A file longer than `max_bytes`, or not UTF-8 text, is one error with `whole_file` set:
    what was read of it before is not to be imported.
    """
    # Imported here: the other tools' readers build on this module's helpers.
    from .import_zip import read_zip
    from .interop.conll import read_conll
    from .interop.label_studio import read_label_studio

    source = display_name(source)
    kind = FORMATS[format] if format else file_kind(source)
    if kind is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        yield RowError(source, 1, f"unsupported file type (expected one of {supported})")
        return
    readers = {
        "txt": _read_txt,
        "jsonl": _read_jsonl,
        "csv": _read_csv,
        "json": read_label_studio,
        "conll": read_conll,
        "zip": partial(read_zip, max_bytes=max_bytes or MAX_IMPORT_BYTES),
    }
    try:
        stream = _limited(stream, max_bytes)
        if kind != "zip":
            stream = _text_file(stream)
        yield from readers[kind](source, stream)
    except FileRefused as refusal:
        yield RowError(refusal.source or source, refusal.line, refusal.reason, whole_file=True)


def _limited(stream: BinaryIO, max_bytes: int | None) -> BinaryIO:
    if max_bytes is None:
        return stream
    size = known_size(stream)
    if size is None:
        return io.BufferedReader(SizeLimited(stream, max_bytes))
    if size > max_bytes:
        raise FileRefused(1, too_large(max_bytes, size))
    return stream


def _text_file(stream: BinaryIO) -> BinaryIO:
    """The stream, once its first bytes show it is not UTF-16, binary or the like."""
    head = stream.read(HEAD_BYTES)
    problem = head_problem(head)
    if problem:
        raise FileRefused(1, problem)
    return io.BufferedReader(Replayed(head, stream))


def decoded_lines(stream: BinaryIO) -> Iterator[str]:
    """The file's lines as text (split at LF only, line endings kept), BOM removed; raises
    FileRefused at the first byte that is not UTF-8 text."""
    offset = 0
    for number, raw in enumerate(stream, start=1):
        line = utf8_text(raw, offset=offset, line=number)
        yield line.removeprefix(BOM) if number == 1 else line
        offset += len(raw)


def read_whole(stream: BinaryIO) -> str:
    """A file read whole as text, BOM removed; raises FileRefused if it is not UTF-8 text."""
    return utf8_text(stream.read()).removeprefix(BOM)


def text_of(source: str, raw: bytes) -> str:
    """The text of a file read whole from an archive, checked as any imported file is."""
    problem = head_problem(raw[:HEAD_BYTES])
    try:
        if problem:
            raise FileRefused(1, problem)
        return read_whole(io.BytesIO(raw))
    except FileRefused as refusal:
        raise FileRefused(refusal.line, refusal.reason, source) from None


def _read_txt(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    text = read_whole(stream)
    problem = text_problem(text)
    if problem:
        yield RowError(source, line_number(text, problem.offset), problem.reason)
        return
    yield DocumentRecord(source=source, line=1, text=text, title=title_from_text(text))


def _read_jsonl(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    for number, line in enumerate(decoded_lines(stream), start=1):
        if not line.strip():
            continue
        try:
            value = strict_loads(line)
        except ValueError as error:
            yield RowError(source, number, f"invalid JSON: {error}")
            continue
        if not isinstance(value, dict):
            yield RowError(source, number, "expected a JSON object")
            continue
        unknown = sorted(set(value) - set(JSONL_FIELDS) - set(EXPORT_FIELDS) - set(DOCCANO))
        if unknown and is_doccano(value):
            # doccano writes a document's metadata as fields of its own beside the text.
            given = value.get("meta") or {}
            if isinstance(given, dict):
                value = {**value, "meta": {**given, **_pick(value, unknown)}}
        elif unknown:
            allowed = ", ".join(JSONL_FIELDS + EXPORT_FIELDS + DOCCANO)
            name = printable(unknown[0])
            yield RowError(source, number, f"unknown field '{name}' (allowed: {allowed})")
            continue
        if "meta" in value and "metadata" in value:
            yield RowError(source, number, "give 'meta' or 'metadata', not both")
            continue
        record = make_record(source, number, value, meta=value.get("meta", value.get("metadata")))
        if isinstance(record, DocumentRecord) and is_doccano(value):
            spans = with_doccano_spans(record, value)
            record = spans if isinstance(spans, DocumentRecord) else RowError(source, number, spans)
        elif isinstance(record, DocumentRecord) and set(value) & ANNOTATED_FIELDS:
            record = _with_gold(record, value)
        yield record


def _with_gold(record: DocumentRecord, value: dict[str, Any]) -> ImportRow:
    """The record with its exported gold spans, their links, its ignored regions and each
    annotator's layer, or the first thing wrong with them."""
    here = (record.source, record.line)
    if "sha256" in value and value["sha256"] != text_sha256(record.text):
        return RowError(*here, "field 'sha256' does not match the text: the text was changed")
    gold = _exported_spans(record, value.get("spans") or [], "spans")
    if isinstance(gold, str):
        return RowError(*here, gold)
    layers = value.get("annotations") or {}
    if not isinstance(layers, dict):
        return RowError(*here, "field 'annotations' must be an object of annotators' spans")
    annotations = []
    for name, spans in layers.items():
        read = _exported_spans(record, spans, f"annotations.{printable(name)}")
        if isinstance(read, str):
            return RowError(*here, read)
        annotations.append(Annotation(f"jsonl-{name}", read))
    links = read_links(gold, value.get("links") or [])
    if isinstance(links, str):
        return RowError(*here, links)
    ignored = read_ignored(record.text, value.get("ignored") or [])
    if isinstance(ignored, str):
        return RowError(*here, ignored)
    return replace(
        record,
        gold=gold,
        gold_given="spans" in value,
        annotations=tuple(annotations),
        links=links,
        ignored=ignored,
    )


def _exported_spans(record: DocumentRecord, spans: Any, field: str) -> tuple[SpanRecord, ...] | str:
    if not isinstance(spans, list):
        return f"field '{field}' must be a list"
    read = []
    for number, span in enumerate(spans, start=1):
        where = f"{field}[{number}]"
        if not isinstance(span, dict):
            return f"{where} must be an object"
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        problem = span_problem(start, end, record.text)
        if problem:
            return f"{where}.{problem[0]}: {problem[1]}"
        if not isinstance(label, str) or not label:
            return f"{where}.label must be a label key"
        if "text" in span and span["text"] != record.text[start:end]:
            return f"{where}.text is not the text at [{start}, {end})"
        attributes = span.get("attributes") or {}
        if not isinstance(attributes, dict):
            return f"{where}.attributes must be an object"
        decision = span.get("decision") or "accepted"
        if decision not in GOLD_DECISIONS:
            return f"{where}.decision must be one of {', '.join(GOLD_DECISIONS)}"
        read.append(SpanRecord(start, end, label, attributes, decision))
    return tuple(read)


def _pick(value: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {name: value[name] for name in names}


def _read_csv(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    # No field may be longer than a document: a longer one is a runaway quoted field.
    csv.field_size_limit(MAX_DOCUMENT_CHARS)
    reader = csv.reader(decoded_lines(stream), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise FileRefused(1, f"in the header: {_csv_problem(error, reader.line_num)}") from None
    header_problem = _csv_header_problem(header)
    if header_problem:
        yield RowError(source, 1, header_problem)
        return
    assert header is not None
    extra_columns = [name for name in header if name not in JSONL_FIELDS]
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            row = next(reader, None)
        except csv.Error as error:
            # The parser cannot resynchronise after a malformed quote: the rows after it
            # are unread, so the file is refused whole.
            raise FileRefused(start, _csv_problem(error, reader.line_num)) from None
        previous_end = reader.line_num
        if row is None:
            return
        if not row or row == [""]:
            continue
        if len(row) != len(header):
            yield RowError(
                source, start, f"the row has {len(row)} fields; the header has {len(header)}"
            )
            continue
        values = dict(zip(header, row, strict=True))
        meta = {name: values[name] for name in extra_columns}
        yield make_record(source, start, values, meta=meta)


def _csv_problem(error: csv.Error, line: int) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"invalid CSV: a field is longer than {MAX_DOCUMENT_CHARS:,} characters, the "
            f"longest a document may be (by line {line}; is a quote left open?)"
        )
    return f"invalid CSV: {error}"


def _csv_header_problem(header: list[str] | None) -> str | None:
    if not header:
        return "the file is empty; expected a header row with a 'text' column"
    if "text" not in header:
        columns = ", ".join(printable(name) for name in header)
        return f"no 'text' column in the header (columns: {columns})"
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        return f"column '{printable(duplicates[0])}' appears more than once in the header"
    return None


def make_record(source: str, line: int, values: dict[str, Any], *, meta: Any) -> ImportRow:
    text = values.get("text")
    if not isinstance(text, str):
        return RowError(source, line, "field 'text' is required and must be a string")
    problem = text_problem(text)
    if problem:
        return RowError(source, line, f"field 'text': {problem.reason}")

    external_id = values.get("external_id")
    if isinstance(external_id, int) and not isinstance(external_id, bool):
        external_id = str(external_id)
    if external_id is not None and not isinstance(external_id, str):
        return RowError(source, line, "field 'external_id' must be a string or an integer")
    external_id = (external_id or "").strip() or None
    if external_id and len(external_id) > MAX_EXTERNAL_ID_CHARS:
        return RowError(
            source, line, f"field 'external_id' is longer than {MAX_EXTERNAL_ID_CHARS} characters"
        )

    title = values.get("title")
    if title is not None and not isinstance(title, str):
        return RowError(source, line, "field 'title' must be a string")
    title = (title or "").strip()
    if len(title) > MAX_TITLE_CHARS:
        return RowError(source, line, f"field 'title' is longer than {MAX_TITLE_CHARS} characters")

    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return RowError(source, line, "field 'meta' must be a JSON object")

    for name, value in (("external_id", external_id or ""), ("title", title)):
        bad = unstorable_character(value)
        if bad:
            return RowError(source, line, f"field '{name}': {bad.reason}")
    bad_meta = unstorable_in_json(meta)
    if bad_meta:
        return RowError(source, line, f"field 'meta': {bad_meta}")

    return DocumentRecord(
        source=source,
        line=line,
        text=text,
        title=title or title_from_text(text),
        external_id=external_id,
        meta=meta,
    )
