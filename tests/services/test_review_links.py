import pytest

from annotator.models import AuditEvent, GoldLink, Review
from annotator.services import (
    ReviewConflict,
    ServiceError,
    review_decide,
    review_finish,
    review_link_decide,
    review_state,
)
from annotator.services.review_links import link_candidates

from ..linking import gold_id, linked_document

SOHR_GROUP = 0  # the one conflict: only A marked the source


@pytest.fixture
def document(project, pair, django_capture_on_commit_callbacks):
    return linked_document(project, pair, django_capture_on_commit_callbacks)


def candidates(document):
    state = review_state(document)
    return {
        (c.kind, c.target_text): c
        for c in link_candidates(document, state.candidates, state.gold, state.review)
    }


def gold_links(document):
    return {
        (link.kind, document.text[link.target.start : link.target.end]): link.annotators
        for link in GoldLink.objects.filter(review__document=document)
    }


def prepared(document, lead):
    """The review after one decision (the source accepted): version 1."""
    review_decide(
        document=document, lead=lead, version=0, action="accept", group=SOHR_GROUP, variant=0
    )
    return Review.objects.get(document=document)


def decide(document, lead, action, kind, target, *, version=1):
    return review_link_decide(
        document=document,
        lead=lead,
        version=version,
        action=action,
        source=gold_id(document, "16 civilians"),
        target=gold_id(document, target),
        kind=kind,
    )


def test_the_candidates_say_who_made_each_link_and_the_agreed_one_is_proposed(document, pair):
    found = candidates(document)
    assert set(found) == {
        ("located_at", "Idlib"),
        ("perpetrator", "Russian"),
        ("attributed_to", "SOHR"),
    }
    idlib = found["located_at", "Idlib"]
    assert idlib.agreed and idlib.accepted and idlib.source_text == "16 civilians"
    assert set(idlib.annotators) == {pair[0].pk, pair[1].pk}
    assert found["perpetrator", "Russian"].annotators == (pair[0].pk,)
    assert not found["perpetrator", "Russian"].accepted
    # SOHR is a conflict nobody decided yet: not gold, so its link cannot be accepted.
    assert not found["attributed_to", "SOHR"].ends_gold


def test_preparing_the_review_accepts_the_agreed_links(document, lead, pair):
    prepared(document, lead)
    assert gold_links(document) == {("located_at", "Idlib"): [pair[0].pk, pair[1].pk]}


def test_a_lead_accepts_a_link_as_a_recorded_audited_decision(document, lead, pair):
    prepared(document, lead)
    review = decide(document, lead, "accept", "perpetrator", "Russian")
    assert review.version == 2
    assert gold_links(document)["perpetrator", "Russian"] == [pair[0].pk]
    assert candidates(document)["perpetrator", "Russian"].accepted
    event = review.events.latest("id")
    assert event.action == "link_accept"
    assert event.summary == "Accepted link “16 civilians” perpetrator “Russian”"
    audit = AuditEvent.objects.filter(action=AuditEvent.Action.REVIEW_DECIDED).latest("id")
    assert audit.details["review_event_id"] == event.pk


def test_a_link_is_accepted_only_between_gold_spans(document, lead):
    review_decide(document=document, lead=lead, version=0, action="reject", group=SOHR_GROUP)
    sohr = document.text.index("SOHR")
    with pytest.raises(ServiceError, match="Both ends of a link must be gold spans"):
        review_link_decide(
            document=document,
            lead=lead,
            version=1,
            action="accept",
            source=gold_id(document, "16 civilians"),
            target=sohr,  # not a gold span's id
            kind="attributed_to",
        )
    assert not candidates(document)["attributed_to", "SOHR"].ends_gold


def test_a_link_that_does_not_fit_the_labels_is_refused(document, lead):
    prepared(document, lead)
    with pytest.raises(ServiceError, match="ends at a LOCATION span"):
        decide(document, lead, "accept", "located_at", "Russian")


def test_an_outdated_page_cannot_decide_a_link(document, lead):
    prepared(document, lead)
    with pytest.raises(ReviewConflict):
        decide(document, lead, "accept", "perpetrator", "Russian", version=0)
    assert ("perpetrator", "Russian") not in gold_links(document)


def test_undo_takes_an_accepted_link_back(document, lead):
    prepared(document, lead)
    decide(document, lead, "accept", "attributed_to", "SOHR")
    review_decide(document=document, lead=lead, version=2, action="undo")
    assert ("attributed_to", "SOHR") not in gold_links(document)


def test_rejecting_a_gold_link_removes_it_and_undo_restores_it(document, lead, pair):
    prepared(document, lead)
    decide(document, lead, "reject", "located_at", "Idlib")
    assert ("located_at", "Idlib") not in gold_links(document)
    assert not candidates(document)["located_at", "Idlib"].accepted
    review_decide(document=document, lead=lead, version=2, action="undo")
    assert gold_links(document)["located_at", "Idlib"] == [pair[0].pk, pair[1].pk]


def test_rejecting_a_link_that_is_not_gold_is_refused(document, lead):
    prepared(document, lead)
    with pytest.raises(ServiceError, match="not in the gold"):
        decide(document, lead, "reject", "perpetrator", "Russian")


def test_removing_a_gold_span_takes_its_links_and_undo_brings_them_back(document, lead):
    prepared(document, lead)
    idlib = gold_id(document, "Idlib")
    review_decide(document=document, lead=lead, version=1, action="remove", gold_span=idlib)
    assert gold_links(document) == {}
    review_decide(document=document, lead=lead, version=2, action="undo")
    assert set(gold_links(document)) == {("located_at", "Idlib")}


def test_finishing_keeps_links_whose_ends_still_fit(document, lead):
    prepared(document, lead)
    decide(document, lead, "accept", "perpetrator", "Russian")
    # Idlib relabelled an ACTOR: a figure is not "located at" an actor.
    review_decide(
        document=document,
        lead=lead,
        version=2,
        action="edit",
        gold_span=gold_id(document, "Idlib"),
        label="ACTOR",
    )
    review_finish(document=document, lead=lead, version=3)
    assert set(gold_links(document)) == {("perpetrator", "Russian")}
