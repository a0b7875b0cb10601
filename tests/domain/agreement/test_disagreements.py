import random
from collections import Counter

import pytest

from annotator.domain.agreement import CodedSpan, Pairing, compare_spans, span_f1


def kinds(first, second):
    return [
        (pairing.kind, pairing.first, pairing.second) for pairing in compare_spans(first, second)
    ]


def test_the_same_span_is_agreed():
    span = CodedSpan(0, 5, "C")
    assert compare_spans([span], [CodedSpan(0, 5, "C")]) == [Pairing("agreed", span, span)]


def test_the_same_range_with_another_label_is_a_label_disagreement():
    first, second = CodedSpan(0, 5, "C"), CodedSpan(0, 5, "L")
    assert kinds([first], [second]) == [("label", first, second)]


def test_overlapping_spans_of_one_label_are_a_boundary_disagreement():
    first, second = CodedSpan(0, 5, "C"), CodedSpan(2, 9, "C")
    assert kinds([first], [second]) == [("boundary", first, second)]


def test_overlapping_spans_with_another_label_and_range_disagree_on_both():
    first, second = CodedSpan(0, 5, "C"), CodedSpan(3, 9, "L")
    assert kinds([first], [second]) == [("both", first, second)]


def test_a_span_only_one_annotator_marked_is_missing_on_either_side():
    mine, theirs = CodedSpan(0, 5, "C"), CodedSpan(10, 12, "C")
    assert kinds([mine], []) == [("missing", mine, None)]
    assert kinds([], [theirs]) == [("missing", None, theirs)]
    assert kinds([mine], [theirs]) == [("missing", mine, None), ("missing", None, theirs)]


def test_touching_spans_do_not_overlap():
    first, second = CodedSpan(0, 5, "C"), CodedSpan(5, 9, "C")
    assert [kind for kind, _, _ in kinds([first], [second])] == ["missing", "missing"]


def test_nothing_marked_gives_nothing():
    assert compare_spans([], []) == []


def test_spans_pair_one_to_one():
    # Two short spans inside one long one of the same label: one boundary pair, one lone span.
    long, early, late = CodedSpan(0, 20, "C"), CodedSpan(2, 5, "C"), CodedSpan(10, 15, "C")
    assert kinds([long], [early, late]) == [("boundary", long, early), ("missing", None, late)]
    assert kinds([late, early], [long]) == [("boundary", early, long), ("missing", late, None)]


def test_an_exact_match_is_taken_before_a_boundary_pairing():
    # The second's [0, 5) could pair with the first's [0, 6) by overlap, but [0, 5) matches it.
    first = [CodedSpan(0, 6, "C"), CodedSpan(0, 5, "C")]
    second = [CodedSpan(0, 5, "C")]
    assert kinds(first, second) == [
        ("agreed", first[1], second[0]),
        ("missing", first[0], None),
    ]


def test_a_label_disagreement_is_taken_before_a_boundary_one():
    # [0, 5) L could be a boundary partner of [0, 8) L, but it has the same range as [0, 5) C.
    first = [CodedSpan(0, 5, "C"), CodedSpan(0, 8, "L")]
    second = [CodedSpan(0, 5, "L")]
    assert kinds(first, second) == [("label", first[0], second[0]), ("missing", first[1], None)]


def test_a_boundary_disagreement_is_taken_before_one_on_both():
    first = [CodedSpan(0, 5, "C")]
    second = [CodedSpan(1, 5, "L"), CodedSpan(2, 7, "C")]
    assert kinds(first, second) == [("boundary", first[0], second[1]), ("missing", None, second[0])]


def test_pairings_come_in_text_order():
    first = [CodedSpan(20, 25, "C"), CodedSpan(0, 3, "L")]
    second = [CodedSpan(10, 12, "A"), CodedSpan(0, 3, "L")]
    starts = [
        min(span.start for span in (pairing.first, pairing.second) if span)
        for pairing in compare_spans(first, second)
    ]
    assert starts == [0, 10, 20]


def key(span):
    return span.start, span.end, span.label


def random_spans(rng, count):
    spans = []
    for _ in range(count):
        start = rng.randint(0, 15)
        spans.append(CodedSpan(start, start + rng.randint(1, 6), rng.choice("CLA")))
    return spans


def test_spans_of_the_same_range_alone_on_one_side_come_in_a_fixed_order():
    actor, place = CodedSpan(0, 5, "ACTOR"), CodedSpan(0, 5, "LOCATION")
    assert compare_spans([actor, place], []) == compare_spans([place, actor], [])
    assert compare_spans([], [actor, place]) == compare_spans([], [place, actor])


@pytest.mark.parametrize("seed", range(30))
def test_the_result_does_not_depend_on_the_order_of_the_spans(seed):
    rng = random.Random(seed)
    first, second = random_spans(rng, rng.randint(0, 8)), random_spans(rng, rng.randint(0, 8))
    expected = compare_spans(first, second)
    for _ in range(5):
        assert (
            compare_spans(rng.sample(first, len(first)), rng.sample(second, len(second)))
            == expected
        )


@pytest.mark.parametrize("seed", range(30))
def test_every_span_is_in_exactly_one_pairing(seed):
    rng = random.Random(seed)
    first, second = random_spans(rng, rng.randint(0, 8)), random_spans(rng, rng.randint(0, 8))
    pairings = compare_spans(first, second)
    assert Counter(key(p.first) for p in pairings if p.first) == Counter(map(key, first))
    assert Counter(key(p.second) for p in pairings if p.second) == Counter(map(key, second))
    for pairing in pairings:
        assert (pairing.kind == "missing") == (pairing.first is None or pairing.second is None)


@pytest.mark.parametrize("seed", range(30))
def test_agreed_pairs_are_the_exact_matches_and_matched_pairs_fit_within_overlap_f1(seed):
    rng = random.Random(seed)
    first, second = random_spans(rng, rng.randint(0, 8)), random_spans(rng, rng.randint(0, 8))
    counts = Counter(pairing.kind for pairing in compare_spans(first, second))
    assert counts["agreed"] == span_f1(first, second, "exact").true_positives
    # Agreed and boundary pairs are a one-to-one pairing of same-label overlapping spans, so
    # they never exceed the largest one, which overlap F1 counts.
    assert counts["agreed"] + counts["boundary"] <= span_f1(first, second, "overlap").true_positives


def test_boundary_pairs_are_what_overlap_f1_adds_when_no_exact_match_gets_in_the_way():
    first = [CodedSpan(0, 4, "C"), CodedSpan(6, 9, "C"), CodedSpan(20, 30, "L")]
    second = [CodedSpan(2, 7, "C"), CodedSpan(8, 12, "C"), CodedSpan(25, 26, "L")]
    counts = Counter(pairing.kind for pairing in compare_spans(first, second))
    assert counts == {"boundary": 3}
    assert span_f1(first, second, "overlap").true_positives == 3


def test_an_exact_match_is_kept_even_where_overlap_f1_pairs_its_spans_otherwise():
    # Overlap F1 pairs [5, 15) with [14, 20) and [0, 6) with [5, 15): two matches. The
    # disagreements keep the exact match and report the other two spans as missing.
    first = [CodedSpan(5, 15, "C"), CodedSpan(0, 6, "C")]
    second = [CodedSpan(5, 15, "C"), CodedSpan(14, 20, "C")]
    assert kinds(first, second) == [
        ("missing", first[1], None),
        ("agreed", first[0], second[0]),
        ("missing", None, second[1]),
    ]
    assert span_f1(first, second, "overlap").true_positives == 2
