import pytest

from annotator.models import (
    Document,
    GoldComparison,
    GoldSpan,
    Review,
    ReviewEvent,
)
from annotator.services import (
    ReviewClosed,
    ReviewConflict,
    ServiceError,
    review_decide,
    review_finish,
    review_reopen,
    review_state,
)

from .. import annotating
from ..annotating import import_texts, phrase_at

TEXT = "Report {}: Russia struck Idlib and Aleppo; 3 people were killed near Homs."

KILLED = {"outcome": "killed"}

# Marks as (label key, phrase) or (label key, phrase, attributes).
# Against each other: Russia and Idlib agree; Aleppo is a label conflict; "3 people" only a
# marked (missing); "Homs" against "near Homs" is a boundary conflict.
A_MARKS = (
    ("ACTOR", "Russia"),
    ("LOCATION", "Idlib"),
    ("LOCATION", "Aleppo"),
    ("CASUALTY_FIGURE", "3 people", KILLED),
    ("LOCATION", "Homs"),
)
B_MARKS = (
    ("ACTOR", "Russia"),
    ("LOCATION", "Idlib"),
    ("ACTOR", "Aleppo"),
    ("LOCATION", "near Homs"),
)
# The groups in text order.
ALEPPO, PEOPLE, HOMS = 0, 1, 2


@pytest.fixture(autouse=True)
def commit(django_capture_on_commit_callbacks):
    """The test database never commits: run each submission's on-commit callbacks as the end
    of its request would."""
    return django_capture_on_commit_callbacks


def add_documents(project, count):
    first = project.documents.count()
    return import_texts(project, [TEXT.format(i) for i in range(first, first + count)])[first:]


def annotate(project, user, marks, commit, *, submit=True):
    return annotating.annotate(project, user, marks, commit=commit, submit=submit)


@pytest.fixture
def document(project, annotators, commit):
    """One document that a and b annotated with A_MARKS and B_MARKS."""
    (document,) = add_documents(project, 1)
    a, b, _ = annotators
    annotate(project, a, A_MARKS, commit)
    annotate(project, b, B_MARKS, commit)
    return document


def gold_of(document):
    return sorted(
        (document.text[span.start : span.end], span.label.key, span.decision)
        for span in GoldSpan.objects.filter(document=document).select_related("label")
    )


def gold_span(document, phrase, label):
    start, end = phrase_at(document, phrase)
    return GoldSpan.objects.get(document=document, start=start, end=end, label__key=label)


UNANIMOUS = [("Idlib", "LOCATION", "unanimous"), ("Russia", "ACTOR", "unanimous")]


def variant_of(document, group, phrase, label):
    """The index of the variant (phrase, label) in the group, as the page lists them."""
    state = review_state(document)
    wanted = (*phrase_at(document, phrase), label)
    return [variant.key for variant in state.candidates.groups[group].variants].index(wanted)


def version_of(document):
    return review_state(document).version


def decide(document, lead, action, **fields):
    """A decision from a page drawn just now."""
    return review_decide(
        document=document, lead=lead, version=version_of(document), action=action, **fields
    )


def accept(document, lead, group, phrase, label, **fields):
    return decide(
        document,
        lead,
        "accept",
        group=group,
        variant=variant_of(document, group, phrase, label),
        **fields,
    )


def actions_of(document):
    return list(
        ReviewEvent.objects.filter(review__document=document)
        .order_by("id")
        .values_list("action", "undone")
    )


def open_regions(document):
    return [document.text[group.start : group.end] for group in review_state(document).open_groups]


# Opening and the first decision


def test_opening_a_review_changes_nothing_and_shows_the_unanimous_spans(document):
    state = review_state(document)

    assert state.review is None
    assert (state.status, state.version) == ("pending", 0)
    assert sorted(
        (document.text[span.start : span.end], span.label.key) for span in state.gold
    ) == [("Idlib", "LOCATION"), ("Russia", "ACTOR")]
    assert [group.kind for group in state.candidates.groups] == ["label", "missing", "boundary"]
    assert open_regions(document) == ["Aleppo", "3 people", "near Homs"]
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()
    assert not ReviewEvent.objects.exists()


