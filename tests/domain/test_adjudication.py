import random

import pytest

from annotator.domain.adjudication import NO_SPAN, merge
from annotator.domain.agreement.document import CodedSpan


def span(start, end, label="LOCATION", **attributes):
    return CodedSpan(start, end, label, attributes)


def keys(variants):
    return [variant.key for variant in variants]


# Agreed spans


def test_spans_every_annotator_marked_exactly_are_agreed():
    everyone = [span(0, 6, "ACTOR"), span(14, 19)]
    result = merge({"a": everyone, "b": list(everyone), "c": list(everyone)})
    assert keys(result.agreed) == [(0, 6, "ACTOR"), (14, 19, "LOCATION")]
    assert all(variant.annotators == ("a", "b", "c") for variant in result.agreed)
    assert result.groups == ()


@pytest.mark.parametrize(
    "other",
    [span(1, 6), span(0, 7), span(0, 6, "ACTOR")],
    ids=["other start", "other end", "other label"],
)
def test_a_span_not_marked_exactly_by_everyone_is_not_agreed(other):
    result = merge({"a": [span(0, 6)], "b": [other]})
    assert result.agreed == ()
    assert len(result.groups) == 1
    assert sorted(keys(result.groups[0].variants)) == sorted([(0, 6, "LOCATION"), other[:3]])


def test_a_span_marked_by_all_but_one_annotator_is_a_conflict_not_agreed():
    result = merge({"a": [span(0, 6)], "b": [span(0, 6)], "c": []})
    assert result.agreed == ()
    (group,) = result.groups
    assert keys(group.variants) == [(0, 6, "LOCATION")]
    assert group.silent == ("c",)


# Grouping of conflicts


def test_overlapping_conflicts_are_grouped_transitively_whatever_their_labels():
    # a's and c's spans do not touch, but b's overlaps both: one region.
    result = merge({"a": [span(0, 5)], "b": [span(4, 10, "ACTOR")], "c": [span(9, 14)]})
    (group,) = result.groups
    assert (group.start, group.end) == (0, 14)
    assert sorted(keys(group.variants)) == [
        (0, 5, "LOCATION"),
        (4, 10, "ACTOR"),
        (9, 14, "LOCATION"),
    ]


def test_a_long_span_holds_together_the_spans_inside_and_after_it():
    # Sorted by start: [0, 20), [2, 5), [10, 15). The last overlaps only the first.
    result = merge({"a": [span(0, 20)], "b": [span(2, 5)], "c": [span(10, 15)]})
    (group,) = result.groups
    assert (group.start, group.end) == (0, 20)
    assert len(group.variants) == 3


def test_spans_that_do_not_overlap_are_separate_groups():
    # [0, 5) and [5, 10) only touch; [20, 25) is far away.
    result = merge({"a": [span(0, 5), span(20, 25)], "b": [span(5, 10)]})
    assert [(group.start, group.end) for group in result.groups] == [(0, 5), (5, 10), (20, 25)]
    assert [keys(group.variants) for group in result.groups] == [
        [(0, 5, "LOCATION")],
        [(5, 10, "LOCATION")],
        [(20, 25, "LOCATION")],
    ]


def test_each_variant_lists_the_annotators_who_proposed_it_most_proposers_first():
    result = merge({"a": [span(3, 9)], "b": [span(0, 9)], "c": [span(0, 9)]})
    (group,) = result.groups
    assert [(variant.key, variant.annotators) for variant in group.variants] == [
        ((0, 9, "LOCATION"), ("b", "c")),
        ((3, 9, "LOCATION"), ("a",)),
    ]


def test_annotators_who_marked_nothing_in_the_region_are_silent():
    result = merge({"a": [span(0, 5)], "b": [span(20, 25)], "c": [span(0, 7)]})
    first, second = result.groups
    assert first.silent == ("b",)
    assert second.silent == ("a", "c")


# Majority choice


def test_two_of_three_marking_the_same_span_make_it_the_choice():
    result = merge({"a": [span(0, 5)], "b": [span(0, 5)], "c": [span(0, 7)]})
    (group,) = result.groups
    assert group.choice is not None and group.choice != NO_SPAN
    assert group.choice.key == (0, 5, "LOCATION")
    assert group.choice.annotators == ("a", "b")


def test_two_of_three_marking_nothing_make_no_span_the_choice():
    result = merge({"a": [span(0, 5)], "b": [], "c": []})
    (group,) = result.groups
    assert group.choice == NO_SPAN


def test_three_different_variants_have_no_majority():
    result = merge({"a": [span(0, 5)], "b": [span(0, 7)], "c": [span(0, 5, "ACTOR")]})
    (group,) = result.groups
    assert group.choice is None


@pytest.mark.parametrize(
    "theirs",
    [[span(0, 7)], []],
    ids=["another variant", "nothing"],
)
def test_with_two_annotators_a_split_has_no_majority(theirs):
    result = merge({"a": [span(0, 5)], "b": theirs})
    (group,) = result.groups
    assert group.choice is None


def test_a_variant_proposed_by_only_some_annotators_against_silent_ones_is_no_majority():
    # Two of four marked it, two marked nothing: neither side has more than half.
    result = merge({"a": [span(0, 5)], "b": [span(0, 5)], "c": [], "d": []})
    (group,) = result.groups
    assert group.choice is None


# Kinds of conflict


@pytest.mark.parametrize(
    ("theirs", "kind"),
    [
        ([span(0, 5, "ACTOR")], "label"),
        ([span(0, 7)], "boundary"),
        ([span(2, 5)], "boundary"),
        ([span(0, 7, "ACTOR")], "both"),
        ([], "missing"),
    ],
)
def test_the_kind_of_a_conflict_says_what_it_is_about(theirs, kind):
    result = merge({"a": [span(0, 5)], "b": theirs})
    (group,) = result.groups
    assert group.kind == kind


