import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotator.models import DocumentAgreement, Membership, ProjectAgreement
from annotator.services import (
    assignment_next,
    assignment_submit,
    document_import,
    membership_set,
    span_create,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def call(*args):
    out = StringIO()
    call_command("refresh_agreement", *args, stdout=out)
    return out.getvalue()


def annotate(project, user, marks):
    assignment = assignment_next(project=project, annotator=user)
    text = assignment.document.text
    for key, phrase in marks:
        start = text.index(phrase)
        label = project.labels.get(key=key)
        span_create(assignment=assignment, label=label, start=start, end=start + len(phrase))
    assignment_submit(assignment=assignment)


@pytest.fixture
def annotated(project, make_user):
    """One document on which two annotators agree on one span of three: exact F1 0.4, overlap
    0.8."""
    text = "Russia struck Idlib and Aleppo; 3 people were killed."
    document_import(project=project, files=[("d.txt", io.BytesIO(text.encode()))])
    for name, marks in (
        ("ann_a", (("ACTOR", "Russia"), ("LOCATION", "Idlib"), ("LOCATION", "Aleppo"))),
        ("ann_b", (("ACTOR", "Russia struck"), ("LOCATION", "Idlib"))),
    ):
        user = make_user(name)
        membership_set(project=project, username=name, role=Membership.Role.ANNOTATOR)
        annotate(project, user, marks)
    return project


def test_prints_the_document_count_and_span_f1(annotated):
    ProjectAgreement.objects.filter(project=annotated).update(figures={}, computed_at=None)
    out = call("--project", annotated.slug)
    alpha = ProjectAgreement.objects.get(project=annotated).figures["unitizing"]["alpha"]
    assert out == (
        "1 documents with two or more annotations; span F1 0.400 exact, 0.800 overlap; "
        f"unitizing alpha {alpha:.3f}\n"
    )
    state = ProjectAgreement.objects.get(project=annotated)
    assert state.computed_at is not None
    assert (state.refresh_queued, state.refresh_running) == (False, False)


def test_recompute_brings_back_tallies_deleted_by_hand(annotated):
    DocumentAgreement.objects.all().delete()
    assert call("--project", annotated.slug).startswith("0 documents")
    out = call("--project", annotated.slug, "--recompute")
    assert out.startswith("1 documents with two or more annotations; span F1 0.400 exact")
    assert DocumentAgreement.objects.count() == 1


def test_a_project_without_finished_documents_shows_not_defined(project):
    assert call("--project", project.slug) == (
        "0 documents with two or more annotations; span F1 not defined exact, not defined "
        "overlap; unitizing alpha not defined\n"
    )


def test_unknown_slug_is_refused_by_name(db):
    with pytest.raises(CommandError, match="no project with slug 'nope'"):
        call("--project", "nope")


def test_the_project_is_required(db):
    with pytest.raises(CommandError, match="--project"):
        call()


def test_progress_is_shown_on_a_terminal(annotated, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    call("--project", annotated.slug)
    assert terminal.getvalue() == "\r0/1 documents\r1/1 documents\n"


def test_progress_is_silent_when_not_on_a_terminal(annotated, monkeypatch):
    output = StringIO()
    monkeypatch.setattr("sys.stderr", output)
    call("--project", annotated.slug)
    assert output.getvalue() == ""