def test_the_first_decision_starts_the_review_with_the_unanimous_spans_as_gold(
    document, lead, annotators
):
    a, b, _ = annotators
    review = review_decide(
        document=document,
        lead=lead,
        version=0,
        action="accept",
        group=ALEPPO,
        variant=variant_of(document, ALEPPO, "Aleppo", "LOCATION"),
    )

    review.refresh_from_db()
    assert (review.status, review.version, review.lead) == ("in_progress", 1, lead)
    assert gold_of(document) == [("Aleppo", "LOCATION", "accepted"), *UNANIMOUS]
    russia = gold_span(document, "Russia", "ACTOR")
    assert sorted(russia.exact_annotators) == sorted([a.pk, b.pk])
    assert russia.variant_annotators == []
    assert actions_of(document) == [("accept", False)]


# Decisions


def test_accepting_a_variant_records_who_proposed_it_and_who_marked_otherwise(
    document, lead, annotators
):
    a, b, _ = annotators
    accept(document, lead, HOMS, "near Homs", "LOCATION", reason="guidelines", note="See 4.2")

    span = gold_span(document, "near Homs", "LOCATION")
    assert span.decision == "accepted"
    assert span.decided_by == lead
    assert (span.reason, span.note) == ("guidelines", "See 4.2")
    assert span.exact_annotators == [b.pk]
    assert span.variant_annotators == [a.pk]
    assert open_regions(document) == ["Aleppo", "3 people"]
    event = ReviewEvent.objects.get(review__document=document)
    assert (event.action, event.reason, event.note) == ("accept", "guidelines", "See 4.2")
    assert "near Homs" in event.summary


def test_accepting_a_variant_keeps_its_majority_attributes(document, lead):
    accept(document, lead, PEOPLE, "3 people", "CASUALTY_FIGURE")
    span = gold_span(document, "3 people", "CASUALTY_FIGURE")
    assert span.attributes["outcome"] == "killed"
    assert span.variant_annotators == []


def test_provenance_lists_every_annotator_who_marked_exactly_the_accepted_span(
    project, annotators, lead, commit
):
    project.annotators_per_document = 3
    project.save()
    (document,) = add_documents(project, 1)
    a, b, c = annotators
    annotate(project, a, [("LOCATION", "Homs")], commit)
    annotate(project, b, [("LOCATION", "Homs")], commit)
    annotate(project, c, [("LOCATION", "near Homs")], commit)

    (group,) = review_state(document).candidates.groups
    assert group.choice.key == (*phrase_at(document, "Homs"), "LOCATION")
    accept(document, lead, 0, "Homs", "LOCATION")

    span = gold_span(document, "Homs", "LOCATION")
    assert sorted(span.exact_annotators) == sorted([a.pk, b.pk])
    assert span.variant_annotators == [c.pk]


def test_rejecting_removes_the_gold_in_the_region_and_resolves_the_group(document, lead):
    accept(document, lead, HOMS, "Homs", "LOCATION")
    decide(document, lead, "reject", group=HOMS, reason="all_wrong")

    assert gold_of(document) == UNANIMOUS
    assert open_regions(document) == ["Aleppo", "3 people"]
    event = ReviewEvent.objects.filter(review__document=document).last()
    assert (event.action, event.reason) == ("reject", "all_wrong")
    assert [span["start"] for span in event.changes["removed"]] == [phrase_at(document, "Homs")[0]]


def test_rejecting_a_group_leaves_the_unanimous_spans_beside_it(document, lead):
    decide(document, lead, "reject", group=ALEPPO)
    decide(document, lead, "reject", group=PEOPLE)
    decide(document, lead, "reject", group=HOMS)
    assert gold_of(document) == UNANIMOUS
    assert open_regions(document) == []


def test_adding_a_span_nobody_marked_is_added(document, lead, annotators):
    a, _, _ = annotators
    start, end = phrase_at(document, "3 people were killed")
    decide(
        document,
        lead,
        "add",
        start=start,
        end=end,
        label="CASUALTY_FIGURE",
        attributes=KILLED,
        reason="context",
    )

    span = gold_span(document, "3 people were killed", "CASUALTY_FIGURE")
    assert span.decision == "added"
    assert span.attributes["outcome"] == "killed"
    assert span.exact_annotators == []
    assert span.variant_annotators == [a.pk]  # a marked "3 people" inside it
    assert "3 people" not in open_regions(document)
    assert actions_of(document) == [("add", False)]


