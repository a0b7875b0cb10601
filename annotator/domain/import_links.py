"""Reading the links and ignored regions a file brings with its spans, so that an export
imports again as it was (DESIGN.md: import(export(x)) == x).

Each reader returns the values or the first thing wrong with them as "field: reason", for the
caller to report under the file and line, as the importers report a bad span.
"""

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from .import_records import LinkRecord, SpanRecord
from .links import Link, link_problem


def link_record_problem(
    kind: Any, source: SpanRecord, target: SpanRecord, existing: Sequence[LinkRecord]
) -> tuple[str, str] | None:
    """(field, reason) when a link of `kind` from `source` to `target` may not join the
    `existing` links of the same spans: the rules a link made here obeys."""
    if not isinstance(kind, str):
        return "kind", "must be a link kind"
    labels = {source.key: source.label, target.key: target.label}
    made = [Link(link.source, link.target, link.kind) for link in existing]
    return link_problem(Link(source.key, target.key, kind), labels, made)


def read_links(spans: Sequence[SpanRecord], links: Any) -> tuple[LinkRecord, ...] | str:
    """Our export's "links": [{"kind", "source", "target"}], the ends being indexes into its
    "spans" (from 0)."""
    if not isinstance(links, list):
        return "field 'links' must be a list"
    read: list[LinkRecord] = []
    for number, link in enumerate(links, start=1):
        where = f"links[{number}]"
        if not isinstance(link, dict):
            return f"{where} must be an object"
        ends = []
        for end in ("source", "target"):
            index = link.get(end)
            if not isinstance(index, int) or isinstance(index, bool):
                return f"{where}.{end}: must be the index of a span (from 0)"
            if not 0 <= index < len(spans):
                count = len(spans)
                return f"{where}.{end}: there is no span {index} ({count} spans, from 0)"
            ends.append(spans[index])
        problem = link_record_problem(link.get("kind"), *ends, read)
        if problem:
            return f"{where}.{problem[0]}: {problem[1]}"
        read.append(LinkRecord(link["kind"], ends[0].key, ends[1].key))
    return tuple(read)


def read_ignored(text: str, regions: Any) -> tuple[tuple[int, int], ...] | str:
    """Our export's "ignored": [[start, end], ...], stretches of the text that do not overlap."""
    if not isinstance(regions, list):
        return "field 'ignored' must be a list"
    read: list[tuple[int, int, int]] = []
    for number, region in enumerate(regions, start=1):
        where = f"ignored[{number}]"
        if (
            not isinstance(region, list)
            or len(region) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in region)
        ):
            return f"{where}: must be [start, end], two whole numbers"
        start, end = region
        if not 0 <= start < end <= len(text):
            return (
                f"{where}: [{start}, {end}) is not a stretch of the text ({len(text)} characters)"
            )
        read.append((start, end, number))
    read.sort()
    for (_, previous_end, previous), (start, _, number) in pairwise(read):
        if start < previous_end:
            return f"ignored[{max(previous, number)}]: overlaps ignored[{min(previous, number)}]"
    return tuple((start, end) for start, end, _ in read)
