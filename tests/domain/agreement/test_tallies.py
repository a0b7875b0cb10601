"""The running tallies against the functions of `coefficients`, on seeded random data."""

import json
import math
import random
from collections import Counter

import pytest

from annotator.domain.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha
from annotator.domain.agreement.tallies import (
    CohenKappaTally,
    FleissKappaTally,
    IntervalAlphaTally,
    NominalAlphaTally,
)

TRIALS = range(20)
CATEGORIES = ["CASUALTY", "LOCATION", "ACTOR", "O", "DATE"]


def through_json(tally):
    """The tally as it comes back from a JSON field."""
    return type(tally).from_json(json.loads(json.dumps(tally.to_json())))


def reliability_data(rng, level):
    """Coders × units, about a quarter missing (None), at least two distinct pairable values."""
    while True:
        coders, units = rng.randint(2, 5), rng.randint(3, 50)
        if level == "interval":
            scale = [round(rng.gauss(10, 4), 2) for _ in range(rng.randint(2, 30))]
        else:
            scale = CATEGORIES[: rng.randint(2, len(CATEGORIES))]
        data = [
            [None if rng.random() < 0.25 else rng.choice(scale) for _ in range(units)]
            for _ in range(coders)
        ]
        pairable = [
            column for column in zip(*data, strict=True) if sum(v is not None for v in column) >= 2
        ]
        if len({value for column in pairable for value in column if value is not None}) >= 2:
            return data


def alpha_tally(kind, data, units=None):
    """A tally of `kind` fed the units (columns) of `data`, missing values left out."""
    tally = kind()
    for column in list(zip(*data, strict=True))[units or slice(None)]:
        tally.add_unit([value for value in column if value is not None])
    return tally


@pytest.mark.parametrize(
    ("kind", "level"), [(NominalAlphaTally, "nominal"), (IntervalAlphaTally, "interval")]
)
@pytest.mark.parametrize("seed", TRIALS)
def test_alpha_tally_matches_krippendorff_alpha(kind, level, seed):
    data = reliability_data(random.Random(seed), level)
    expected = krippendorff_alpha(data, level)
    tally = alpha_tally(kind, data)
    assert tally.alpha() == pytest.approx(expected, abs=1e-9)
    assert through_json(tally).alpha() == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("kind", "level"), [(NominalAlphaTally, "nominal"), (IntervalAlphaTally, "interval")]
)
@pytest.mark.parametrize("seed", TRIALS)
def test_two_alpha_tallies_added_equal_one_over_all_units(kind, level, seed):
    rng = random.Random(seed)
    data = reliability_data(rng, level)
    cut = rng.randint(0, len(data[0]))
    tally = alpha_tally(kind, data, slice(None, cut))
    tally.add(alpha_tally(kind, data, slice(cut, None)))
    assert tally.alpha() == pytest.approx(krippendorff_alpha(data, level), abs=1e-9)


@pytest.mark.parametrize("kind", [NominalAlphaTally, IntervalAlphaTally])
def test_a_unit_added_several_times_counts_as_that_many_units(kind):
    units = [[1, 1, 2], [2, 2], [1, 3], [3, 3, 3, 1]]
    if kind is NominalAlphaTally:
        units = [[str(value) for value in unit] for unit in units]
    once, repeated = kind(), kind()
    for times, unit in enumerate(units, start=1):
        repeated.add_unit(unit, times)
        for _ in range(times):
            once.add_unit(unit)
    each_once = kind()
    for unit in units:
        each_once.add_unit(unit)
    assert repeated.alpha() == pytest.approx(once.alpha(), abs=1e-12)
    assert repeated.alpha() != pytest.approx(each_once.alpha())  # `times` is not ignored


def test_nominal_alpha_tally_reproduces_krippendorff_1995_digitized_units():
    bertha = "001111111100001111110000"
    bill = "000011110000000110000000"
    tally = NominalAlphaTally()
    for values in zip(bertha, bill, strict=True):
        tally.add_unit(values)
    assert round(tally.alpha(), 3) == 0.329


@pytest.mark.parametrize("kind", [NominalAlphaTally, IntervalAlphaTally])
def test_alpha_tally_is_nan_without_pairable_values_or_without_variation(kind):
    value = "C" if kind is NominalAlphaTally else 4
    assert math.isnan(kind().alpha())
    lonely = kind()
    lonely.add_unit([value])  # one value: nothing to pair it with
    lonely.add_unit([])
    assert math.isnan(lonely.alpha())
    same = kind()
    same.add_unit([value, value, value])
    same.add_unit([value, value])
    assert math.isnan(same.alpha())
    assert math.isnan(through_json(same).alpha())


def test_units_with_a_single_value_add_nothing_to_alpha():
    data = [["C", "L", "C", None], ["C", "C", "L", "A"]]
    tally = alpha_tally(NominalAlphaTally, data)
    before = tally.alpha()
    tally.add_unit(["A"])
    assert tally.alpha() == before == pytest.approx(krippendorff_alpha(data))