def test_adding_exactly_what_an_annotator_marked_is_accepting_it(document, lead, annotators):
    a, b, _ = annotators
    start, end = phrase_at(document, "Aleppo")
    decide(document, lead, "add", start=start, end=end, label="LOCATION")

    span = gold_span(document, "Aleppo", "LOCATION")
    assert span.decision == "accepted"
    assert (span.exact_annotators, span.variant_annotators) == ([a.pk], [b.pk])


def test_adding_a_span_that_is_already_gold_is_refused(document, lead):
    accept(document, lead, ALEPPO, "Aleppo", "ACTOR")
    start, end = phrase_at(document, "Aleppo")
    version = version_of(document)
    with pytest.raises(ServiceError, match="already gold"):
        decide(document, lead, "add", start=start, end=end, label="ACTOR")
    assert version_of(document) == version
    assert actions_of(document) == [("accept", False)]


def test_editing_a_variant_to_new_boundaries_is_edited(document, lead, annotators):
    a, b, _ = annotators
    _, end = phrase_at(document, "near Homs.")
    decide(
        document,
        lead,
        "edit",
        group=HOMS,
        variant=variant_of(document, HOMS, "near Homs", "LOCATION"),
        end=end,
    )

    span = gold_span(document, "near Homs.", "LOCATION")
    assert span.decision == "edited"
    assert span.exact_annotators == []
    assert sorted(span.variant_annotators) == sorted([a.pk, b.pk])
    assert open_regions(document) == ["Aleppo", "3 people"]
    assert gold_of(document) == sorted([("near Homs.", "LOCATION", "edited"), *UNANIMOUS])


def test_editing_a_gold_span_changes_it_in_place(document, lead):
    decide(document, lead, "accept", group=ALEPPO, variant=0)  # starts the review
    idlib = gold_span(document, "Idlib", "LOCATION")
    decide(document, lead, "edit", gold_span=idlib.pk, label="ACTOR")

    idlib.refresh_from_db()
    assert (idlib.label.key, idlib.decision, idlib.decided_by) == ("ACTOR", "edited", lead)


def test_editing_the_boundaries_of_a_gold_span_keeps_its_attributes(document, lead):
    accept(document, lead, PEOPLE, "3 people", "CASUALTY_FIGURE")
    span = gold_span(document, "3 people", "CASUALTY_FIGURE")
    start, end = phrase_at(document, "3 people were killed")
    decide(document, lead, "edit", gold_span=span.pk, end=end)

    span.refresh_from_db()
    assert (span.start, span.end, span.decision) == (start, end, "edited")
    assert span.attributes["outcome"] == "killed"


def test_editing_the_boundaries_of_a_variant_keeps_its_attributes(document, lead):
    _, end = phrase_at(document, "3 people were killed")
    variant = variant_of(document, PEOPLE, "3 people", "CASUALTY_FIGURE")
    decide(document, lead, "edit", group=PEOPLE, variant=variant, end=end)

    span = gold_span(document, "3 people were killed", "CASUALTY_FIGURE")
    assert span.attributes["outcome"] == "killed"


def test_a_gold_span_given_another_label_keeps_only_attributes_that_label_has(document, lead):
    decide(document, lead, "accept", group=ALEPPO, variant=0)
    idlib = gold_span(document, "Idlib", "LOCATION")
    decide(
        document, lead, "attributes", gold_span=idlib.pk, attributes={"feature_type": "district"}
    )
    decide(document, lead, "edit", gold_span=idlib.pk, label="ACTOR")

    idlib.refresh_from_db()
    assert idlib.attributes == {}  # ACTOR has no feature_type
    # So the lead can go on to set the ACTOR's attributes.
    decide(document, lead, "attributes", gold_span=idlib.pk, attributes={"actor_type": "rebel"})
    idlib.refresh_from_db()
    assert idlib.attributes == {"actor_type": "rebel"}


def test_a_variant_given_another_label_keeps_only_attributes_that_label_has(document, lead):
    variant = variant_of(document, PEOPLE, "3 people", "CASUALTY_FIGURE")
    decide(document, lead, "edit", group=PEOPLE, variant=variant, label="ACTOR")

    span = gold_span(document, "3 people", "ACTOR")
    assert "outcome" not in span.attributes
    decide(document, lead, "attributes", gold_span=span.pk, attributes={"role": "target"})
    span.refresh_from_db()
    assert span.attributes == {"role": "target"}


