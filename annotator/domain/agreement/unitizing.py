"""Krippendorff's alpha for unitizing (αU): agreement on where units are and what they are.

This is the coefficient INCEpTION and DKPro Agreement report as "Krippendorff's alpha
(unitizing)", computed as DKPro Agreement's KrippendorffAlphaUnitizingAgreement does, after
Krippendorff (1995), "On the reliability of unitizing continuous data", and Krippendorff (2004),
Content Analysis, 2nd ed.:

- Each label is its own unitizing study. A coder's units of that label cut the continuum into
  units and gaps; everything else, other labels included, is gap.
- Observed disagreement D_O(c) = 2 / (R(R-1) L²) × Σ over pairs of coders of Σ δ, where δ is
  (start₁ - start₂)² + (end₁ - end₂)² for two overlapping units, the squared length of a unit
  that lies inside the other coder's gap, and 0 otherwise.
- Expected disagreement D_E(c) = 2/L × Σ over the label's units u of
  [(N_c - 1)(2l³ - 3l² + l)/3 + l² Σ over every coder's gaps g with g ≥ l of (g - l + 1)],
  divided by R L (R L - 1) - Σ l(l - 1); l is a unit's length, N_c the label's unit count.
- αU(c) = 1 - D_O(c) / D_E(c); the pooled value is 1 - mean D_O / mean D_E over the labels, as
  DKPro pools them.

Edge cases, DKPro's unless said otherwise:
- A label nobody used is left out of the result: it has no units, so nothing defines it (DKPro
  takes its categories from the units too). No units at all gives (nan, {}).
- Identical codings give 1.0: D_O is 0 and D_E is positive. Where D_O equals D_E, alpha is 0.0.
- Where D_E is 0, alpha is nan (DKPro would say 0.0). That happens only when every coder tiles
  the whole continuum with units of length 1: there is no other way to code it, so no reliability
  to measure.
- Fewer than two coders give nan: there is nobody to agree with.
- Coders are the ones that have segments unless `coders` names them all: a coder who found nothing
  to mark still disagrees with those who marked something, so pass `coders` whenever some may
  have left a document empty.
- A coder's overlapping segments of one label are merged into their union first: αU requires one
  coder's units of a category not to overlap (DKPro's walk goes wrong on them), and this project
  allows nested spans. Touching segments stay two units.

Everything is whole-number arithmetic until the last division, and the work is a sort and a walk
per label and pair of coders, so a document costs time in proportion to its segments, whatever
the length of the continuum. For a corpus, lay the documents end to end (shift each document's
segments by the lengths of those before it) and call this once.
"""

import math
from bisect import bisect_left
from collections.abc import Collection, Hashable, Iterable
from itertools import accumulate, combinations
from typing import Any

Units = list[tuple[int, int]]  # one coder's units of one label, sorted, not overlapping


def unitizing_alpha(
    segments: Iterable[tuple[Hashable, int, int, str]],
    begin: int,
    end: int,
    *,
    coders: Collection[Hashable] | None = None,
) -> tuple[float, dict[str, float]]:
    """(pooled αU, {label: αU}) over the continuum [begin, end) from (coder, start, end, label)."""
    parts = unitizing_disagreements(segments, begin, end, coders=coders)
    if not parts:
        return math.nan, {}
    observed = sum(observed for observed, _ in parts.values()) / len(parts)
    expected = sum(expected for _, expected in parts.values()) / len(parts)
    per_label = {label: _alpha(*disagreements) for label, disagreements in parts.items()}
    return _alpha(observed, expected), per_label


def unitizing_disagreements(
    segments: Iterable[tuple[Hashable, int, int, str]],
    begin: int,
    end: int,
    *,
    coders: Collection[Hashable] | None = None,
) -> dict[str, tuple[float, float]]:
    """{label: (D_O, D_E)}, the observed and expected disagreement αU is made of.

    Published examples state these, so they can be checked one by one; (nan, nan) for every
    label when there are fewer than two coders.
    """
    length = end - begin
    if length <= 0:
        raise ValueError("the continuum must not be empty")
    by_label = _units_by_label(segments, begin, end)
    found = {coder for units in by_label.values() for coder in units}
    everyone = list(found if coders is None else dict.fromkeys(coders))
    if not found <= set(everyone):
        raise ValueError("a segment belongs to a coder who is not among `coders`")
    if len(everyone) < 2:
        return dict.fromkeys(by_label, (math.nan, math.nan))
    return {
        label: (
            _observed_disagreement(units, everyone, length),
            _expected_disagreement(units, everyone, begin, end),
        )
        for label, units in by_label.items()
    }


