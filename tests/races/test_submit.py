"""Double submit: the same assignment submitted twice at the same moment (a double click, a
retry, two tabs), through the page and through the API."""

import pytest
from django.urls import reverse

from annotator.models import Assignment, DocumentAgreement, Membership, Review, ReviewEvent
from annotator.services import assignment_next, membership_set

from ..annotating import annotate, mark
from .conftest import at_once

MARKS = (("ACTOR", "Russian jets"), ("LOCATION", "Idlib"))


@pytest.fixture
def partner(project, django_user_model):
    """A second annotator who submits the same spans first: the racing submission completes
    the document, so it computes the agreement and, being unanimous, makes the review."""
    user = django_user_model.objects.create_user("partner")
    membership_set(project=project, username=user.username, role=Membership.Role.ANNOTATOR)
    project.auto_accept_unanimous = True
    project.save()
    return user


def submit_by_page(browser_for, user, assignment):
    client = browser_for(user)
    url = reverse("assignment_submit", args=[assignment.document.project.slug, assignment.pk])
    return lambda: client.post(url)


def submit_by_api(api_for, user, assignment):
    client = api_for(user)
    url = f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.pk}/submit/"
    return lambda: client.post(url)


def told_already_submitted(response, channel) -> bool:
    body = response.json()["detail"] if channel == "api" else response.text
    return response.status_code == 409 and "already submitted" in body


@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_double_submit_is_one_submission_and_the_second_is_told(
    project, annotator, partner, documents, browser_for, api_for, channel
):
    submitter = submit_by_page if channel == "page" else submit_by_api
    client_for = browser_for if channel == "page" else api_for
    for document in documents:
        annotate(project, partner, MARKS)
        assignment = assignment_next(project=project, annotator=annotator)
        assert assignment.document == document
        mark(project, assignment, MARKS)

        first, second = at_once(
            submitter(client_for, annotator, assignment),
            submitter(client_for, annotator, assignment),
        )

        assert first.error is None and second.error is None, (first.error, second.error)
        statuses = sorted([first.value.status_code, second.value.status_code])
        assert statuses == ([302, 409] if channel == "page" else [200, 409])
        loser = first.value if first.value.status_code == 409 else second.value
        assert told_already_submitted(loser, channel)
        assignment.refresh_from_db()
        assert assignment.status == Assignment.Status.SUBMITTED
        assert DocumentAgreement.objects.filter(document=document).count() == 1
        assert Review.objects.filter(document=document).count() == 1
        assert ReviewEvent.objects.filter(review__document=document).count() == 1
        assert document.gold_spans.count() == len(MARKS)
