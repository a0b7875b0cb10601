"""Autosave racing submit: a span change from the page arrives while the same assignment is
being submitted. Either the change lands first and is part of the submitted work, or it is
refused with a clear "submitted" message; never a change the submission missed, never a 500.

"The submitted work" is what the submission computed the document's agreement from: if a
change landed after it, the stored tallies differ from those of the spans now stored.
"""

from functools import partial

import pytest
from django.urls import reverse

from annotator.models import DocumentAgreement, Membership, Span
from annotator.services import assignment_next, document_agreement_compute, membership_set

from ..annotating import annotate, mark
from .conftest import STAGGER, at_once, phrase

MARKS = (("ACTOR", "Russian jets", {"role": "perpetrator"}), ("LOCATION", "Idlib"))


def url(name, assignment, *extra):
    return reverse(name, args=[assignment.document.project.slug, assignment.pk, *extra])


def span_at(assignment, words):
    return assignment.spans.get(start=phrase(assignment.document.text, words)["start"])


# Each change: (what the page posts, how to tell from the database that it landed).
def create(client, assignment):
    data = {"label": "LOCATION", **phrase(assignment.document.text, "Aleppo")}
    return (
        lambda: client.post(url("span_create", assignment), data),
        lambda: assignment.spans.filter(start=data["start"]).exists(),
    )


def relabel(client, assignment):
    span = span_at(assignment, "Idlib")
    return (
        lambda: client.post(url("span_update", assignment, span.pk), {"label": "ACTOR"}),
        lambda: Span.objects.get(pk=span.pk).label.key == "ACTOR",
    )


def delete(client, assignment):
    span = span_at(assignment, "Idlib")
    return (
        lambda: client.post(url("span_delete", assignment, span.pk)),
        lambda: not Span.objects.filter(pk=span.pk).exists(),
    )


def attributes(client, assignment):
    span = span_at(assignment, "Russian jets")
    return (
        lambda: client.post(url("span_attributes", assignment, span.pk), {"role": "target"}),
        lambda: Span.objects.get(pk=span.pk).attributes.get("role") == "target",
    )


@pytest.fixture
def partner(project, django_user_model):
    """The document's other annotator, done first: the racing submission completes it."""
    user = django_user_model.objects.create_user("partner")
    membership_set(project=project, username=user.username, role=Membership.Role.ANNOTATOR)
    return user


@pytest.mark.parametrize("change", [create, relabel, delete, attributes])
def test_a_change_racing_submit_is_in_the_submitted_work_or_refused(
    project, annotator, partner, documents, browser_for, change
):
    for stagger, document in zip(STAGGER, documents, strict=True):
        annotate(project, partner, MARKS)
        assignment = assignment_next(project=project, annotator=annotator)
        assert assignment.document == document
        mark(project, assignment, MARKS)
        send, landed = change(browser_for(annotator), assignment)
        other_tab = browser_for(annotator)
        submit = partial(other_tab.post, url("assignment_submit", assignment))

        saved, submitted = at_once(send, submit, delays=stagger)

        assert saved.error is None and submitted.error is None, (saved.error, submitted.error)
        assert submitted.value.status_code == 302
        if saved.value.status_code in (200, 201):
            assert landed()
        else:
            assert saved.value.status_code == 409, saved.value.content
            assert "submitted" in saved.value.text
            assert not landed()
        stored = DocumentAgreement.objects.get(document=document).tallies
        assert document_agreement_compute(document).tallies == stored
