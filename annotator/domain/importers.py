"""Parse document files into records, one record or one row error at a time.

A pipeline in the doccano manner: read bytes → decode → parse → make a record. Each reader
streams, so memory stays flat whatever the file size (a .txt file is one document and is read
whole). Every problem becomes a `RowError` naming the file and line; nothing here raises for
bad input, so the caller can report every bad row at once.
"""

import csv
import itertools
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath
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
IN_ZIP = ", ".join([*(s for s in SUPPORTED_SUFFIXES if s != ".zip"), ".ann (brat)"])
MAX_ZIP_MEMBER = 200 * 1024 * 1024  # bytes, uncompressed: what a zip may hold per file
JSONL_FIELDS = ("text", "external_id", "title", "meta")
# The fields of our own JSONL export, so that an export imports again (its gold spans with it).
# id, agreement, split and annotations describe the source project and are not imported.
EXPORT_FIELDS = ("id", "sha256", "metadata", "spans", "agreement", "split", "annotations")
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


def read_documents(source: str, stream: BinaryIO, format: str | None = None) -> Iterator[ImportRow]:
    """Records and errors from one file; `source` is the name errors are reported under.

    .txt, .jsonl (ours, and doccano's) and .csv are read here; .json is Label Studio's export;
    a .zip holds any of these (doccano's export is one .jsonl per annotator; brat's a .txt and
    a .ann per document). The name's suffix says which, unless `format` (one of FORMATS) does.
    """
    # Imported here: the other tools' readers build on this module's helpers.
    from .interop.conll import read_conll
    from .interop.label_studio import read_label_studio

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
        "zip": _read_zip,
    }
    yield from readers[kind](source, stream)


def _read_zip(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    if getattr(stream, "seekable", lambda: False)():
        yield from _read_zip_archive(source, stream)
        return
    # A zip's directory is at its end; a stream that cannot seek is spooled to disk first.
    with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as spooled:
        shutil.copyfileobj(stream, spooled)
        spooled.seek(0)
        yield from _read_zip_archive(source, spooled)


def _read_zip_archive(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        yield RowError(source, 1, "not a zip archive")
        return
    from .interop.brat import read_brat_pair

    with archive:
        members = sorted(
            (info for info in archive.infolist() if not info.is_dir()),
            key=lambda info: info.filename,
        )
        # brat standoff: a .txt and its .ann make one document with its spans.
        standoff = {info.filename[:-4] for info in members if info.filename.endswith(".ann")}
        for info in members:
            stem = info.filename[:-4]
            if stem in standoff and info.filename.endswith((".txt", ".ann")):
                if info.filename.endswith(".txt"):
                    text, ann = archive.read(info), archive.read(f"{stem}.ann")
                    yield from read_brat_pair(source, stem, text, ann)
                continue
            name = f"{source}/{info.filename}"
            if info.filename.startswith("__MACOSX/") or PurePosixPath(
                info.filename
            ).name.startswith("."):
                continue  # the archiver's own files
            if file_kind(info.filename) in (None, "zip"):
                yield RowError(
                    name,
                    1,
                    f"unsupported file type in the zip (it may hold {IN_ZIP})",
                )
                continue
            if info.file_size > MAX_ZIP_MEMBER:
                yield RowError(
                    name, 1, f"the file is larger than {MAX_ZIP_MEMBER // 2**20} MB unpacked"
                )
                continue
            with archive.open(info) as member:
                yield from read_documents(name, member)


def utf16_error(source: str, first_bytes: bytes) -> RowError | None:
    if first_bytes.startswith((b"\xff\xfe", b"\xfe\xff")):
        return RowError(source, 1, "the file is UTF-16; save it as UTF-8")
    return None


def _decoded_lines(source: str, stream: BinaryIO) -> tuple[RowError | None, Iterator[str]]:
    """The file's lines as text (split at LF only, line endings kept), BOM removed."""
    raw_lines = iter(stream)
    first = next(raw_lines, b"")
    error = utf16_error(source, first)
    lines = (decode_bytes(raw) for raw in itertools.chain([first], raw_lines) if raw)
    return error, strip_bom(lines)


def decode_bytes(raw: bytes) -> str:
    # surrogateescape keeps undecodable bytes as U+DC80..U+DCFF, so the text checks can name
    # the offending byte and its line instead of failing the whole file.
    return raw.decode("utf-8", errors="surrogateescape")


def read_whole(source: str, stream: BinaryIO) -> str | RowError:
    """A file read whole as text (undecodable bytes kept for the text checks), BOM removed."""
    raw = stream.read()
    return utf16_error(source, raw) or decode_bytes(raw).removeprefix(BOM)


def _read_txt(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    text = read_whole(source, stream)
    if isinstance(text, RowError):
        yield text
        return
    problem = text_problem(text)
    if problem:
        yield RowError(source, line_number(text, problem.offset), problem.reason)
        return
    yield DocumentRecord(source=source, line=1, text=text, title=title_from_text(text))


def _read_jsonl(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    error, lines = _decoded_lines(source, stream)
    if error:
        yield error
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, parse_constant=refuse_constant)
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
        elif isinstance(record, DocumentRecord) and set(value) & {"sha256", "spans", "annotations"}:
            record = _with_gold(record, value)
        yield record


def _with_gold(record: DocumentRecord, value: dict[str, Any]) -> ImportRow:
    """The record with its exported gold spans and each annotator's layer, or the first thing
    wrong with them."""
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
    return replace(record, gold=gold, gold_given="spans" in value, annotations=tuple(annotations))


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


def refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _read_csv(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    error, lines = _decoded_lines(source, stream)
    if error:
        yield error
        return
    csv.field_size_limit(MAX_DOCUMENT_CHARS * 4)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        yield RowError(source, 1, f"invalid CSV header: {error}")
        return
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
            # The parser cannot resynchronise after a malformed quote: stop at this row.
            yield RowError(source, start, f"invalid CSV: {error}")
            return
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


def strip_bom(lines: Iterable[str]) -> Iterator[str]:
    first = True
    for line in lines:
        yield line.removeprefix(BOM) if first else line
        first = False


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