def test_nominal_matrix_is_the_coincidence_matrix():
    tally = NominalAlphaTally()
    tally.add_unit(["C", "C", "L"])  # m = 3: each ordered pair weighs 1/2
    tally.add_unit(["C", "L"])
    values, matrix = tally.matrix()
    assert values == ["C", "L"]
    assert matrix == [[1.0, 2.0], [2.0, 0]]


def cohen_data(rng):
    items = rng.randint(1, 200)
    categories = CATEGORIES[: rng.randint(2, len(CATEGORIES))]
    first = [rng.choice(categories) for _ in range(items)]
    second = [value if rng.random() < 0.6 else rng.choice(categories) for value in first]
    return first, second


def cohen_tally(first, second):
    tally = CohenKappaTally()
    tally.confusion.update(zip(first, second, strict=True))
    return tally


@pytest.mark.parametrize("seed", TRIALS)
def test_cohen_kappa_tally_matches_cohen_kappa(seed):
    rng = random.Random(seed)
    first, second = cohen_data(rng)
    expected = cohen_kappa(first, second)
    tally = cohen_tally(first, second)
    assert tally.kappa() == pytest.approx(expected, abs=1e-9, nan_ok=True)
    assert through_json(tally).kappa() == pytest.approx(expected, abs=1e-9, nan_ok=True)
    cut = rng.randint(0, len(first))
    added = cohen_tally(first[:cut], second[:cut])
    added.add(cohen_tally(first[cut:], second[cut:]))
    assert added.kappa() == pytest.approx(expected, abs=1e-9, nan_ok=True)


def test_cohen_kappa_tally_reproduces_the_two_reader_textbook_example():
    # Wikipedia's "Cohen's kappa": 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no; kappa = 0.4.
    tally = CohenKappaTally(
        Counter({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    )
    assert tally.kappa() == pytest.approx(0.4, abs=1e-12)


def test_cohen_kappa_tally_is_nan_without_items_or_without_variation():
    assert math.isnan(CohenKappaTally().kappa())
    assert math.isnan(cohen_tally(["O", "O"], ["O", "O"]).kappa())


def fleiss_data(rng):
    """(raters, items as lists of chosen categories), at least two categories used."""
    while True:
        raters, items = rng.randint(2, 8), rng.randint(1, 40)
        categories = CATEGORIES[: rng.randint(2, len(CATEGORIES))]
        weights = [rng.random() for _ in categories]
        chosen = [rng.choices(categories, weights, k=raters) for _ in range(items)]
        if len({category for item in chosen for category in item}) >= 2:
            return raters, chosen, categories


def fleiss_tally(raters, chosen):
    tally = FleissKappaTally(raters)
    for item in chosen:
        tally.add_item(item)
    return tally


@pytest.mark.parametrize("seed", TRIALS)
def test_fleiss_kappa_tally_matches_fleiss_kappa(seed):
    rng = random.Random(seed)
    raters, chosen, categories = fleiss_data(rng)
    table = [[Counter(item)[category] for category in categories] for item in chosen]
    expected = fleiss_kappa(table)
    tally = fleiss_tally(raters, chosen)
    assert tally.kappa() == pytest.approx(expected, abs=1e-9)
    assert through_json(tally).kappa() == pytest.approx(expected, abs=1e-9)
    cut = rng.randint(0, len(chosen))
    added = fleiss_tally(raters, chosen[:cut])
    added.add(fleiss_tally(raters, chosen[cut:]))
    assert added.kappa() == pytest.approx(expected, abs=1e-9)


def test_fleiss_item_added_several_times_counts_as_that_many_items():
    items = [["C", "C", "L"], ["L", "L", "L"], ["C", "A", "L"]]
    repeated = FleissKappaTally(3)
    for times, item in enumerate(items, start=1):
        repeated.add_item(item, times)
    once = fleiss_tally(
        3, [item for times, item in enumerate(items, start=1) for _ in range(times)]
    )
    assert repeated.to_json() == once.to_json()
    assert repeated.kappa() != pytest.approx(fleiss_tally(3, items).kappa())


def test_fleiss_kappa_tally_is_nan_without_items_or_without_variation():
    assert math.isnan(FleissKappaTally(3).kappa())
    assert math.isnan(fleiss_tally(3, [["O", "O", "O"], ["O", "O", "O"]]).kappa())


def test_fleiss_kappa_tally_refuses_items_with_another_number_of_ratings():
    with pytest.raises(ValueError, match="2 ratings, not 3"):
        FleissKappaTally(3).add_item(["C", "L"])
    with pytest.raises(ValueError, match="same number of raters"):
        FleissKappaTally(3).add(FleissKappaTally(2))