def test_removing_a_gold_span(document, lead):
    decide(document, lead, "accept", group=ALEPPO, variant=0)
    russia = gold_span(document, "Russia", "ACTOR")
    decide(document, lead, "remove", gold_span=russia.pk, reason="guidelines")

    assert ("Russia", "ACTOR", "unanimous") not in gold_of(document)
    assert ("Idlib", "LOCATION", "unanimous") in gold_of(document)
    assert actions_of(document)[-1] == ("remove", False)


def test_setting_the_attributes_of_a_gold_span(document, lead):
    decide(document, lead, "accept", group=ALEPPO, variant=0)
    idlib = gold_span(document, "Idlib", "LOCATION")
    decide(
        document,
        lead,
        "attributes",
        gold_span=idlib.pk,
        attributes={"feature_type": "governorate", "role": "event_location"},
    )

    idlib.refresh_from_db()
    assert idlib.attributes == {"feature_type": "governorate", "role": "event_location"}
    assert actions_of(document)[-1] == ("attributes", False)


def test_setting_one_attribute_keeps_the_others(document, lead):
    accept(document, lead, PEOPLE, "3 people", "CASUALTY_FIGURE")
    span = gold_span(document, "3 people", "CASUALTY_FIGURE")
    decide(document, lead, "attributes", gold_span=span.pk, attributes={"time_scope": "event"})

    span.refresh_from_db()
    assert (span.attributes["outcome"], span.attributes["time_scope"]) == ("killed", "event")


def test_a_unanimous_span_can_be_named_by_its_offsets_before_the_review_exists(document, lead):
    # The page drew the gold of a review not yet started: its spans have no ids.
    start, end = phrase_at(document, "Idlib")
    review_decide(
        document=document,
        lead=lead,
        version=0,
        action="attributes",
        start=start,
        end=end,
        label="LOCATION",
        attributes={"feature_type": "governorate"},
    )
    span = gold_span(document, "Idlib", "LOCATION")
    # A lead's own value: the span is no longer what the annotators all gave.
    assert (span.attributes, span.decision) == ({"feature_type": "governorate"}, "edited")
    assert span.decided_by == lead
    assert version_of(document) == 1


# Spans of one annotator overlapping (a project option)


@pytest.fixture
def nested(project, annotators, commit):
    """a marked "Homs" and "near Homs"; b only "Homs": "Homs" is unanimous, and "near Homs" a
    conflict around it."""
    project.allow_overlapping_spans = True
    project.save()
    (document,) = add_documents(project, 1)
    a, b, _ = annotators
    annotate(project, a, [("LOCATION", "Homs"), ("LOCATION", "near Homs")], commit)
    annotate(project, b, [("LOCATION", "Homs")], commit)
    return document


def test_rejecting_a_conflict_keeps_a_unanimous_span_inside_it(nested, lead):
    assert open_regions(nested) == ["near Homs"]
    decide(nested, lead, "reject", group=0)

    assert gold_of(nested) == [("Homs", "LOCATION", "unanimous")]
    assert open_regions(nested) == []


def test_provenance_never_lists_an_exact_proposer_as_a_variant_too(nested, lead, annotators):
    a, b, _ = annotators
    accept(nested, lead, 0, "near Homs", "LOCATION")
    span = gold_span(nested, "near Homs", "LOCATION")
    # a also marked "Homs" inside it, but proposed exactly this span.
    assert (span.exact_annotators, span.variant_annotators) == ([a.pk], [b.pk])


# Undo


def test_undoing_an_accept_takes_the_span_away(document, lead):
    accept(document, lead, ALEPPO, "Aleppo", "LOCATION")
    decide(document, lead, "undo")

    assert gold_of(document) == UNANIMOUS
    assert open_regions(document) == ["Aleppo", "3 people", "near Homs"]
    assert actions_of(document) == [("accept", True), ("undo", False)]


