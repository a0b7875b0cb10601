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
the length of the continuum.

For a corpus, `UnitizingTally` adds documents up: the same as laying them end to end, except that
documents stay apart (a gap ends where its document does, so a unit is never expected to fit
across two documents) and each document may have its own coders. With R_d coders on a document
of length L_d, D_O sums 2/(R_d(R_d-1)) × Σ δ over documents, and R L becomes Σ R_d L_d; with the
same R everywhere these are Krippendorff's formulas. A document's tally is small (a histogram of
unit lengths and one of gap lengths per label), so it is stored, and a project's αU is the sum of
its documents' tallies, never a pass over the spans.
"""

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
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
    tally = UnitizingTally()
    tally.add_document(segments, begin, end, coders=coders)
    return tally.alpha()


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
    tally = UnitizingTally()
    tally.add_document(segments, begin, end, coders=coders)
    return tally.disagreements()


@dataclass
class _LabelTally:
    # R_d → Σ δ over the pairs of coders of the documents with R_d coders: whole numbers, so a
    # single document's D_O is one division, as in the published examples.
    observed: Counter = field(default_factory=Counter)
    units: Counter = field(default_factory=Counter)  # unit length → how many
    gaps: Counter = field(default_factory=Counter)  # gap length → how many, in its documents
    # {L_d: R_d} of the documents counted in `gaps`: the others add R_d whole-document gaps.
    documents: Counter = field(default_factory=Counter)


@dataclass
class UnitizingTally:
    """αU's ingredients summed over documents; see the module doc."""

    length: int = 0  # L: Σ L_d over documents with two coders or more
    coded_length: int = 0  # Σ R_d L_d, which is R L when every document has R coders
    documents: Counter = field(default_factory=Counter)  # {L_d: R_d}, all documents
    labels: dict[Any, _LabelTally] = field(default_factory=dict)
    lone: set = field(default_factory=set)  # labels seen only where fewer than two coders were

    def add_document(
        self,
        segments: Iterable[tuple[Hashable, int, int, Any]],
        begin: int,
        end: int,
        *,
        coders: Collection[Hashable] | None = None,
    ) -> None:
        length = end - begin
        if length <= 0:
            raise ValueError("the continuum must not be empty")
        by_label = _units_by_label(segments, begin, end)
        found = {coder for units in by_label.values() for coder in units}
        everyone = list(found if coders is None else dict.fromkeys(coders))
        if not found <= set(everyone):
            raise ValueError("a segment belongs to a coder who is not among `coders`")
        raters = len(everyone)
        if raters < 2:
            self.lone.update(by_label)
            return
        self.length += length
        self.coded_length += raters * length
        self.documents[length] += raters
        for label, units in by_label.items():
            tally = self.labels.setdefault(label, _LabelTally())
            pairs = sum(
                _pair_disagreement(units.get(first, []), units.get(second, []))
                for first, second in combinations(everyone, 2)
            )
            tally.observed[raters] += pairs
            for coder in everyone:
                coded = units.get(coder, [])
                tally.units.update(stop - start for start, stop in coded)
                tally.gaps.update(_gaps(coded, begin, end))
            tally.documents[length] += raters

    def add(self, other: "UnitizingTally") -> None:
        self.length += other.length
        self.coded_length += other.coded_length
        self.documents.update(other.documents)
        self.lone.update(other.lone)
        for label, theirs in other.labels.items():
            mine = self.labels.setdefault(label, _LabelTally())
            mine.observed.update(theirs.observed)
            mine.units.update(theirs.units)
            mine.gaps.update(theirs.gaps)
            mine.documents.update(theirs.documents)

    def disagreements(self) -> dict[Any, tuple[float, float]]:
        """{label: (D_O, D_E)}; (nan, nan) for a label only ever coded by a single coder."""
        result = dict.fromkeys(self.lone - self.labels.keys(), (math.nan, math.nan))
        for label, tally in self.labels.items():
            gaps = tally.gaps + (self.documents - tally.documents)
            result[label] = (
                sum(
                    2 * pairs / (raters * (raters - 1) * self.length * self.length)
                    for raters, pairs in tally.observed.items()
                ),
                _expected_disagreement(tally.units, gaps, self.length, self.coded_length),
            )
        return dict(sorted(result.items(), key=lambda item: str(item[0])))

    def alpha(self) -> tuple[float, dict[Any, float]]:
        """(pooled αU, {label: αU}): pooled is 1 - mean D_O / mean D_E over the labels.

        A label only ever coded where a single coder was is nan, and left out of the pooled
        value: such documents add nothing, so they must not make the whole corpus undefined.
        """
        parts = self.disagreements()
        per_label = {label: _alpha(*disagreements) for label, disagreements in parts.items()}
        defined = [part for part in parts.values() if not math.isnan(part[0])]
        if not defined:
            return math.nan, per_label
        observed = sum(observed for observed, _ in defined) / len(defined)
        expected = sum(expected for _, expected in defined) / len(defined)
        return _alpha(observed, expected), per_label

    def to_json(self) -> dict[str, Any]:
        return {
            "length": self.length,
            "coded_length": self.coded_length,
            "documents": _pairs(self.documents),
            "lone": sorted(self.lone, key=str),
            "labels": {
                label: {
                    "observed": _pairs(tally.observed),
                    "units": _pairs(tally.units),
                    "gaps": _pairs(tally.gaps),
                    "documents": _pairs(tally.documents),
                }
                for label, tally in self.labels.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "UnitizingTally":
        return cls(
            length=data["length"],
            coded_length=data["coded_length"],
            documents=Counter(dict(data["documents"])),
            lone=set(data["lone"]),
            labels={
                label: _LabelTally(
                    observed=Counter(dict(tally["observed"])),
                    units=Counter(dict(tally["units"])),
                    gaps=Counter(dict(tally["gaps"])),
                    documents=Counter(dict(tally["documents"])),
                )
                for label, tally in data["labels"].items()
            },
        )


def _pairs(counter: Counter) -> list[list[int]]:
    # JSON object keys are strings; [length, count] pairs keep the lengths whole numbers.
    return sorted([key, count] for key, count in counter.items() if count)


def _alpha(observed: float, expected: float) -> float:
    if expected == 0 or math.isnan(expected):
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


def _expected_disagreement(units: Counter, gaps: Counter, length: int, coded: int) -> float:
    """D_E from histograms of unit and gap lengths; `coded` is R L (Σ R_d L_d)."""
    count = sum(units.values())
    gap_lengths = sorted(gaps)
    # Over the gaps from the k-th shortest length on: how many, and their total length.
    fitting = list(accumulate((gaps[g] for g in reversed(gap_lengths)), initial=0))[::-1]
    fitting_length = list(accumulate((g * gaps[g] for g in reversed(gap_lengths)), initial=0))[::-1]
    total = 0
    for unit, times in units.items():
        # (2l³ - 3l² + l) = l(l-1)(2l-1) is six times a sum of squares, so // 3 is exact.
        total += times * (count - 1) * (unit * (unit - 1) * (2 * unit - 1)) // 3
        # Σ over gaps g ≥ l of (g - l + 1), from the sorted gaps instead of a loop over them.
        shortest = bisect_left(gap_lengths, unit)
        total += times * unit * unit * (fitting_length[shortest] - (unit - 1) * fitting[shortest])
    denominator = coded * (coded - 1) - sum(times * u * (u - 1) for u, times in units.items())
    if denominator == 0:
        return math.nan
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
