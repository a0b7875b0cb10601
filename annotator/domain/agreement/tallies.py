"""Running sums from which the coefficients follow, so that a project's figures add up.

Each document's tallies are stored once, when its annotations are in; the project's are their
sum, so a refresh never goes back to the spans. Every tally here gives exactly what the
corresponding function of `coefficients` gives on the same units (the tests hold them to it),
and `to_json`/`from_json` keep them in a JSON field.

Nominal values are strings here: JSON object keys and lists of pairs must round-trip.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import permutations
from typing import Any


@dataclass
class NominalAlphaTally:
    """Krippendorff's alpha at the nominal level, as a coincidence matrix.

    alpha = 1 - (n - 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k, where o_ck sums, over units, the ordered
    pairs of values (c, k) weighted 1/(m_u - 1), and n_c = Σ_k o_ck.
    """

    coincidences: Counter = field(default_factory=Counter)

    def add_unit(self, values: Sequence[str], times: int = 1) -> None:
        """Add `times` units holding these values (missing ones left out); a unit with fewer than
        two values cannot be paired and adds nothing."""
        if len(values) < 2:
            return
        weight = times / (len(values) - 1)
        for first, second in permutations(values, 2):
            self.coincidences[first, second] += weight

    def add(self, other: "NominalAlphaTally") -> None:
        self.coincidences.update(other.coincidences)

    def alpha(self) -> float:
        totals: Counter = Counter()
        disagreeing = 0.0
        for (first, second), weight in self.coincidences.items():
            totals[first] += weight
            if first != second:
                disagreeing += weight
        values = sum(totals.values())
        chance = values * values - sum(total * total for total in totals.values())
        if chance <= 1e-9:
            return math.nan
        return 1.0 - (values - 1) * disagreeing / chance

    def matrix(self) -> tuple[list[str], list[list[float]]]:
        """The values in order and the coincidence matrix, rows and columns in that order."""
        values = sorted({value for pair in self.coincidences for value in pair})
        return values, [
            [self.coincidences.get((row, column), 0) for column in values] for row in values
        ]

    def to_json(self) -> list[list[Any]]:
        return [
            [first, second, weight] for (first, second), weight in sorted(self.coincidences.items())
        ]

    @classmethod
    def from_json(cls, data: Iterable[Sequence[Any]]) -> "NominalAlphaTally":
        return cls(Counter({(first, second): weight for first, second, weight in data}))


@dataclass
class IntervalAlphaTally:
    """Krippendorff's alpha at the interval level, from four sums.

    Σ_c Σ_k n_c n_k (c - k)² over the pairable values equals 2(n Σx² - (Σx)²), so the expected
    disagreement needs only n, Σx and Σx²; the observed one is a sum over units.
    """

    observed: float = 0.0  # Σ over units of Σ over ordered pairs of (a - b)² / (m_u - 1)
    count: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add_unit(self, values: Sequence[float], times: int = 1) -> None:
        if len(values) < 2:
            return
        pairs = sum((first - second) ** 2 for first, second in permutations(values, 2))
        self.observed += times * pairs / (len(values) - 1)
        self.count += times * len(values)
        self.total += times * sum(values)
        self.squares += times * sum(value * value for value in values)

    def add(self, other: "IntervalAlphaTally") -> None:
        self.observed += other.observed
        self.count += other.count
        self.total += other.total
        self.squares += other.squares

    def alpha(self) -> float:
        expected = 2.0 * (self.count * self.squares - self.total * self.total)
        if expected <= 1e-9 * max(1.0, self.squares):
            return math.nan
        return 1.0 - (self.count - 1) * self.observed / expected

    def to_json(self) -> list[float]:
        return [self.observed, self.count, self.total, self.squares]

    @classmethod
    def from_json(cls, data: Sequence[float]) -> "IntervalAlphaTally":
        observed, count, total, squares = data
        return cls(observed, int(count), total, squares)


@dataclass
class CohenKappaTally:
    """Cohen's kappa of one pair of coders, as their confusion matrix: (first's, second's) → n."""

    confusion: Counter = field(default_factory=Counter)

    def add(self, other: "CohenKappaTally") -> None:
        self.confusion.update(other.confusion)

    def kappa(self) -> float:
        items = sum(self.confusion.values())
        agreed = sum(n for (first, second), n in self.confusion.items() if first == second)
        rows: Counter = Counter()
        columns: Counter = Counter()
        for (first, second), n in self.confusion.items():
            rows[first] += n
            columns[second] += n
        chance = sum(n * columns[category] for category, n in rows.items())
        if items * items == chance:
            return math.nan
        return (items * agreed - chance) / (items * items - chance)

    def to_json(self) -> list[list[Any]]:
        return [[first, second, n] for (first, second), n in sorted(self.confusion.items())]

    @classmethod
    def from_json(cls, data: Iterable[Sequence[Any]]) -> "CohenKappaTally":
        return cls(Counter({(first, second): n for first, second, n in data}))


@dataclass
class FleissKappaTally:
    """Fleiss' kappa of items that all have `raters` ratings, from Σ cell² and column totals."""

    raters: int
    items: int = 0
    squares: int = 0  # Σ over items and categories of (raters choosing it)²
    columns: Counter = field(default_factory=Counter)

    def add_item(self, chosen: Sequence[str], times: int = 1) -> None:
        if len(chosen) != self.raters:
            raise ValueError(f"an item has {len(chosen)} ratings, not {self.raters}")
        counts = Counter(chosen)
        self.items += times
        self.squares += times * sum(n * n for n in counts.values())
        for category, n in counts.items():
            self.columns[category] += times * n

    def add(self, other: "FleissKappaTally") -> None:
        if other.raters != self.raters:
            raise ValueError("Fleiss' kappa needs the same number of raters for every item")
        self.items += other.items
        self.squares += other.squares
        self.columns.update(other.columns)

    def kappa(self) -> float:
        ratings = self.items * self.raters
        if ratings == 0:
            return math.nan
        agreeing = self.squares - ratings
        pairs = ratings * (self.raters - 1)
        chance = sum(n * n for n in self.columns.values())
        if chance == ratings * ratings:
            return math.nan
        return (agreeing * ratings * ratings - chance * pairs) / (
            pairs * (ratings * ratings - chance)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "raters": self.raters,
            "items": self.items,
            "squares": self.squares,
            "columns": dict(sorted(self.columns.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FleissKappaTally":
        return cls(data["raters"], data["items"], data["squares"], Counter(data["columns"]))