def test_undoing_a_reject_brings_the_spans_back(document, lead):
    accept(document, lead, HOMS, "Homs", "LOCATION", reason="majority", note="n")
    before = gold_span(document, "Homs", "LOCATION")
    decide(document, lead, "reject", group=HOMS)
    decide(document, lead, "undo")

    back = gold_span(document, "Homs", "LOCATION")
    assert back.pk == before.pk
    assert (back.decision, back.reason, back.note, back.decided_by) == (
        "accepted",
        "majority",
        "n",
        lead,
    )
    assert (back.exact_annotators, back.variant_annotators) == (
        before.exact_annotators,
        before.variant_annotators,
    )
    # The accept still stands, so the group is still decided.
    assert open_regions(document) == ["Aleppo", "3 people"]
    assert actions_of(document) == [("accept", False), ("reject", True), ("undo", False)]


def test_undoing_an_edit_of_a_gold_span_restores_it(document, lead):
    decide(document, lead, "accept", group=ALEPPO, variant=0)
    idlib = gold_span(document, "Idlib", "LOCATION")
    start, end = phrase_at(document, "Idlib and")
    decide(document, lead, "edit", gold_span=idlib.pk, start=start, end=end, label="ACTOR")
    decide(document, lead, "undo")

    idlib.refresh_from_db()
    assert (document.text[idlib.start : idlib.end], idlib.label.key) == ("Idlib", "LOCATION")
    assert (idlib.decision, idlib.decided_by) == ("unanimous", None)


def test_undoing_a_change_of_attributes_restores_them(document, lead):
    decide(document, lead, "accept", group=ALEPPO, variant=0)
    idlib = gold_span(document, "Idlib", "LOCATION")
    decide(document, lead, "attributes", gold_span=idlib.pk, attributes={"role": "origin"})
    decide(document, lead, "undo")
    idlib.refresh_from_db()
    assert idlib.attributes == {}


def test_several_undos_walk_back_one_decision_at_a_time(document, lead):
    accept(document, lead, ALEPPO, "Aleppo", "ACTOR")
    accept(document, lead, HOMS, "Homs", "LOCATION")
    decide(document, lead, "remove", gold_span=gold_span(document, "Russia", "ACTOR").pk)
    after_accepts = [("Aleppo", "ACTOR", "accepted"), ("Homs", "LOCATION", "accepted")]

    decide(document, lead, "undo")
    assert gold_of(document) == sorted([*after_accepts, *UNANIMOUS])
    decide(document, lead, "undo")
    assert gold_of(document) == sorted([after_accepts[0], *UNANIMOUS])
    decide(document, lead, "undo")
    assert gold_of(document) == UNANIMOUS

    assert actions_of(document) == [
        ("accept", True),
        ("accept", True),
        ("remove", True),
        ("undo", False),
        ("undo", False),
        ("undo", False),
    ]
    version = version_of(document)
    with pytest.raises(ServiceError, match="nothing to undo"):
        decide(document, lead, "undo")
    assert version_of(document) == version
    assert gold_of(document) == UNANIMOUS


# Versions


def test_a_decision_from_an_out_of_date_page_is_refused_and_changes_nothing(document, lead):
    accept(document, lead, ALEPPO, "Aleppo", "LOCATION")
    gold = gold_of(document)

    with pytest.raises(ReviewConflict) as refused:
        review_decide(document=document, lead=lead, version=0, action="reject", group=HOMS)

    assert refused.value.review.version == 1  # the current state comes with the refusal
    assert version_of(document) == 1
    assert gold_of(document) == gold
    assert actions_of(document) == [("accept", False)]


def test_a_version_ahead_of_a_review_not_yet_started_is_refused(document, lead):
    with pytest.raises(ReviewConflict):
        review_decide(document=document, lead=lead, version=3, action="reject", group=HOMS)
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()


def test_every_change_raises_the_version_by_one(document, lead):
    versions = []
    for group in (ALEPPO, PEOPLE, HOMS):
        versions.append(decide(document, lead, "reject", group=group).version)
    start, end = phrase_at(document, "Report")
    versions.append(decide(document, lead, "add", start=start, end=end, label="ACTOR").version)
    versions.append(decide(document, lead, "undo").version)
    versions.append(review_finish(document=document, lead=lead, version=5).version)
    versions.append(review_reopen(document=document, lead=lead, version=6).version)
    assert versions == [1, 2, 3, 4, 5, 6, 7]


