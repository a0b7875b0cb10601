import math

import numpy as np
import pytest

from annotator.domain.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha


def codings_from_table(table):
    """Two coders' codings from a contingency table {(first, second): items}."""
    first, second = [], []
    for (category_a, category_b), items in table.items():
        first += [category_a] * items
        second += [category_b] * items
    return first, second


def test_cohen_kappa_reproduces_cohen_1960():
    # Cohen (1960), "A coefficient of agreement for nominal scales", p. 45: 200 items, three
    # categories; p_o = 0.70, p_c = 0.41, kappa = 0.492.
    first, second = codings_from_table(
        {
            (1, 1): 88, (1, 2): 14, (1, 3): 18,
            (2, 1): 10, (2, 2): 40, (2, 3): 10,
            (3, 1): 2, (3, 2): 6, (3, 3): 12,
        }
    )  # fmt: skip
    assert round(cohen_kappa(first, second), 3) == 0.492


def test_cohen_kappa_reproduces_the_two_reader_textbook_example():
    # The yes/no example of Wikipedia's "Cohen's kappa": 50 proposals, 20 yes-yes, 5 yes-no,
    # 10 no-yes, 15 no-no; p_o = 0.7, p_e = 0.5, kappa = 0.4.
    first, second = codings_from_table(
        {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    )
    assert cohen_kappa(first, second) == pytest.approx(0.4, abs=1e-12)


def test_cohen_kappa_of_krippendorff_1995_digitized_units():
    # Krippendorff (1995), p. 57, example A (Bertha and Bill) cut into 24 one-unit cells; DKPro
    # Agreement's Krippendorff1995Test states kappa = 0.385 and nominal alpha = 0.329.
    bertha = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    bill = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert round(cohen_kappa(bertha, bill), 3) == 0.385
    assert round(krippendorff_alpha([bertha, bill]), 3) == 0.329


def test_cohen_kappa_is_one_for_identical_codings_and_treats_none_as_a_category():
    assert cohen_kappa(["C", None, "L", None], ["C", None, "L", None]) == 1.0
    assert cohen_kappa(["C", None], [None, "C"]) == -1.0


def test_cohen_kappa_is_nan_without_items_or_without_variation():
    assert math.isnan(cohen_kappa([], []))
    assert math.isnan(cohen_kappa(["C", "C", "C"], ["C", "C", "C"]))


def test_cohen_kappa_refuses_codings_of_different_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa([1, 2], [1])


# Fleiss (1971), "Measuring nominal scale agreement among many raters", p. 379: 30 patients,
# six psychiatrists each, five diagnoses; kappa = 0.430.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]  # fmt: skip


def test_fleiss_kappa_reproduces_fleiss_1971():
    counts = [[diagnoses.count(category) for category in range(1, 6)] for diagnoses in FLEISS_1971]
    assert round(fleiss_kappa(counts), 3) == 0.430


def test_fleiss_kappa_reproduces_the_fourteen_rater_example():
    # The example of Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters, 5 categories;
    # P̄ = 0.378, P̄e = 0.213, kappa = 0.210.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert round(fleiss_kappa(counts), 3) == 0.210
    assert fleiss_kappa(np.array(counts)) == fleiss_kappa(counts)


def test_fleiss_kappa_is_one_for_unanimous_raters_and_nan_without_variation():
    assert fleiss_kappa([[3, 0], [0, 3], [3, 0]]) == 1.0
    assert math.isnan(fleiss_kappa([[3, 0], [3, 0]]))
    assert math.isnan(fleiss_kappa([]))


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([[2, 1], [1, 1]], "same number of raters"),
        ([[1, 0]], "at least two raters"),
        ([[1.5, 0.5]], "whole numbers"),
        ([[3, -1]], "whole numbers"),
    ],
)
def test_fleiss_kappa_refuses_malformed_tables(counts, message):
    with pytest.raises(ValueError, match=message):
        fleiss_kappa(counts)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, missing values; unit 12 has a single value and cannot be paired.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_reproduces_krippendorff_2011(level, published):
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == published


def test_krippendorff_alpha_reproduces_the_binary_two_coder_example():
    # Krippendorff (2011), section A: two observers, ten units, binary values; alpha = 0.095.
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([first, second]), 3) == 0.095
    # o_01 = 4, n_0 = 14, n_1 = 6, n = 20: alpha = 1 - 19 × 4 / (14 × 6) = 2/21.
    assert krippendorff_alpha([first, second]) == pytest.approx(2 / 21, abs=1e-15)
    assert krippendorff_alpha(np.array([first, second])) == pytest.approx(2 / 21, abs=1e-15)


def test_krippendorff_alpha_takes_strings_as_nominal_values():
    as_words = [
        [None if value is None else f"v{value}" for value in row] for row in KRIPPENDORFF_2011
    ]
    assert krippendorff_alpha(as_words) == krippendorff_alpha(KRIPPENDORFF_2011)


def test_krippendorff_alpha_orders_ordinal_values_by_their_natural_order():
    letters = [
        [None if value is None else "abcde"[value - 1] for value in row]
        for row in KRIPPENDORFF_2011
    ]
    assert krippendorff_alpha(letters, "ordinal") == pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_2011, "ordinal"), abs=1e-12
    )


def test_units_with_a_single_value_are_left_out():
    without_unit_12 = [row[:11] for row in KRIPPENDORFF_2011]
    lonely = [
        [*row, value] for row, value in zip(without_unit_12, [7, None, None, None], strict=True)
    ]
    for level in ("nominal", "ordinal", "interval", "ratio"):
        expected = krippendorff_alpha(without_unit_12, level)
        assert krippendorff_alpha(lonely, level) == pytest.approx(expected, abs=1e-12)


def test_nan_counts_as_missing_like_none():
    with_nan = np.array(
        [[np.nan if value is None else value for value in row] for row in KRIPPENDORFF_2011]
    )
    assert krippendorff_alpha(with_nan, "interval") == pytest.approx(0.849, abs=5e-4)


def test_krippendorff_alpha_is_one_for_perfect_agreement():
    assert krippendorff_alpha([[1, 2, None, 3], [1, 2, 5, 3], [1, None, None, 3]]) == 1.0


def test_krippendorff_alpha_is_nan_without_pairable_values_or_variation():
    assert math.isnan(krippendorff_alpha([]))
    assert math.isnan(krippendorff_alpha([[1, 2, 3]]))  # one coder: nothing to pair
    assert math.isnan(krippendorff_alpha([[1, None], [None, 2]]))
    assert math.isnan(krippendorff_alpha([[1, 1, 2], [1, 1, None]], "interval"))


@pytest.mark.parametrize(
    ("data", "level", "message"),
    [
        ([[1, 2], [1, 2]], "cardinal", "level must be one of"),
        ([[1, 2], [1]], "nominal", "every coder needs a value"),
        ([["a", "b"], ["a", "b"]], "interval", "must be numbers"),
        ([[1, "b"], [1, "b"]], "ordinal", "mutually orderable"),
        ([[-1, 2], [-1, 2]], "ratio", "cannot be negative"),
    ],
)
def test_krippendorff_alpha_refuses_data_its_level_cannot_measure(data, level, message):
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, level)
