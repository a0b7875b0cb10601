"""Spans as values: validation against a text, the overlap rule, and drawing order.

A span is [start, end) in code points of the document text (Python string indices).
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SpanValue:
    start: int
    end: int
    label: str
    id: int | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same spans, outermost first."""

    start: int
    end: int
    spans: tuple[SpanValue, ...]


def span_problem(start: object, end: object, text: str) -> tuple[str, str] | None:
    """(field, reason) when [start, end) is not a span of `text`, else None."""
    for field, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            return field, f"'{field}' must be a whole number"
    assert isinstance(start, int) and isinstance(end, int)
    if start < 0:
        return "start", "'start' must be 0 or more"
    if end <= start:
        return "end", "'end' must be greater than 'start'"
    if end > len(text):
        return "end", f"'end' is past the end of the text ({len(text)} characters)"
    if not text[start:end].strip():
        return "start", "the span covers only white space"
    return None


def segments(text_length: int, spans: Sequence[SpanValue]) -> list[Segment]:
    """Cut [0, text_length) at every span boundary, so each piece can be drawn as nested marks.

    Without overlaps every span is exactly one segment; with overlaps a span is drawn as one
    mark per segment it covers, and the outer span's mark encloses the inner one's.
    """
    cuts = sorted({0, text_length, *(s.start for s in spans), *(s.end for s in spans)})
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id or 0))
    pieces = []
    active: list[SpanValue] = []  # spans covering the current point, outermost first
    following = 0
    for start, end in itertools.pairwise(cuts):
        while following < len(ordered) and ordered[following].start <= start:
            active.append(ordered[following])
            following += 1
        active = [span for span in active if span.end > start]
        pieces.append(Segment(start, end, tuple(active)))
    return pieces
