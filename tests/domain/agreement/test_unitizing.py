import math

import pytest

from annotator.domain.agreement import unitizing_alpha, unitizing_disagreements

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254, as DKPro Agreement's
# Krippendorff2004Test codes it: two observers, continuum [150, 450), categories c and k.
KRIPPENDORFF_2004 = [
    ("i", 225, 295, "c"),
    ("i", 370, 400, "c"),
    ("j", 220, 300, "c"),
    ("j", 355, 375, "c"),
    ("j", 400, 420, "c"),
    ("i", 180, 240, "k"),
    ("i", 300, 350, "k"),
    ("j", 180, 240, "k"),
    ("j", 300, 350, "k"),
]


def test_unitizing_alpha_reproduces_krippendorff_2004():
    pooled, per_label = unitizing_alpha(KRIPPENDORFF_2004, 150, 450)
    # DKPro asserts c: D_O = 0.0144, D_E = 0.0532, alpha = 0.7286; k: 0, 0.0490, 1.0;
    # pooled 0.8591 within 0.0005.
    parts = unitizing_disagreements(KRIPPENDORFF_2004, 150, 450)
    assert parts["c"] == pytest.approx((0.0144, 0.0532), abs=1e-4)
    assert parts["k"] == pytest.approx((0.0, 0.0490), abs=1e-4)
    assert per_label["c"] == pytest.approx(0.7286, abs=1e-4)
    assert per_label["k"] == 1.0
    assert pooled == pytest.approx(0.8591, abs=5e-4)
    assert round(pooled, 3) == 0.859


def test_observed_disagreement_of_krippendorff_2004_by_hand():
    # The c units of i and j, and their distances (DKPro's testDistanceMetric2 states them):
    #   i [225, 295) vs j [220, 300): 5² + 5² = 50
    #   i [370, 400) vs j [355, 375): 15² + 25² = 850
    #   j [400, 420) lies inside i's gap [400, 450): 20² = 400
    # D_O = 2 × (50 + 850 + 400) / (R(R-1) L²) = 2600 / (2 × 300²) = 0.014444...
    observed, _ = unitizing_disagreements(KRIPPENDORFF_2004, 150, 450)["c"]
    assert observed == pytest.approx(1300 / 90_000, abs=1e-15)


def test_systematic_disagreement_is_negative():
    # DKPro's UnitizingAgreementTest: one long unit against three short ones inside it.
    #   r0: -11111111-
    #   r1: --1-1-1---
    segments = [(0, 1, 9, "A"), (1, 2, 3, "A"), (1, 4, 5, "A"), (1, 6, 7, "A")]
    parts = unitizing_disagreements(segments, 0, 10)
    assert parts["A"] == pytest.approx((0.9100, 0.5351), abs=1e-4)
    pooled, per_label = unitizing_alpha(segments, 0, 10)
    assert per_label["A"] == pytest.approx(-0.7003, abs=1e-4)
    assert pooled == per_label["A"] < 0