def test_a_conflict_some_annotator_left_blank_is_missing_whatever_the_others_did():
    result = merge({"a": [span(0, 5)], "b": [span(0, 7, "ACTOR")], "c": []})
    (group,) = result.groups
    assert group.kind == "missing"


# Attributes of agreed spans


def test_agreed_span_with_different_attribute_values_carries_the_conflict_and_majority():
    result = merge(
        {
            "a": [span(0, 8, "CASUALTY_FIGURE", outcome="killed", value=3)],
            "b": [span(0, 8, "CASUALTY_FIGURE", outcome="killed", value=3)],
            "c": [span(0, 8, "CASUALTY_FIGURE", outcome="injured", value=3)],
        }
    )
    (agreed,) = result.agreed
    assert agreed.conflicts == {"outcome": {'"injured"': ("c",), '"killed"': ("a", "b")}}
    assert agreed.attributes == {"outcome": "killed", "value": 3}
    assert result.groups == ()
    assert not result.unanimous


def test_an_attribute_only_some_annotators_gave_is_a_conflict():
    result = merge(
        {
            "a": [span(0, 8, "CASUALTY_FIGURE", outcome="killed", value=3)],
            "b": [span(0, 8, "CASUALTY_FIGURE", outcome="killed")],
            "c": [span(0, 8, "CASUALTY_FIGURE", outcome="killed")],
        }
    )
    (agreed,) = result.agreed
    assert agreed.conflicts == {"value": {"3": ("a",), "null": ("b", "c")}}
    # The majority gave no value: the merged span has none.
    assert agreed.attributes == {"outcome": "killed"}


def test_an_attribute_tie_is_broken_the_same_way_whatever_the_order():
    first = merge(
        {"a": [span(0, 8, "C", outcome="killed")], "b": [span(0, 8, "C", outcome="injured")]}
    )
    second = merge(
        {"b": [span(0, 8, "C", outcome="injured")], "a": [span(0, 8, "C", outcome="killed")]}
    )
    assert first.agreed[0].attributes == second.agreed[0].attributes == {"outcome": "injured"}


def test_list_attributes_in_the_same_order_agree():
    result = merge(
        {
            "a": [span(0, 8, "C", victim_subgroup=["children", "women"])],
            "b": [span(0, 8, "C", victim_subgroup=["children", "women"])],
        }
    )
    assert result.agreed[0].conflicts == {}
    assert result.agreed[0].attributes == {"victim_subgroup": ["children", "women"]}


# Unanimity


def test_identical_spans_and_attributes_are_unanimous():
    marks = [span(0, 6, "ACTOR"), span(8, 16, "CASUALTY_FIGURE", outcome="killed")]
    assert merge({"a": marks, "b": list(marks)}).unanimous


def test_annotators_who_all_marked_nothing_are_unanimous():
    result = merge({"a": [], "b": []})
    assert result.unanimous
    assert (result.agreed, result.groups) == ((), ())


@pytest.mark.parametrize(
    "theirs",
    [
        [span(0, 6, "ACTOR"), span(8, 16, "CASUALTY_FIGURE", outcome="injured")],
        [span(0, 6, "ACTOR")],
        [span(0, 6, "ACTOR"), span(8, 17, "CASUALTY_FIGURE", outcome="killed")],
        [span(0, 6, "LOCATION"), span(8, 16, "CASUALTY_FIGURE", outcome="killed")],
    ],
    ids=["attribute", "missing span", "boundary", "label"],
)
def test_any_difference_is_not_unanimous(theirs):
    mine = [span(0, 6, "ACTOR"), span(8, 16, "CASUALTY_FIGURE", outcome="killed")]
    assert not merge({"a": mine, "b": theirs}).unanimous


# Independence of order, duplicates


def test_the_result_does_not_depend_on_the_order_of_spans_or_annotators():
    codings = {
        "a": [span(0, 6, "ACTOR"), span(14, 19), span(24, 30), span(32, 40, "C", outcome="killed")],
        "b": [span(0, 6, "ACTOR"), span(14, 19), span(24, 30, "ACTOR"), span(50, 54)],
        "c": [span(0, 13, "ACTOR"), span(14, 19), span(32, 40, "C", outcome="injured")],
        "d": [span(0, 6, "ACTOR"), span(20, 30), span(32, 40, "C", outcome="killed")],
    }
    expected = merge(codings)
    assert len(expected.groups) >= 3  # a real mix of conflicts, not a trivial merge
    shuffler = random.Random(6)
    for _ in range(30):
        names = list(codings)
        shuffler.shuffle(names)
        shuffled = {}
        for name in names:
            spans = list(codings[name])
            shuffler.shuffle(spans)
            shuffled[name] = spans
        assert merge(shuffled) == expected


def test_an_annotators_duplicate_span_counts_once():
    # Were a's two copies two votes, a's variant would have a majority of three.
    result = merge({"a": [span(0, 5), span(0, 5)], "b": [span(0, 7)], "c": [span(0, 9)]})
    (group,) = result.groups
    assert [
        variant.annotators for variant in group.variants if variant.key == (0, 5, "LOCATION")
    ] == [("a",)]
    assert group.choice is None


def test_a_duplicate_span_of_one_annotator_does_not_make_it_agreed():
    result = merge({"a": [span(0, 5), span(0, 5)], "b": []})
    assert result.agreed == ()
    assert result.groups[0].variants[0].annotators == ("a",)
