"""What two annotators disagree on, span by span: label, boundary, both, or a span one missed.

Spans are paired one to one, in this order, each step taking only what the earlier ones left:

1. "agreed": same start, end and label.
2. "label": same start and end, different label.
3. "boundary": same label, overlapping, different start or end.
4. "both": overlapping, different label and different start or end.
5. "missing": a span left unpaired, which only one of the two marked.

Within a step, the span that ends first takes the other's unpaired partner that ends first: the
largest pairing of what the earlier steps left (see `f1`). The "agreed" pairs are exactly what
exact F1 counts; "agreed" and "boundary" together never exceed what overlap F1 counts, and fall
short of it only where an exact or same-range pairing took a span that overlap F1 pairs with
another (a = b = [5, 15), a' = [0, 6), b' = [14, 20): overlap F1 pairs a-b' and a'-b, here a-b
agree and a', b' are missing). The same two annotations always give the same list, whatever the
order of the spans.
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

KINDS = ("label", "boundary", "both", "missing")


@dataclass(frozen=True)
class Pairing:
    """One pair of spans, or one lone span; `kind` is "agreed" or one of KINDS."""

    kind: str
    first: Any  # a span of the first annotator, or None when only the second marked it
    second: Any


def compare_spans(first: Iterable[Any], second: Iterable[Any]) -> list[Pairing]:
    """Every span of both annotators, paired or alone, in text order.

    Spans are objects or named tuples with start, end and label.
    """
    left, right = list(first), list(second)
    pairings: list[Pairing] = []
    for kind, fits, bucket in _STEPS:
        pairings += _pair(kind, left, right, fits, bucket)
    pairings += [Pairing("missing", span, None) for span in left]
    pairings += [Pairing("missing", None, span) for span in right]
    return sorted(pairings, key=_position)


def _same_range(a: Any, b: Any) -> bool:
    return a.start == b.start and a.end == b.end


def _overlapping(a: Any, b: Any) -> bool:
    return a.start < b.end and b.start < a.end


def _range(span: Any) -> tuple[int, int]:
    return span.start, span.end


def _anywhere(span: Any) -> None:
    return None


# (kind, whether two spans fit, a key only spans that may fit share: a shortcut, no more)
_STEPS: tuple[tuple[str, Callable[[Any, Any], bool], Callable[[Any], Hashable]], ...] = (
    ("agreed", lambda a, b: a.label == b.label and _same_range(a, b), _range),
    ("label", lambda a, b: a.label != b.label and _same_range(a, b), _range),
    ("boundary", lambda a, b: a.label == b.label and _overlapping(a, b), _anywhere),
    ("both", lambda a, b: a.label != b.label and _overlapping(a, b), _anywhere),
)


def _pair(kind: str, left: list, right: list, fits, bucket) -> list[Pairing]:
    """Pair what fits, removing the paired spans from `left` and `right`."""
    candidates: dict[Hashable, list] = {}
    for other in right:
        candidates.setdefault(bucket(other), []).append(other)
    # By identity, each side on its own: the two sides may well share span objects.
    pairings, paired_left, paired_right = [], set(), set()
    for span in sorted(left, key=_by_end):
        partners = [
            other
            for other in candidates.get(bucket(span), ())
            if id(other) not in paired_right and fits(span, other)
        ]
        if partners:
            partner = min(partners, key=_by_end)
            paired_left.add(id(span))
            paired_right.add(id(partner))
            pairings.append(Pairing(kind, span, partner))
    left[:] = [span for span in left if id(span) not in paired_left]
    right[:] = [span for span in right if id(span) not in paired_right]
    return pairings


def _by_end(span: Any) -> tuple:
    return span.end, span.start, str(span.label)


def _position(pairing: Pairing) -> tuple:
    spans: Sequence[Any] = [span for span in (pairing.first, pairing.second) if span is not None]
    # The spans themselves break ties (two lone spans of one range, say), so that the order of
    # the input never shows through.
    sides = tuple(() if span is None else _by_end(span) for span in (pairing.first, pairing.second))
    return min(span.start for span in spans), max(span.end for span in spans), pairing.kind, sides