def _alpha(observed: float, expected: float) -> float:
    if expected == 0:
        return math.nan
    if observed == expected:
        return 0.0
    return 1.0 - observed / expected


def _units_by_label(
    segments: Iterable[tuple[Hashable, int, int, Any]], begin: int, end: int
) -> dict[Any, dict[Hashable, Units]]:
    gathered: dict[Any, dict[Hashable, Units]] = {}
    for coder, start, stop, label in segments:
        if not begin <= start < stop <= end:
            raise ValueError(
                f"segment [{start}, {stop}) of {coder!r} is empty or outside [{begin}, {end})"
            )
        gathered.setdefault(label, {}).setdefault(coder, []).append((start, stop))
    return {
        label: {coder: _merged(units) for coder, units in by_coder.items()}
        for label, by_coder in sorted(gathered.items(), key=lambda item: str(item[0]))
    }


def _merged(units: Units) -> Units:
    merged: Units = []
    for start, stop in sorted(units):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def _observed_disagreement(units: dict[Hashable, Units], coders: list, length: int) -> float:
    total = sum(
        _pair_disagreement(units.get(first, []), units.get(second, []))
        for first, second in combinations(coders, 2)
    )
    raters = len(coders)
    return 2 * total / (raters * (raters - 1) * length * length)


def _pair_disagreement(first: Units, second: Units) -> int:
    """Σ δ over the sections of two coders: overlapping units, and units inside the other's gap."""
    total = 0
    lone_first, lone_second = [True] * len(first), [True] * len(second)
    i = j = 0
    while i < len(first) and j < len(second):
        (start1, end1), (start2, end2) = first[i], second[j]
        if end1 <= start2:
            i += 1
        elif end2 <= start1:
            j += 1
        else:
            total += (start1 - start2) ** 2 + (end1 - end2) ** 2
            lone_first[i] = lone_second[j] = False
            # Move past whichever ends first: it cannot overlap anything further on.
            i, j = i + (end1 <= end2), j + (end2 <= end1)
    # A unit that overlaps none of the other coder's units lies inside one of their gaps.
    for units, lone in ((first, lone_first), (second, lone_second)):
        total += sum(
            (stop - start) ** 2 for (start, stop), alone in zip(units, lone, strict=True) if alone
        )
    return total


def _expected_disagreement(
    units: dict[Hashable, Units], coders: list, begin: int, end: int
) -> float:
    length, raters = end - begin, len(coders)
    lengths = [stop - start for coded in units.values() for start, stop in coded]
    gaps = sorted(gap for coder in coders for gap in _gaps(units.get(coder, []), begin, end))
    below = [0, *accumulate(gaps)]  # below[k]: the total length of the k shortest gaps
    total = 0
    for unit in lengths:
        # (2l³ - 3l² + l) = l(l-1)(2l-1) is six times a sum of squares, so // 3 is exact.
        total += (len(lengths) - 1) * (unit * (unit - 1) * (2 * unit - 1)) // 3
        # Σ over gaps g ≥ l of (g - l + 1), from the sorted gaps instead of a loop over them.
        shortest = bisect_left(gaps, unit)
        fitting = len(gaps) - shortest
        total += unit * unit * ((below[-1] - below[shortest]) - (unit - 1) * fitting)
    denominator = raters * length * (raters * length - 1) - sum(u * (u - 1) for u in lengths)
    return 2 * total / (length * denominator)


def _gaps(units: Units, begin: int, end: int) -> list[int]:
    gaps, cursor = [], begin
    for start, stop in units:
        if start > cursor:
            gaps.append(start - cursor)
        cursor = stop
    if end > cursor:
        gaps.append(end - cursor)
    return gaps
