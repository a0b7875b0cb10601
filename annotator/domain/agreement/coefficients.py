"""Chance-corrected agreement on coded items: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Each returns nan where the coefficient is 0/0: no items to compare, or no variation at all (every
value the same category, so chance agreement is certain and disagreement impossible). Show that
as "not defined": any number there, 0 or 1, would be made up.
"""

import math
import operator
from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import chain, combinations
from numbers import Real
from typing import Any

import numpy as np

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's (1960) kappa of two coders' categories for the same items, in the same order.

    Any hashable is a category, None included: for token labels, None is "outside every span".
    """
    if len(a) != len(b):
        raise ValueError(f"the two codings differ in length ({len(a)} and {len(b)} items)")
    items = len(a)
    agreed = sum(map(operator.eq, a, b))
    first, second = Counter(a), Counter(b)
    # items² × chance agreement, in whole numbers: the one division below is exact to the last bit.
    chance = sum(count * second[category] for category, count in first.items())
    if items * items == chance:
        return math.nan
    return (items * int(agreed) - chance) / (items * items - chance)


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float:
    """Fleiss' (1971) kappa from a table with one row per item and one column per category.

    Each cell is how many raters put that item in that category; every item has the same number
    of raters (at least two), though not necessarily the same raters.
    """
    rows = [[_whole(cell) for cell in row] for row in counts]
    if not rows:
        return math.nan
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("every item needs a count for every category")
    raters = sum(rows[0])
    if raters < 2:
        raise ValueError("Fleiss' kappa needs at least two raters per item")
    if any(sum(row) != raters for row in rows):
        raise ValueError(f"every item must have the same number of raters ({raters})")
    items = len(rows)
    ratings = items * raters
    # P̄ = agreeing / pairs and P̄e = chance / ratings², kept as whole numbers until the end.
    agreeing = sum(cell * cell for row in rows for cell in row) - ratings
    pairs = ratings * (raters - 1)
    chance = sum(sum(column) ** 2 for column in zip(*rows, strict=True))
    if chance == ratings * ratings:
        return math.nan
    return (agreeing * ratings * ratings - chance * pairs) / (pairs * (ratings * ratings - chance))


def krippendorff_alpha(data: Sequence[Sequence[Any]], level: str = "nominal") -> float:
    """Krippendorff's alpha, as computed in "Computing Krippendorff's Alpha-Reliability" (2011).

    `data` has one row per coder and one column per unit; None (or a float nan) is a missing
    value. Units with fewer than two values cannot be paired and are left out, as Krippendorff
    prescribes. Nominal values may be any hashable; ordinal values must be mutually orderable,
    in the order of the scale; interval and ratio values must be numbers (ratio ones not negative).
    Alpha does not care who gave which value within a unit, so the rows may just as well be
    "first, second, third annotation" as named people: fewer rows make it faster.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    codes, values = _coded(data)
    present = codes >= 0
    per_unit = present.sum(axis=0)
    pairable = per_unit >= 2
    codes, present, per_unit = codes[:, pairable], present[:, pairable], per_unit[pairable]
    frequency = np.bincount(codes[present], minlength=len(values))
    if np.count_nonzero(frequency) < 2:
        return math.nan
    position = _positions(values, frequency, level)
    distance = _DISTANCES[level]
    weight = 1.0 / (per_unit - 1)
    observed = 0.0  # Σ over units of Σ over ordered pairs of values δ / (m_u - 1)
    for first, second in combinations(range(len(codes)), 2):
        both = present[first] & present[second]
        if both.any():
            deltas = distance(codes[first, both], codes[second, both], position)
            observed += 2.0 * float(np.dot(deltas, weight[both]))
    expected = _EXPECTED[level](frequency, position)  # Σ over value pairs n_c n_k δ_ck
    pairable_values = int(frequency.sum())
    return 1.0 - (pairable_values - 1) * observed / expected


def _whole(cell: Any) -> int:
    try:
        number = int(cell)
    except (TypeError, ValueError):
        number = -1
    if number != cell or number < 0:
        raise ValueError(f"counts must be whole numbers of raters, not {cell!r}")
    return number


