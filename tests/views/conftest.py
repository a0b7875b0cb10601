"""Annotations for the review and feedback pages: documents, three annotators, and a helper
that marks an annotator's next document and submits it."""

import io

import pytest

from annotator.models import Membership
from annotator.services import (
    assignment_next,
    assignment_submit,
    document_import,
    membership_set,
    span_create,
)

TEXT = "Report {}: Russia struck Idlib and Aleppo; 3 people were killed."

# Spans as (label key, the phrase it covers).
FULL = (("ACTOR", "Russia"), ("LOCATION", "Idlib"), ("LOCATION", "Aleppo"))
# Against FULL: Idlib agrees; "Russia struck" against "Russia" is a boundary conflict (group 0,
# variants "Russia" then "Russia struck"); only FULL marks Aleppo (group 1). Exact F1 0.4.
PARTIAL = (("ACTOR", "Russia struck"), ("LOCATION", "Idlib"))
# Against FULL: Idlib is an ACTOR here, a label conflict. Exact F1 0.667.
RELABELLED = (("ACTOR", "Russia"), ("ACTOR", "Idlib"), ("LOCATION", "Aleppo"))
# No actor at all.
PLACES = (("LOCATION", "Idlib"), ("LOCATION", "Aleppo"))


def add_documents(project, count):
    """`count` new documents ("Report 0: …", "Report 1: …" after those already there)."""
    first = project.documents.count()
    files = [
        (f"d{i}.txt", io.BytesIO(TEXT.format(i).encode())) for i in range(first, first + count)
    ]
    report = document_import(project=project, files=files)
    assert report.imported == count, report.errors
    return list(project.documents.order_by("id"))[first:]


@pytest.fixture
def team(project, make_user):
    """alice, bob and carol, annotators of the project (k is 2)."""
    users = {}
    for name in ("alice", "bob", "carol"):
        users[name] = make_user(name)
        membership_set(project=project, username=name, role=Membership.Role.ANNOTATOR)
    return users


@pytest.fixture
def submit(project, django_capture_on_commit_callbacks):
    """Mark the user's next document with the given spans and submit it; returns the
    assignment. What a submission asks for on commit runs as at a request's end."""

    def mark_and_submit(user, marks):
        assignment = assignment_next(project=project, annotator=user)
        text = assignment.document.text
        for key, phrase in marks:
            start = text.index(phrase)
            span_create(
                assignment=assignment,
                label=project.labels.get(key=key),
                start=start,
                end=start + len(phrase),
            )
        with django_capture_on_commit_callbacks(execute=True):
            return assignment_submit(assignment=assignment)

    return mark_and_submit


@pytest.fixture
def disputed(project, team, submit):
    """One document alice (FULL) and bob (PARTIAL) submitted: two conflicts, Idlib agreed."""
    [document] = add_documents(project, 1)
    submit(team["alice"], FULL)
    submit(team["bob"], PARTIAL)
    return document