# Finishing and reopening


def test_finishing_with_open_conflicts_is_refused_naming_them(document, lead):
    accept(document, lead, PEOPLE, "3 people", "CASUALTY_FIGURE")

    with pytest.raises(ServiceError) as refused:
        review_finish(document=document, lead=lead, version=1)

    message = refused.value.message
    assert message.startswith("2 conflicts still to decide")
    assert "“Aleppo”" in message and "“near Homs”" in message
    assert "3 people" not in message
    review = Review.objects.get(document=document)
    assert (review.status, review.version, review.finished_at) == ("in_progress", 1, None)
    assert not GoldComparison.objects.exists()


def test_finishing_a_review_nobody_started_with_conflicts_is_refused(document, lead):
    with pytest.raises(ServiceError, match="3 conflicts still to decide"):
        review_finish(document=document, lead=lead, version=0)
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()


def _decide_all(document, lead):
    accept(document, lead, ALEPPO, "Aleppo", "LOCATION")
    decide(document, lead, "reject", group=PEOPLE)
    accept(document, lead, HOMS, "near Homs", "LOCATION")


def test_finishing_after_every_conflict_is_decided_marks_the_review_done_and_scores_each_annotator(
    document, lead, annotators
):
    a, b, _ = annotators
    _decide_all(document, lead)

    review = review_finish(document=document, lead=lead, version=3)

    review.refresh_from_db()
    assert review.status == "done"
    assert review.finished_at is not None
    assert actions_of(document)[-1] == ("finish", False)
    # Gold: Russia, Idlib, Aleppo (LOCATION), near Homs.
    scores = {
        row.assignment.annotator: (row.matched, row.extra, row.missed)
        for row in GoldComparison.objects.select_related("assignment")
    }
    assert scores == {
        a: (3, 2, 1),  # extra "3 people" and "Homs"; missed "near Homs"
        b: (3, 1, 1),  # extra ACTOR "Aleppo"; missed LOCATION "Aleppo"
    }


def test_a_done_review_refuses_decisions_until_it_is_reopened(document, lead):
    _decide_all(document, lead)
    review_finish(document=document, lead=lead, version=3)
    gold = gold_of(document)

    with pytest.raises(ReviewClosed):
        decide(document, lead, "undo")
    with pytest.raises(ReviewClosed):
        decide(document, lead, "remove", gold_span=gold_span(document, "Idlib", "LOCATION").pk)
    assert version_of(document) == 4
    assert gold_of(document) == gold

    review = review_reopen(document=document, lead=lead, version=4)

    assert (review.status, review.version, review.finished_at) == ("in_progress", 5, None)
    assert gold_of(document) == gold
    assert actions_of(document) == [
        ("accept", False),
        ("reject", False),
        ("accept", False),
        ("finish", False),
        ("reopen", False),
    ]
    decide(document, lead, "undo")  # the last decision before finishing
    assert ("near Homs", "LOCATION", "accepted") not in gold_of(document)


def test_only_a_done_review_can_be_reopened(document, lead):
    accept(document, lead, ALEPPO, "Aleppo", "LOCATION")
    with pytest.raises(ServiceError, match="Only a finished review"):
        review_reopen(document=document, lead=lead, version=1)
    assert version_of(document) == 1


# Invalid input


INVALID = [
    ({"action": "approve"}, "action"),
    ({"action": "accept", "group": 7, "variant": 0}, "group"),
    ({"action": "accept", "group": -1, "variant": 0}, "group"),
    ({"action": "reject", "group": "0"}, "group"),
    ({"action": "accept", "group": ALEPPO, "variant": 5}, "variant"),
    ({"action": "add", "start": 0, "end": 10_000, "label": "LOCATION"}, "end"),
    ({"action": "add", "start": -1, "end": 3, "label": "LOCATION"}, "start"),
    ({"action": "add", "start": 0, "end": 6, "label": "WEAPON"}, "label"),
    (
        {"action": "add", "start": 0, "end": 6, "label": "ACTOR", "attributes": {"x": 1}},
        "attributes",
    ),
    ({"action": "reject", "group": ALEPPO, "reason": "because"}, "reason"),
    ({"action": "remove", "gold_span": 999_999}, "gold_span"),
    ({"action": "attributes", "gold_span": 999_999, "attributes": {}}, "gold_span"),
]


