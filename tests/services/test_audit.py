"""The audit log records each change once, with who made it, inside the change's transaction:
a change refused or rolled back leaves no entry, and an entry that cannot be written stops the
change."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from annotator.models import AuditEvent, Export
from annotator.services import (
    ReviewClosed,
    ReviewConflict,
    ServiceError,
    assignments_release_stale,
    document_import,
    review_decide,
    review_finish,
    review_reopen,
    review_state,
)
from annotator.services import documents as documents_service
from annotator.services.audit import audit_record
from annotator.services.export_files import gold_stream
from annotator.services.export_jobs import export_file_open, export_request

from ..annotating import FULL, PARTIAL, add_reports, annotate

Action = AuditEvent.Action


def entries(project, action):
    return list(AuditEvent.objects.filter(project=project, action=action))


def only(project, action) -> AuditEvent:
    found = entries(project, action)
    assert len(found) == 1, [event.summary for event in found]
    return found[0]


def upload(name: str, text: str):
    return (name, io.BytesIO(text.encode()))


# Imports ------------------------------------------------------------------------------------


def test_an_import_is_recorded_once_with_its_files_counts_and_importer(project, lead):
    document_import(
        project=project,
        files=[upload("a.txt", "First report."), upload("b.jsonl", '{"text": "First report."}')],
        actor=lead,
    )
    event = only(project, Action.DOCUMENTS_IMPORTED)
    assert (event.actor, event.actor_name, event.who) == (lead, "lead", "lead")
    assert event.summary == "Imported a.txt, b.jsonl: 1 new, 1 duplicates"
    assert event.details["files"] == ["a.txt", "b.jsonl"]
    assert (event.details["created"], event.details["duplicates"]) == (1, 1)


def test_an_import_from_the_command_line_is_recorded_as_the_command_line(project):
    document_import(project=project, files=[upload("a.txt", "A report.")])
    event = only(project, Action.DOCUMENTS_IMPORTED)
    assert (event.actor, event.actor_name, event.who) == (None, "", "command line")


def test_a_refused_import_records_nothing(project, lead):
    report = document_import(
        project=project,
        files=[upload("bad.jsonl", '{"text": "Fine."}\n{"title": "no text"}\n')],
        actor=lead,
    )
    assert not report.committed
    assert entries(project, Action.DOCUMENTS_IMPORTED) == []


def test_rows_skipped_as_invalid_are_counted_in_the_entry(project, lead):
    document_import(
        project=project,
        files=[upload("mixed.jsonl", '{"text": "Fine."}\n{"title": "no text"}\n')],
        skip_invalid=True,
        actor=lead,
    )
    event = only(project, Action.DOCUMENTS_IMPORTED)
    assert event.details["rejected"] == 1
    assert "1 rows skipped as invalid" in event.summary


def test_a_file_name_cannot_hide_or_disguise_itself_in_the_log(project, lead):
    hostile = "report\u202egpj.exe\u200b.txt"
    document_import(project=project, files=[upload(hostile, "A report.")], actor=lead)
    event = only(project, Action.DOCUMENTS_IMPORTED)
    assert event.details["files"] == ["report\\u202egpj.exe\\u200b.txt"]
    assert "\u202e" not in event.summary


def test_an_import_that_fails_part_way_leaves_no_entry(project, lead):
    def files():
        yield upload("a.txt", "A report.")
        raise OSError("the disk went away")

    with pytest.raises(OSError):
        document_import(project=project, files=files(), actor=lead)
    assert entries(project, Action.DOCUMENTS_IMPORTED) == []
    assert project.documents.count() == 0


def test_an_entry_that_cannot_be_written_stops_the_import(project, lead, monkeypatch):
    def broken(**_):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(documents_service, "audit_record", broken)
    with pytest.raises(RuntimeError):
        document_import(project=project, files=[upload("a.txt", "A report.")], actor=lead)
    assert project.documents.count() == 0


# Assignments ---------------------------------------------------------------------------------


def later(project):
    return timezone.now() + project.assignment_timeout + timedelta(minutes=1)


def test_a_release_is_recorded_with_the_lead_and_whose_assignments_went(project, lead, pair):
    add_reports(project, 2)
    annotate(project, pair[0], FULL, submit=False)
    annotate(project, pair[1], FULL, submit=False)
    assert assignments_release_stale(project=project, now=later(project), actor=lead) == 2
    event = only(project, Action.ASSIGNMENTS_RELEASED)
    assert event.actor == lead
    assert event.details["released"] == 2
    assert event.details["annotators"] == ["ann_a", "ann_b"]
    assert "Released 2 assignments" in event.summary


def test_a_release_that_frees_nothing_records_nothing(project, lead, pair):
    add_reports(project, 1)
    annotate(project, pair[0], FULL, submit=False)
    assert assignments_release_stale(project=project, actor=lead) == 0
    assert entries(project, Action.ASSIGNMENTS_RELEASED) == []


# Reviews -------------------------------------------------------------------------------------


@pytest.fixture
def ready(project, pair, django_capture_on_commit_callbacks):
    """A report both annotators submitted, with conflicts to decide."""
    (document,) = add_reports(project, 1)
    annotate(project, pair[0], FULL, commit=django_capture_on_commit_callbacks)
    annotate(project, pair[1], PARTIAL, commit=django_capture_on_commit_callbacks)
    return document


def test_each_decision_and_its_undo_are_recorded_with_the_lead(project, lead, ready):
    review_decide(document=ready, lead=lead, version=0, action="accept", group=0, variant=0)
    review_decide(document=ready, lead=lead, version=1, action="undo")
    first, second = reversed(entries(project, Action.REVIEW_DECIDED))
    assert first.actor == second.actor == lead
    assert first.summary.startswith(f"Document {ready.pk}")
    assert "Accepted ACTOR “Russia”" in first.summary
    assert (first.details["document_id"], first.details["decision"]) == (ready.pk, "accept")
    assert second.details["decision"] == "undo"
    assert "Undid: Accepted ACTOR" in second.summary


def test_a_stale_or_refused_decision_records_nothing(project, lead, ready):
    with pytest.raises(ReviewConflict):
        review_decide(document=ready, lead=lead, version=3, action="reject", group=0)
    with pytest.raises(ServiceError):
        review_decide(document=ready, lead=lead, version=0, action="reject", group=99)
    with pytest.raises(ServiceError):
        review_finish(document=ready, lead=lead, version=0)
    reviewing = (Action.REVIEW_DECIDED, Action.REVIEW_FINISHED, Action.REVIEW_REOPENED)
    assert not AuditEvent.objects.filter(project=project, action__in=reviewing).exists()


def test_finishing_and_reopening_are_recorded_once(project, lead, ready):
    version = 0
    for group, _ in enumerate(review_state(ready).candidates.groups):
        review_decide(
            document=ready, lead=lead, version=version, action="accept", group=group, variant=0
        )
        version += 1
    review_finish(document=ready, lead=lead, version=version)
    review_finish(document=ready, lead=lead, version=version + 1)  # already done: no change
    with pytest.raises(ReviewClosed):
        review_decide(document=ready, lead=lead, version=version + 1, action="undo")
    finished = only(project, Action.REVIEW_FINISHED)
    assert (finished.actor, finished.details["document_id"]) == (lead, ready.pk)
    review_reopen(document=ready, lead=lead, version=version + 1)
    reopened = only(project, Action.REVIEW_REOPENED)
    assert reopened.actor == lead
    assert "Reopened the review" in reopened.summary
    assert len(entries(project, Action.REVIEW_DECIDED)) == version


# Exports -------------------------------------------------------------------------------------


def test_an_export_request_is_recorded_with_its_format(project, lead):
    export = export_request(project=project, user=lead, format="conll")
    event = only(project, Action.EXPORT_REQUESTED)
    assert event.actor == lead
    assert (event.details["export_id"], event.details["format"]) == (export.pk, "conll")


def test_a_refused_export_request_records_nothing(project, lead):
    with pytest.raises(ServiceError):
        export_request(project=project, user=lead, format="xml")
    with pytest.raises(ServiceError):
        export_request(project=project, user=lead, format="brat", ratios=(0.8, 0.1, 0.1))
    assert entries(project, Action.EXPORT_REQUESTED) == []


def test_an_export_request_that_rolls_back_leaves_no_entry(project, lead):
    with pytest.raises(RuntimeError), transaction.atomic():
        export_request(project=project, user=lead, format="jsonl")
        raise RuntimeError("the request failed after")
    assert entries(project, Action.EXPORT_REQUESTED) == []


def test_downloading_an_export_file_is_recorded(project, lead):
    export = Export.objects.create(project=project, format="jsonl", status=Export.Status.DONE)
    export.file.save("gold.jsonl", ContentFile(b"{}\n"))
    export.file_name = "demo-gold-jsonl.jsonl"
    with export_file_open(export=export, actor=lead) as content:
        assert content.read() == b"{}\n"
    event = only(project, Action.EXPORT_DOWNLOADED)
    assert event.actor == lead
    assert event.details["export_id"] == export.pk
    assert "demo-gold-jsonl.jsonl" in event.summary


def test_a_streamed_export_is_recorded_when_it_starts_and_a_refused_one_is_not(project, lead):
    with pytest.raises(ServiceError):
        gold_stream(project=project, format="brat", actor=lead)
    assert entries(project, Action.EXPORT_DOWNLOADED) == []
    gold_stream(project=project, format="casualty", actor=lead)
    event = only(project, Action.EXPORT_DOWNLOADED)
    assert (event.actor, event.details["format"], event.details["streamed"]) == (
        lead,
        "casualty",
        True,
    )


# The record itself ---------------------------------------------------------------------------


def test_the_actor_name_outlives_the_account(project, lead):
    event = audit_record(project=project, actor=lead, action=Action.EXPORT_REQUESTED, summary="x")
    lead.delete()
    event.refresh_from_db()
    assert (event.actor, event.who) == (None, "lead")
