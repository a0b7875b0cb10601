"""brat standoff: a `.txt` (the text) and a `.ann` (its annotations) per document, in a zip.
Text-bound annotations (`T1<tab>LABEL start end<tab>text`) are spans; attributes (`A1<tab>Name
T1 [value]`) are theirs; relations (`R1<tab>kind Arg1:T1 Arg2:T3`) are links between them
(`domain.links.KINDS`). A span in fragments is one span when only white space (a line break,
as brat requires) separates them. Events, notes and comments are left out. Offsets are code
points. The archive's name is the annotator's: another annotator's zip of the same
texts adds their work."""

from collections.abc import Iterator
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Any

from ..import_links import link_record_problem
from ..import_records import (
    Annotation,
    DocumentRecord,
    ImportRow,
    LinkRecord,
    RowError,
    SpanRecord,
)
from ..importers import make_record, text_of
from ..spans import span_problem

TOOL = "brat"


def read_brat_pair(
    archive: str, stem: str, text_bytes: bytes, ann_bytes: bytes
) -> Iterator[ImportRow]:
    """The document of `<stem>.txt` with the spans of `<stem>.ann`, or the errors in them."""
    source = f"{archive}/{stem}.ann"
    record = make_record(
        f"{archive}/{stem}.txt",
        1,
        {
            "text": text_of(f"{archive}/{stem}.txt", text_bytes),
            "external_id": PurePosixPath(stem).name,
        },
        meta={},
    )
    if isinstance(record, RowError):
        yield record
        return
    spans: dict[str, SpanRecord] = {}
    attributes: dict[str, dict[str, Any]] = {}
    relations: list[tuple[int, list[str]]] = []  # read once every span is known
    errors = []
    for number, line in enumerate(text_of(source, ann_bytes).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind = line[0]
        parts = line.split("\t")
        if kind == "T":
            span = _text_bound(record, parts)
            if isinstance(span, str):
                errors.append(RowError(source, number, span))
            else:
                spans[parts[0]] = span
        elif kind in "AM":
            fields = parts[1].split(" ") if len(parts) > 1 else []
            if len(fields) < 2 or fields[1] not in spans:
                errors.append(RowError(source, number, "an attribute of no text-bound span"))
                continue
            value: Any = " ".join(fields[2:]) if len(fields) > 2 else True
            attributes.setdefault(fields[1], {})[fields[0]] = value
        elif kind == "R":
            relations.append((number, parts[1].split(" ") if len(parts) > 1 else []))
    links = []
    for number, fields in relations:
        link = _relation(spans, fields, links)
        if isinstance(link, str):
            errors.append(RowError(source, number, link))
        else:
            links.append(link)
    if errors:
        yield from errors
        return
    read = tuple(
        SpanRecord(span.start, span.end, span.label, attributes.get(key, {}))
        for key, span in spans.items()
    )
    name = PurePosixPath(archive).stem
    yield DocumentRecord(
        source=record.source,
        line=1,
        text=record.text,
        title=record.title,
        external_id=record.external_id,
        annotations=(Annotation(f"{TOOL}-{name}", read, links=tuple(links)),),
    )


def _text_bound(record: DocumentRecord, parts: list[str]) -> SpanRecord | str:
    if len(parts) < 2:
        return "a text-bound annotation needs 'T<n><tab>LABEL start end'"
    label, _, where = parts[1].partition(" ")
    try:
        fragments = [tuple(int(n) for n in piece.split()) for piece in where.split(";")]
    except ValueError:
        return f"'{where}' is not 'start end' offsets"
    if any(len(fragment) != 2 for fragment in fragments):
        return f"'{where}' is not 'start end' offsets"
    for (_, end), (start, _) in pairwise(fragments):
        if record.text[end:start].strip():
            return "a span in fragments with text between them is not supported"
    start, end = fragments[0][0], fragments[-1][1]
    problem = span_problem(start, end, record.text)
    if problem:
        return problem[1]
    if len(parts) > 2:
        shown = " ".join(record.text[s:e] for s, e in fragments)
        if parts[2] != shown and parts[2] != record.text[start:end]:
            return f"its text '{parts[2]}' is not the text at [{start}, {end})"
    return SpanRecord(start, end, label)


def _relation(
    spans: dict[str, SpanRecord], fields: list[str], links: list[LinkRecord]
) -> LinkRecord | str:
    if len(fields) != 3 or not fields[1].startswith("Arg1:") or not fields[2].startswith("Arg2:"):
        return "a relation needs 'R<n><tab>kind Arg1:T<n> Arg2:T<n>'"
    ends = []
    for argument in fields[1:]:
        name = argument.partition(":")[2]
        if name not in spans:
            return f"{argument.partition(':')[0]}: '{name}' is no text-bound span"
        ends.append(spans[name])
    problem = link_record_problem(fields[0], *ends, links)
    if problem:
        return f"{problem[0]}: {problem[1]}"
    return LinkRecord(fields[0], ends[0].key, ends[1].key)
