"""Annotations for the review and feedback pages: documents, three annotators, and a helper
that marks an annotator's next document and submits it."""

import pytest

from annotator.models import Membership

from ..annotating import FULL, PARTIAL, add_reports, annotate


@pytest.fixture
def team(members):
    """alice, bob and carol, annotators of the project (k is 2)."""
    names = ("alice", "bob", "carol")
    return dict(zip(names, members(Membership.Role.ANNOTATOR, *names), strict=True))


@pytest.fixture
def submit(project, django_capture_on_commit_callbacks):
    """Mark the user's next document with the given spans and submit it; returns the
    assignment. What a submission asks for on commit runs as at a request's end."""

    def mark_and_submit(user, marks):
        return annotate(project, user, marks, commit=django_capture_on_commit_callbacks)

    return mark_and_submit


@pytest.fixture
def disputed(project, team, submit):
    """One document alice (FULL) and bob (PARTIAL) submitted: two conflicts, Idlib agreed."""
    [document] = add_reports(project, 1)
    submit(team["alice"], FULL)
    submit(team["bob"], PARTIAL)
    return document