@pytest.mark.parametrize(("fields", "field"), INVALID)
def test_invalid_input_is_refused_naming_the_field_and_changes_nothing(
    document, lead, fields, field
):
    accept(document, lead, HOMS, "Homs", "LOCATION")
    gold = gold_of(document)

    with pytest.raises(ServiceError) as refused:
        review_decide(document=document, lead=lead, version=1, **fields)

    assert refused.value.field == field
    assert version_of(document) == 1
    assert gold_of(document) == gold
    assert actions_of(document) == [("accept", False)]


@pytest.mark.parametrize(("fields", "field"), INVALID)
def test_an_invalid_first_decision_starts_no_review(document, lead, fields, field):
    with pytest.raises(ServiceError) as refused:
        review_decide(document=document, lead=lead, version=0, **fields)
    assert refused.value.field == field
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()


def test_a_gold_span_of_another_document_is_not_found(project, annotators, lead, commit):
    first, second = add_documents(project, 2)
    a, b, _ = annotators
    for _ in range(2):
        annotate(project, a, A_MARKS, commit)
        annotate(project, b, B_MARKS, commit)
    decide(first, lead, "reject", group=ALEPPO)
    theirs = gold_span(first, "Russia", "ACTOR")
    decide(second, lead, "reject", group=ALEPPO)

    with pytest.raises(ServiceError) as refused:
        decide(second, lead, "remove", gold_span=theirs.pk)
    assert refused.value.field == "gold_span"
    assert GoldSpan.objects.filter(pk=theirs.pk).exists()


# Accepting unanimous documents automatically


FIGURE = (("ACTOR", "Russia"), ("CASUALTY_FIGURE", "3 people", KILLED), ("LOCATION", "Homs"))


@pytest.fixture
def auto_accepting(project):
    project.auto_accept_unanimous = True
    project.save()
    return project


def test_a_document_all_annotators_agree_on_becomes_gold_without_review(
    auto_accepting, annotators, commit
):
    (document,) = add_documents(auto_accepting, 1)
    a, b, _ = annotators
    annotate(auto_accepting, a, FIGURE, commit)
    assert not Review.objects.exists()  # one of two is not enough
    annotate(auto_accepting, b, FIGURE, commit)

    review = Review.objects.get(document=document)
    assert review.status == "done"
    assert review.finished_at is not None
    assert review.lead is None
    assert gold_of(document) == [
        ("3 people", "CASUALTY_FIGURE", "unanimous"),
        ("Homs", "LOCATION", "unanimous"),
        ("Russia", "ACTOR", "unanimous"),
    ]
    assert gold_span(document, "3 people", "CASUALTY_FIGURE").attributes["outcome"] == "killed"
    assert actions_of(document) == [("auto_accept", False)]
    assert sorted(
        (row.matched, row.extra, row.missed)
        for row in GoldComparison.objects.filter(assignment__document=document)
    ) == [(3, 0, 0), (3, 0, 0)]
    assert review_state(document).open_groups == []


@pytest.mark.parametrize(
    "theirs",
    [
        (
            ("ACTOR", "Russia"),
            ("CASUALTY_FIGURE", "3 people", {"outcome": "injured"}),
            ("LOCATION", "Homs"),
        ),
        (("ACTOR", "Russia"), ("CASUALTY_FIGURE", "3 people", KILLED)),
        (("ACTOR", "Russia"), ("CASUALTY_FIGURE", "3 people", KILLED), ("LOCATION", "near Homs")),
        (("ACTOR", "Russia"), ("CASUALTY_FIGURE", "3 people", KILLED), ("ACTOR", "Homs")),
    ],
    ids=["attribute", "missing span", "boundary", "label"],
)
def test_any_difference_between_annotators_leaves_the_document_for_review(
    auto_accepting, annotators, commit, theirs
):
    (document,) = add_documents(auto_accepting, 1)
    a, b, _ = annotators
    annotate(auto_accepting, a, FIGURE, commit)
    annotate(auto_accepting, b, theirs, commit)
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()
    assert review_state(document).status == "pending"