# Krippendorff (1995), "On the reliability of unitizing continuous data", p. 57, as DKPro's
# Krippendorff1995Test codes it: four pairs of coders on a continuum of 24, one category each.
KRIPPENDORFF_1995 = [
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
    (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
    (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
    (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]  # fmt: skip


def stretched(factor, labels="ABCD"):
    """The 1995 example with every offset and length multiplied, truncated as DKPro does."""
    return [
        (coder, int(offset * factor), int(offset * factor) + int(length * factor), label)
        for offset, length, coder, label in KRIPPENDORFF_1995
        if label in labels
    ]


def test_observed_disagreement_reproduces_krippendorff_1995():
    parts = unitizing_disagreements(stretched(1), 0, 24)
    observed = {label: observed for label, (observed, _) in parts.items()}
    assert observed == pytest.approx(
        {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=1e-5
    )


def test_unitizing_alpha_reproduces_krippendorff_1995_on_a_long_continuum():
    # DKPro checks these within 0.02: it notes a small error in the paper's expected
    # disagreement, so the paper's values are approximate.
    _, per_label = unitizing_alpha(stretched(50_000), 0, 24 * 50_000)
    assert per_label == pytest.approx({"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}, abs=0.02)


def test_expected_disagreement_reproduces_krippendorff_1995_halved():
    # Halved, C's offsets and lengths stay whole (B's units of length 1 would vanish); DKPro
    # asserts D_O = 0.02777 and D_E = 0.05494 to 1e-5 here, and alpha = 0.494.
    halved = stretched(0.5, labels="C")
    observed, expected = unitizing_disagreements(halved, 0, 12)["C"]
    assert (observed, expected) == pytest.approx((0.02777, 0.05494), abs=1e-5)
    assert round(unitizing_alpha(halved, 0, 12)[0], 3) == 0.494


def test_a_small_case_computed_by_hand():
    # Continuum [0, 10), label X: coder a marks [2, 6), coder b marks [3, 6).
    # D_O: one overlapping pair, δ = (2-3)² + (6-6)² = 1; D_O = 2 × 1 / (2 × 1 × 10²) = 0.01.
    # D_E: unit lengths 4 and 3, N_c = 2; gaps: a [0,2) = 2, [6,10) = 4; b [0,3) = 3, [6,10) = 4.
    #   l = 4: (2-1)(2·64 - 3·16 + 4)/3 = 28, gaps ≥ 4: 4, 4 → 16 × (1 + 1) = 32; 60 in all
    #   l = 3: (2-1)(2·27 - 3·9 + 3)/3 = 10, gaps ≥ 3: 3, 4, 4 → 9 × (1 + 2 + 2) = 45; 55 in all
    #   2/L × 115 = 23; denominator R L (R L - 1) - Σ l(l-1) = 2·10·19 - (12 + 6) = 362
    #   D_E = 23 / 362
    # alpha = 1 - 0.01 / (23/362) = 1 - 3.62/23 = 0.842608...
    segments = [("a", 2, 6, "X"), ("b", 3, 6, "X")]
    assert unitizing_disagreements(segments, 0, 10)["X"] == pytest.approx((0.01, 23 / 362))
    pooled, per_label = unitizing_alpha(segments, 0, 10)
    assert pooled == per_label["X"] == pytest.approx(1 - 3.62 / 23, abs=1e-12)


def test_identical_codings_give_one():
    coding = [(0, 5, "C"), (10, 20, "C"), (12, 14, "L"), (30, 31, "A")]
    segments = [(coder, start, end, label) for coder in "xyz" for start, end, label in coding]
    assert unitizing_alpha(segments, 0, 40) == (1.0, {"A": 1.0, "C": 1.0, "L": 1.0})


def test_the_result_does_not_depend_on_where_the_continuum_starts():
    shifted = [
        (coder, start + 1000, end + 1000, label) for coder, start, end, label in KRIPPENDORFF_2004
    ]
    assert unitizing_alpha(shifted, 1150, 1450) == unitizing_alpha(KRIPPENDORFF_2004, 150, 450)


def test_a_coder_who_marked_nothing_counts_when_named():
    segments = [("a", 2, 6, "X"), ("b", 2, 6, "X")]
    assert unitizing_alpha(segments, 0, 10)[0] == 1.0
    with_silent_coder = unitizing_alpha(segments, 0, 10, coders=["a", "b", "c"])[0]
    assert with_silent_coder < 1.0


def test_a_single_unit_by_one_of_three_coders_gives_zero():
    # DKPro's testSingleAnnotationUnit: D_O and D_E are both 1/600.
    assert unitizing_alpha([(0, 0, 1, "X")], 0, 20, coders=[0, 1, 2]) == (0.0, {"X": 0.0})


def test_no_segments_give_nan_and_no_labels():
    pooled, per_label = unitizing_alpha([], 0, 20, coders=[0, 1, 2])
    assert math.isnan(pooled)
    assert per_label == {}


def test_a_label_nobody_used_is_left_out():
    _, per_label = unitizing_alpha([("a", 0, 5, "C"), ("b", 0, 5, "C")], 0, 10)
    assert set(per_label) == {"C"}


def test_one_coder_gives_nan():
    pooled, per_label = unitizing_alpha([("a", 0, 5, "C")], 0, 10)
    assert math.isnan(pooled)
    assert math.isnan(per_label["C"])


def test_a_coders_overlapping_segments_of_one_label_count_as_their_union():
    nested = [("a", 0, 10, "C"), ("a", 2, 4, "C"), ("a", 8, 12, "C"), ("b", 0, 12, "C")]
    union = [("a", 0, 12, "C"), ("b", 0, 12, "C")]
    assert unitizing_alpha(nested, 0, 20) == unitizing_alpha(union, 0, 20)


def test_touching_segments_stay_two_units():
    split = [("a", 0, 5, "C"), ("a", 5, 10, "C"), ("b", 0, 10, "C")]
    assert unitizing_alpha(split, 0, 20)[0] < 1.0


def test_segments_of_other_labels_are_gaps():
    # b's L unit over a's C unit is a gap for C: C and L each disagree completely.
    segments = [("a", 0, 5, "C"), ("b", 0, 5, "L")]
    _, per_label = unitizing_alpha(segments, 0, 20)
    assert per_label["C"] < 0 and per_label["L"] < 0


@pytest.mark.parametrize(
    ("segments", "begin", "end", "message"),
    [
        ([("a", 0, 5, "C")], 5, 5, "must not be empty"),
        ([("a", 3, 3, "C")], 0, 10, "empty or outside"),
        ([("a", 8, 12, "C")], 0, 10, "empty or outside"),
        ([("a", -1, 2, "C")], 0, 10, "empty or outside"),
    ],
)
def test_unitizing_alpha_refuses_segments_off_the_continuum(segments, begin, end, message):
    with pytest.raises(ValueError, match=message):
        unitizing_alpha(segments, begin, end)


def test_every_segment_coder_must_be_among_the_named_coders():
    with pytest.raises(ValueError, match="not among"):
        unitizing_alpha([("z", 0, 5, "C")], 0, 10, coders=["a", "b"])