def _coded(data: Any) -> tuple[np.ndarray, list[Any]]:
    """Each value as the index of its category in the returned list, -1 for a missing value."""
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf" and data.ndim == 2:
        # Numbers in an array (nan for missing) are coded without a Python loop at all.
        missing = np.isnan(data) if data.dtype.kind == "f" else None
        values = np.unique(data if missing is None else data[~missing])
        codes = np.searchsorted(values, data).astype(np.intp, copy=False)
        if missing is not None:
            codes[missing] = -1
        return codes, values.tolist()
    rows = data.tolist() if isinstance(data, np.ndarray) else [list(row) for row in data]
    units = len(rows[0]) if rows else 0
    if any(len(row) != units for row in rows):
        raise ValueError("every coder needs a value, or None, for every unit")
    # The distinct values first, then one C-level lookup per value: token-level data runs to
    # millions of values, and a Python loop over them would be the slowest part of alpha.
    index: dict[Any, int] = dict.fromkeys(chain.from_iterable(rows), -1)
    values: list[Any] = []
    for value in index:
        # None and nan (the krippendorff package's missing value) stay -1; nan != nan.
        if value is not None and value == value:
            index[value] = len(values)
            values.append(value)
    codes = np.empty((len(rows), units), dtype=np.intp)
    for number, row in enumerate(rows):
        codes[number] = np.fromiter(map(index.__getitem__, row), dtype=np.intp, count=units)
    return codes, values


def _positions(values: list[Any], frequency: np.ndarray, level: str) -> np.ndarray:
    """Where each category sits on the line the distance is measured along."""
    if level == "nominal":
        return np.zeros(len(values))
    if level == "ordinal":
        # Krippendorff's ordinal δ for c ≤ k is (n_c/2 + n_between + n_k/2)²: the squared
        # distance between the categories' mid-ranks among the pairable values.
        try:
            order = sorted(range(len(values)), key=values.__getitem__)
        except TypeError as error:
            raise ValueError("ordinal values must be mutually orderable") from error
        ranked = frequency[order].astype(float)
        position = np.empty(len(values))
        position[order] = np.cumsum(ranked) - ranked / 2
        return position
    if not all(isinstance(value, Real) for value in values):
        raise ValueError(f"{level} values must be numbers")
    position = np.array(values, dtype=float)
    if level == "ratio" and (position < 0).any():
        raise ValueError("ratio values cannot be negative")
    return position


def _nominal_distance(first: np.ndarray, second: np.ndarray, position: np.ndarray) -> np.ndarray:
    return (first != second).astype(float)


def _squared_distance(first: np.ndarray, second: np.ndarray, position: np.ndarray) -> np.ndarray:
    return (position[first] - position[second]) ** 2


def _ratio_distance(first: np.ndarray, second: np.ndarray, position: np.ndarray) -> np.ndarray:
    return _ratio(position[first], position[second])


def _ratio(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    total = x + y
    # Only 0 and 0 sum to 0 among non-negative values, and they are the same value: δ = 0.
    difference = np.divide(x - y, total, out=np.zeros(np.broadcast(x, y).shape), where=total > 0)
    return difference**2


def _nominal_expected(frequency: np.ndarray, position: np.ndarray) -> float:
    total = int(frequency.sum())
    return float(total * total - int((frequency * frequency).sum()))


def _squared_expected(frequency: np.ndarray, position: np.ndarray) -> float:
    # Σ_c Σ_k n_c n_k (x_c - x_k)² = 2n Σ_c n_c (x_c - x̄)²: linear in the number of categories,
    # and centring on the mean keeps large values from cancelling each other out.
    total = frequency.sum()
    mean = np.dot(frequency, position) / total
    return float(2 * total * np.dot(frequency, (position - mean) ** 2))


def _ratio_expected(frequency: np.ndarray, position: np.ndarray) -> float:
    # No shortcut for ratio δ: every pair of categories, a block of rows at a time to bound memory.
    used = frequency > 0
    counts, values = frequency[used].astype(float), position[used]
    result = 0.0
    for start in range(0, len(values), 512):
        block = slice(start, start + 512)
        deltas = _ratio(values[block, np.newaxis], values[np.newaxis, :])
        result += float(counts[block] @ deltas @ counts)
    return result


_DISTANCES = {
    "nominal": _nominal_distance,
    "ordinal": _squared_distance,
    "interval": _squared_distance,
    "ratio": _ratio_distance,
}
_EXPECTED = {
    "nominal": _nominal_expected,
    "ordinal": _squared_expected,
    "interval": _squared_expected,
    "ratio": _ratio_expected,
}
