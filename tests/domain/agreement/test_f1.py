import dataclasses
import random

import pytest

from annotator.domain.agreement import F1Result, macro_f1, pooled_f1, span_f1
from annotator.domain.spans import SpanValue


def scores(result):
    return (
        result.true_positives,
        result.false_positives,
        result.false_negatives,
        result.precision,
        result.recall,
        result.f1,
    )


def test_exact_match_needs_the_same_start_end_and_label():
    a = [(0, 5, "C"), (10, 20, "L"), (30, 35, "A")]
    b = [(0, 5, "C"), (12, 20, "L"), (30, 35, "C")]
    assert scores(span_f1(a, b)) == (1, 2, 2, 1 / 3, 1 / 3, 1 / 3)


def test_overlap_match_needs_the_same_label_and_a_shared_character():
    a = [(0, 5, "C"), (10, 20, "L"), (30, 35, "A")]
    b = [(4, 9, "C"), (12, 20, "L"), (30, 35, "C"), (20, 25, "L")]
    result = span_f1(a, b, match="overlap")
    # C [0,5) and [4,9) share character 4; L [12,20) is inside [10,20); [20,25) only touches it.
    assert scores(result)[:3] == (2, 2, 1)
    assert result.per_label["A"].false_negatives == 1
    assert result.per_label["C"].false_positives == 1  # the C at [30, 35)


def test_two_short_spans_inside_one_long_span_count_once():
    a = [(0, 20, "C")]
    b = [(0, 5, "C"), (10, 15, "C")]
    assert scores(span_f1(a, b, match="overlap")) == (1, 1, 0, 0.5, 1.0, 2 / 3)
    assert scores(span_f1(b, a, match="overlap")) == (1, 0, 1, 1.0, 0.5, 2 / 3)


def test_overlap_pairing_takes_the_largest_pairing_not_the_largest_overlap():
    # b [4, 22) overlaps a [0, 10) by 6 and a [20, 30) by 2; b [0, 3) overlaps only a [0, 10).
    # Pairing the largest overlap first would leave one pair; two pairs are possible.
    a = [(0, 10, "C"), (20, 30, "C")]
    b = [(4, 22, "C"), (0, 3, "C")]
    assert span_f1(a, b, match="overlap").true_positives == 2


def largest_pairing(a, b):
    """The size of a maximum matching by augmenting paths (Kuhn), the slow sure way."""
    partner = {}

    def place(i, seen):
        for j, (start, end, label) in enumerate(b):
            first = a[i]
            if j in seen or label != first[2] or not (start < first[1] and first[0] < end):
                continue
            seen.add(j)
            if j not in partner or place(partner[j], seen):
                partner[j] = i
                return True
        return False

    return sum(place(i, set()) for i in range(len(a)))


def test_overlap_pairing_is_as_large_as_a_maximum_matching():
    rng = random.Random(11)

    def spans(count):
        result = []
        for _ in range(count):
            start = rng.randrange(0, 40)
            result.append((start, start + rng.randint(1, 12), rng.choice("CL")))
        return result

    for _ in range(500):
        a, b = spans(rng.randint(0, 8)), spans(rng.randint(0, 8))
        result = span_f1(a, b, match="overlap")
        assert result.true_positives == largest_pairing(a, b), (a, b)
        assert result.true_positives + result.false_negatives == len(a)
        assert result.true_positives + result.false_positives == len(b)


def test_duplicate_spans_pair_one_to_one():
    a = [(0, 5, "C"), (0, 5, "C")]
    assert scores(span_f1(a, [(0, 5, "C")]))[:3] == (1, 0, 1)
    assert scores(span_f1(a, [(0, 5, "C")], match="overlap"))[:3] == (1, 0, 1)
    assert scores(span_f1(a * 3, a))[:3] == (2, 0, 4)
    assert scores(span_f1(a * 3, a, match="overlap"))[:3] == (2, 0, 4)


def test_scores_are_given_per_label_and_overall():
    a = [(0, 5, "C"), (10, 15, "L"), (20, 25, "L")]
    b = [(0, 5, "C"), (10, 15, "L"), (40, 45, "A")]
    result = span_f1(a, b)
    assert list(result.per_label) == ["A", "C", "L"]
    assert scores(result.per_label["C"]) == (1, 0, 0, 1.0, 1.0, 1.0)
    assert scores(result.per_label["L"]) == (1, 0, 1, 1.0, 0.5, 2 / 3)
    assert scores(result.per_label["A"]) == (0, 1, 0, 0.0, 0.0, 0.0)
    assert scores(result) == (2, 1, 1, 2 / 3, 2 / 3, 2 / 3)  # micro: the counts added up
    assert macro_f1(result) == pytest.approx((1.0 + 2 / 3 + 0.0) / 3)


def test_two_empty_annotations_agree_completely():
    result = span_f1([], [])
    assert scores(result) == (0, 0, 0, 1.0, 1.0, 1.0)
    assert result.per_label == {}
    assert macro_f1(result) == 1.0


def test_one_empty_annotation_scores_zero():
    assert scores(span_f1([(0, 5, "C")], [])) == (0, 0, 1, 0.0, 0.0, 0.0)
    assert scores(span_f1([], [(0, 5, "C")])) == (0, 1, 0, 0.0, 0.0, 0.0)


def test_span_values_are_accepted_as_spans():
    a = [SpanValue(0, 5, "C", 1), SpanValue(10, 15, "L", 2)]
    b = [(0, 5, "C"), SpanValue(11, 15, "L", 9)]
    assert span_f1(a, b).true_positives == 1
    assert span_f1(a, b, match="overlap").true_positives == 2


def test_pooled_f1_adds_the_counts_of_every_document():
    first = span_f1([(0, 5, "C")], [(0, 5, "C")])
    second = span_f1([(0, 5, "C"), (6, 9, "L")], [(1, 5, "C")])
    pooled = pooled_f1([first, second])
    assert scores(pooled)[:3] == (1, 1, 2)
    assert scores(pooled.per_label["C"])[:3] == (1, 1, 1)
    assert scores(pooled.per_label["L"])[:3] == (0, 0, 1)
    assert scores(pooled_f1([])) == (0, 0, 0, 1.0, 1.0, 1.0)


def test_results_are_frozen_and_hashable():
    result = span_f1([(0, 5, "C")], [(0, 5, "C")])
    assert isinstance(result, F1Result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.f1 = 0.5
    assert hash(result) == hash(span_f1([(0, 5, "C")], [(0, 5, "C")]))


def test_span_f1_refuses_unknown_matching_and_empty_spans():
    with pytest.raises(ValueError, match="match must be"):
        span_f1([], [], match="fuzzy")
    with pytest.raises(ValueError, match="is empty"):
        span_f1([(5, 5, "C")], [])
