import pytest

from annotator.domain.adjudication import merge
from annotator.domain.agreement.document import CodedSpan
from annotator.domain.links import (
    KINDS,
    Link,
    group_gold,
    link_problem,
    links_merge,
    span_groups,
)

LABELS = {"fig": "CASUALTY_FIGURE", "fig2": "CASUALTY_FIGURE", "idlib": "LOCATION", "sdf": "ACTOR"}


# Validation


@pytest.mark.parametrize(
    ("link", "field"),
    [
        (Link("fig", "idlib", "located_at"), None),
        (Link("fig", "sdf", "perpetrator"), None),
        (Link("fig", "sdf", "attributed_to"), None),
        (Link("fig2", "fig", "part_of"), None),
        (Link("fig", "idlib", "near"), "kind"),
        (Link("fig", "fig", "part_of"), "target"),
        (Link("idlib", "fig", "located_at"), "source"),
        (Link("fig", "sdf", "located_at"), "target"),
        (Link("fig", "idlib", "perpetrator"), "target"),
        (Link("fig", "idlib", "part_of"), "target"),
    ],
)
def test_each_kind_needs_a_figure_and_its_own_target_label(link, field):
    problem = link_problem(link, LABELS, [])
    assert (problem[0] if problem else None) == field


def test_the_same_link_twice_is_refused_but_another_kind_between_the_same_spans_is_not():
    made = [Link("fig", "sdf", "perpetrator")]
    assert "already linked" in link_problem(Link("fig", "sdf", "perpetrator"), LABELS, made)[1]
    assert link_problem(Link("fig", "sdf", "attributed_to"), LABELS, made) is None


def test_part_of_refuses_a_loop_however_long():
    labels = dict.fromkeys("abc", "CASUALTY_FIGURE")
    made = [Link("a", "b", "part_of"), Link("b", "c", "part_of")]
    assert "loop" in link_problem(Link("c", "a", "part_of"), labels, made)[1]
    assert link_problem(Link("b", "a", "part_of"), labels, made[:1])[1].endswith("next.")
    assert link_problem(Link("a", "c", "part_of"), labels, made) is None


def test_every_kind_starts_at_a_casualty_figure():
    assert {kind.source_label for kind in KINDS.values()} == {"CASUALTY_FIGURE"}
    assert list(KINDS) == ["located_at", "perpetrator", "attributed_to", "part_of"]


# Agreement


def test_links_between_boundary_variants_of_one_figure_agree():
    # A marked "16 civilians", B "at least 16 civilians": one figure, one place.
    spans = merge(
        {
            "A": [CodedSpan(9, 21, "CASUALTY_FIGURE", {}), CodedSpan(30, 35, "LOCATION", {})],
            "B": [CodedSpan(0, 21, "CASUALTY_FIGURE", {}), CodedSpan(30, 35, "LOCATION", {})],
        }
    )
    group_of = span_groups(spans.agreed, spans.groups)
    assert group_of[9, 21, "CASUALTY_FIGURE"] == group_of[0, 21, "CASUALTY_FIGURE"]
    result = links_merge(
        {
            "A": [Link((9, 21, "CASUALTY_FIGURE"), (30, 35, "LOCATION"), "located_at")],
            "B": [Link((0, 21, "CASUALTY_FIGURE"), (30, 35, "LOCATION"), "located_at")],
        },
        group_of,
    )
    assert len(result.candidates) == 1
    assert result.agreed == result.candidates
    assert result.candidates[0].annotators == ("A", "B")
    assert result.conflicts == () and result.single == ()


def test_two_places_for_one_figure_conflict_and_each_was_made_by_one_annotator():
    group_of = {"f": "F", "idlib": "I", "aleppo": "P", "sdf": "S"}
    result = links_merge(
        {
            "A": [Link("f", "idlib", "located_at"), Link("f", "sdf", "perpetrator")],
            "B": [Link("f", "aleppo", "located_at"), Link("f", "sdf", "perpetrator")],
        },
        group_of,
    )
    assert [c.key for c in result.agreed] == [("F", "S", "perpetrator")]
    assert {c.key for c in result.conflicts} == {("F", "I", "located_at"), ("F", "P", "located_at")}
    assert {c.annotators for c in result.single} == {("A",), ("B",)}


def test_one_pair_with_two_kinds_conflicts():
    group_of = {"f": "F", "sdf": "S"}
    result = links_merge(
        {"A": [Link("f", "sdf", "perpetrator")], "B": [Link("f", "sdf", "attributed_to")]},
        group_of,
    )
    assert len(result.conflicts) == 2 and result.agreed == ()


def test_a_link_made_by_two_of_three_is_neither_agreed_nor_single():
    group_of = {"f": "F", "i": "I"}
    made = [Link("f", "i", "located_at")]
    result = links_merge({"A": made, "B": made, "C": []}, group_of)
    (candidate,) = result.candidates
    assert not candidate.agreed and candidate.annotators == ("A", "B")
    assert result.single == ()


def test_the_result_does_not_depend_on_order_and_ignores_links_to_unmerged_spans():
    group_of = {"f": "F", "i": "I", "s": "S"}
    first = {"A": [Link("f", "i", "located_at"), Link("f", "s", "perpetrator")], "B": []}
    second = {"B": [], "A": [Link("f", "s", "perpetrator"), Link("f", "i", "located_at")]}
    assert links_merge(first, group_of) == links_merge(second, group_of)
    assert links_merge({"A": [Link("f", "gone", "located_at")]}, group_of).candidates == ()


def test_a_group_becomes_the_gold_span_of_its_label_inside_it():
    gold = [(7, 0, 21, "CASUALTY_FIGURE"), (8, 30, 35, "LOCATION")]
    assert group_gold((0, 25, "CASUALTY_FIGURE"), gold) == 7
    assert group_gold((0, 25, "ACTOR"), gold) is None
    assert group_gold((40, 45, "LOCATION"), gold) is None