def test_without_the_option_agreeing_annotators_still_wait_for_a_review(
    project, annotators, commit
):
    (document,) = add_documents(project, 1)
    a, b, _ = annotators
    annotate(project, a, FIGURE, commit)
    annotate(project, b, FIGURE, commit)
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()
    assert review_state(document).status == "pending"


def test_auto_accept_waits_for_all_k_annotators(auto_accepting, annotators, commit):
    auto_accepting.annotators_per_document = 3
    auto_accepting.save()
    (document,) = add_documents(auto_accepting, 1)
    a, b, c = annotators
    annotate(auto_accepting, a, FIGURE, commit)
    annotate(auto_accepting, b, FIGURE, commit)
    annotate(auto_accepting, c, FIGURE, commit, submit=False)
    assert not Review.objects.exists()

    annotate(auto_accepting, c, (), commit)  # resumes the open assignment and submits it

    assert Review.objects.get(document=document).status == "done"
    assert len(gold_of(document)) == 3


# The review queue


def test_ready_for_review_lists_documents_with_k_submissions_least_agreement_first(
    project, annotators, lead, commit
):
    # The least agreement comes last in import order, so the order is the score's.
    agreed, half, split, _untouched = add_documents(project, 4)
    a, b, c = annotators
    annotate(project, a, FIGURE, commit)
    annotate(project, b, FIGURE, commit)
    annotate(project, a, FIGURE, commit)
    assert annotate(project, b, FIGURE, commit, submit=False).document == half
    annotate(project, a, A_MARKS, commit)
    assert annotate(project, c, B_MARKS, commit).document == split

    rows = list(Document.objects.ready_for_review(project))

    assert rows == [split, agreed]
    assert [row.agreement_score for row in rows] == [pytest.approx(4 / 9), 1.0]
    assert [row.review_status for row in rows] == ["pending", "pending"]
    decide(split, lead, "reject", group=ALEPPO)
    assert [row.review_status for row in Document.objects.ready_for_review(project)] == [
        "in_progress",
        "pending",
    ]


def test_ready_for_review_needs_all_k_annotators_to_have_submitted(project, annotators, commit):
    project.annotators_per_document = 3
    project.save()
    (document,) = add_documents(project, 1)
    a, b, c = annotators
    annotate(project, a, FIGURE, commit)
    annotate(project, b, FIGURE, commit)
    assert list(Document.objects.ready_for_review(project)) == []
    annotate(project, c, FIGURE, commit)
    assert list(Document.objects.ready_for_review(project)) == [document]


def test_setting_the_value_a_span_already_has_leaves_its_decision(document, lead):
    start, end = phrase_at(document, "Idlib")
    review_decide(
        document=document,
        lead=lead,
        version=0,
        action="attributes",
        start=start,
        end=end,
        label="LOCATION",
        attributes={},
    )
    assert gold_span(document, "Idlib", "LOCATION").decision == "unanimous"


def test_a_span_the_lead_adds_starts_with_the_values_read_from_its_text(document, lead):
    start, end = phrase_at(document, "3 people")
    review_decide(
        document=document,
        lead=lead,
        version=0,
        action="add",
        start=start,
        end=end,
        label="CASUALTY_FIGURE",
    )
    span = gold_span(document, "3 people", "CASUALTY_FIGURE")
    assert span.attributes["value"] == 3


def test_finishing_is_refused_while_a_gold_span_lacks_required_attributes(document, lead):
    state = review_state(document)
    version = 0
    for index, _ in enumerate(state.candidates.groups):
        review_decide(document=document, lead=lead, version=version, action="reject", group=index)
        version += 1
    start, end = phrase_at(document, "3 people")
    review_decide(
        document=document,
        lead=lead,
        version=version,
        action="add",
        start=start,
        end=end,
        label="CASUALTY_FIGURE",
    )
    with pytest.raises(ServiceError, match="lacks required attributes: “3 people”"):
        review_finish(document=document, lead=lead, version=version + 1)
    assert Review.objects.get(document=document).status == "in_progress"


def test_a_review_cannot_start_before_every_annotation_is_in(project, annotators, lead, commit):
    project.annotators_per_document = 3
    project.save()
    (waiting,) = add_documents(project, 1)
    with pytest.raises(ServiceError, match="not all submitted"):
        review_decide(document=waiting, lead=lead, version=0, action="undo")
    assert not Review.objects.filter(document=waiting).exists()
