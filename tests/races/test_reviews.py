"""Two leads acting on one review at the same moment, over HTTP: two decisions, a decision
racing finish, two finishes, two reopenings. Exactly one of them changes the review; the
other gets 409 saying another lead changed it, and nothing of its own is applied.

(tests/services/test_reviews_concurrency.py races the service itself.)"""

import pytest
from django.urls import reverse

from annotator.models import Membership, Review, ReviewEvent
from annotator.services import membership_set, review_decide, review_finish, review_state

from ..annotating import annotate
from .conftest import STAGGER, at_once

ANOTHER_LEAD = "Another lead changed this review"


@pytest.fixture
def leads(project, django_user_model):
    users = []
    for name in ("lead_x", "lead_y"):
        users.append(django_user_model.objects.create_user(name))
        membership_set(project=project, username=name, role=Membership.Role.LEAD)
    return users


@pytest.fixture
def disputed(project, documents, django_user_model):
    """Every document annotated by two annotators who disagree on Aleppo's label (one
    conflict) and agree on the actor."""
    for name, aleppo in (("ann_a", "LOCATION"), ("ann_b", "ACTOR")):
        user = django_user_model.objects.create_user(name)
        membership_set(project=project, username=name, role=Membership.Role.ANNOTATOR)
        for _ in documents:
            annotate(project, user, [("ACTOR", "Russian jets"), (aleppo, "Aleppo")])
    return documents


def api_post(api_for, lead, document, action, data):
    client = api_for(lead)
    url = f"/api/projects/{document.project.slug}/review/{document.pk}/{action}/"
    return lambda: client.post(url, data, format="json")


def page_post(browser_for, lead, document, view, data):
    client = browser_for(lead)
    url = reverse(view, args=[document.project.slug, document.pk])
    return lambda: client.post(url, data, HTTP_HX_REQUEST="true")


def one_won(outcomes, success=200):
    """The winner and the loser; the loser was told another lead came first."""
    assert all(outcome.error is None for outcome in outcomes), [o.error for o in outcomes]
    responses = [outcome.value for outcome in outcomes]
    assert sorted(r.status_code for r in responses) == sorted([success, 409]), [
        r.content[:300] for r in responses
    ]
    winner, loser = sorted(responses, key=lambda r: r.status_code == 409)
    body = loser.json()["detail"] if loser["Content-Type"] == "application/json" else loser.text
    assert ANOTHER_LEAD in body
    return winner, loser


@pytest.mark.parametrize("channel", ["api", "page"])
def test_two_leads_deciding_at_once_one_decision_is_applied(
    disputed, leads, api_for, browser_for, channel
):
    for stagger, document in zip(STAGGER, disputed, strict=True):
        (group,) = review_state(document).open_groups
        decisions = []
        for lead, variant in zip(leads, range(len(group.variants)), strict=True):
            data = {"version": 0, "action": "accept", "group": 0, "variant": variant}
            if channel == "api":
                decisions.append(api_post(api_for, lead, document, "decisions", data))
            else:
                decisions.append(page_post(browser_for, lead, document, "review_decision", data))

        _, loser = one_won(at_once(*decisions, delays=stagger))

        review = Review.objects.get(document=document)
        assert review.version == 1
        assert review.events.count() == 1
        gold = document.gold_spans.filter(start=document.text.index("Aleppo"))
        assert gold.count() == 1
        if channel == "api":  # the loser is shown the state the winner left
            assert loser.json()["review"]["version"] == 1


def decided(document, lead) -> int:
    """The review with its one conflict decided: its version."""
    review_decide(document=document, lead=lead, version=0, action="reject", group=0)
    return 1


@pytest.mark.parametrize("channel", ["api", "page"])
def test_finish_racing_a_decision_one_of_them_is_applied(
    disputed, leads, api_for, browser_for, channel
):
    for stagger, document in zip(STAGGER, disputed, strict=True):
        version = decided(document, leads[0])
        undo = {"version": version, "action": "undo"}
        if channel == "api":
            calls = (
                api_post(api_for, leads[0], document, "finish", {"version": version}),
                api_post(api_for, leads[1], document, "decisions", undo),
            )
        else:
            calls = (
                page_post(browser_for, leads[0], document, "review_finish", {"version": version}),
                page_post(browser_for, leads[1], document, "review_decision", undo),
            )
        finish, decision = at_once(*calls, delays=stagger)
        finish_won = finish.value.status_code != 409
        one_won([finish, decision], success=302 if channel == "page" and finish_won else 200)

        review = Review.objects.get(document=document)
        assert review.version == version + 1
        actions = list(review.events.order_by("id").values_list("action", flat=True))
        if finish_won:
            assert review.status == Review.Status.DONE
            assert actions == ["reject", "finish"]
        else:
            assert review.status == Review.Status.IN_PROGRESS
            assert actions == ["reject", "undo"]


@pytest.mark.parametrize("action", ["finish", "reopen"])
@pytest.mark.parametrize("channel", ["api", "page"])
def test_two_leads_finishing_or_reopening_at_once_one_does_it(
    disputed, leads, api_for, browser_for, action, channel
):
    view = {"finish": "review_finish", "reopen": "review_reopen"}[action]
    for stagger, document in zip(STAGGER, disputed, strict=True):
        version = decided(document, leads[0])
        if action == "reopen":
            review_finish(document=document, lead=leads[0], version=version)
            version += 1
        events_before = ReviewEvent.objects.filter(review__document=document).count()
        data = {"version": version}
        if channel == "api":
            calls = [api_post(api_for, lead, document, action, data) for lead in leads]
        else:
            calls = [page_post(browser_for, lead, document, view, data) for lead in leads]

        one_won(at_once(*calls, delays=stagger), success=302 if channel == "page" else 200)

        review = Review.objects.get(document=document)
        assert review.version == version + 1
        assert ReviewEvent.objects.filter(review__document=document).count() == events_before + 1
        done = action == "finish"
        assert (review.status == Review.Status.DONE) == done
