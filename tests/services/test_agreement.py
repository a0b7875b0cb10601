from datetime import UTC, datetime, timedelta

import pytest
from django.tasks import default_task_backend
from django.utils import timezone

from annotator.domain.agreement import VERSION
from annotator.models import Assignment, DocumentAgreement, ProjectAgreement
from annotator.services import agreement as agreement_service
from annotator.services import (
    agreement_refresh,
    agreement_refresh_request,
    assignment_skip,
    assignments_release_stale,
    documents_by_agreement,
    project_create,
)

from .. import annotating
from ..annotating import FULL, PARTIAL, add_reports

NOTHING = ()


# Set for each test by `submissions_commit`: Django's capture of on-commit callbacks.
_commit = None


@pytest.fixture(autouse=True)
def submissions_commit(django_capture_on_commit_callbacks):
    """The test database never commits, so each submission here runs its on-commit callbacks
    (the refresh it asks for) as the end of its request would."""
    global _commit
    _commit = django_capture_on_commit_callbacks
    yield
    _commit = None


def annotate(project, user, marks, *, submit=True):
    return annotating.annotate(project, user, marks, commit=_commit, submit=submit)


def figures_of(project):
    return ProjectAgreement.objects.get(project=project).figures


@pytest.fixture
def three_documents(project, annotators):
    """Three documents annotated by a and b: F1 0.4, 1.0 and 0.0, in import order."""
    documents = add_reports(project, 3)
    a, b, _ = annotators
    for mine, theirs in ((FULL, PARTIAL), (FULL, FULL), (FULL, NOTHING)):
        annotate(project, a, mine)
        annotate(project, b, theirs)
    return documents


# Document agreement on submission


def test_second_submission_stores_the_document_score_and_refreshes_the_project(project, annotators):
    (document,) = add_reports(project, 1)
    a, b, _ = annotators
    annotate(project, a, FULL)
    assert not DocumentAgreement.objects.filter(document=document).exists()
    assert not ProjectAgreement.objects.filter(project=project, figures__documents=1).exists()

    second = annotate(project, b, PARTIAL)

    agreement = DocumentAgreement.objects.get(document=document)
    assert agreement.score == pytest.approx(0.4)
    assert agreement.annotators == 2
    assert agreement.disagreements == 2  # one boundary, one missing
    assert agreement.version == VERSION
    assert agreement.submitted_at == second.submitted_at  # the latest submission
    figures = figures_of(project)
    assert figures["documents"] == 1
    assert figures["f1"]["exact"]["micro"] == 0.4
    assert figures["f1"]["overlap"]["micro"] == 0.8
    state = ProjectAgreement.objects.get(project=project)
    assert state.computed_at is not None
    assert (state.refresh_queued, state.refresh_running) == (False, False)


def test_each_further_submission_updates_the_project_figures(project, annotators):
    add_reports(project, 2)
    a, b, _ = annotators
    annotate(project, a, FULL)
    annotate(project, b, PARTIAL)
    annotate(project, a, FULL)
    annotate(project, b, FULL)
    figures = figures_of(project)
    assert figures["documents"] == 2
    # Matched 1 + 3, unmatched 3 + 0: 8 / 11.
    assert figures["f1"]["exact"]["micro"] == round(8 / 11, 6)


def test_two_annotators_marking_nothing_agree_completely(project, annotators):
    (document,) = add_reports(project, 1)
    a, b, _ = annotators
    annotate(project, a, NOTHING)
    annotate(project, b, NOTHING)
    assert DocumentAgreement.objects.get(document=document).score == 1.0


def test_an_open_assignment_is_never_counted_as_no_spans(project, annotators):
    project.annotators_per_document = 3
    project.save()
    (document,) = add_reports(project, 1)
    a, b, c = annotators
    annotate(project, a, FULL)
    annotate(project, b, PARTIAL)
    annotate(project, c, (("LOCATION", "Aleppo"),), submit=False)

    agreement = DocumentAgreement.objects.get(document=document)
    assert agreement.annotators == 2
    assert sorted(agreement.tallies["annotators"]) == sorted([a.pk, b.pk])
    assert agreement.score == pytest.approx(0.4)

    annotate(project, c, ())  # resumes the open assignment and submits it
    agreement.refresh_from_db()
    assert agreement.annotators == 3
    # Pairs a-b 1 matched 3 unmatched, a-c 1 and 2, b-c 0 and 3: 4 / (4 + 8).
    assert agreement.score == pytest.approx(1 / 3)


def test_a_skipped_annotation_is_never_counted(project, annotators):
    (document,) = add_reports(project, 1)
    a, b, c = annotators
    skipped = annotate(project, a, (("LOCATION", "Aleppo"),), submit=False)
    assignment_skip(assignment=skipped, reason="off topic")
    annotate(project, b, FULL)
    annotate(project, c, PARTIAL)
    agreement = DocumentAgreement.objects.get(document=document)
    assert agreement.annotators == 2
    assert sorted(agreement.tallies["annotators"]) == sorted([b.pk, c.pk])
    assert agreement.score == pytest.approx(0.4)


def test_a_released_annotation_is_never_counted(project, annotators):
    (document,) = add_reports(project, 1)
    a, b, c = annotators
    annotate(project, a, (("LOCATION", "Aleppo"),), submit=False)
    Assignment.objects.filter(annotator=a).update(assigned_at=timezone.now() - timedelta(days=8))
    assert assignments_release_stale(project=project) == 1
    annotate(project, b, FULL)
    annotate(project, c, PARTIAL)
    agreement = DocumentAgreement.objects.get(document=document)
    assert agreement.annotators == 2
    assert agreement.score == pytest.approx(0.4)


def test_a_half_finished_document_is_left_out_of_the_figures(project, annotators):
    first, second = add_reports(project, 2)
    a, b, _ = annotators
    annotate(project, a, FULL)
    annotate(project, b, FULL)
    annotate(project, a, FULL)  # second document: submitted once ...
    annotate(project, b, NOTHING, submit=False)  # ... and open once
    assert not DocumentAgreement.objects.filter(document=second).exists()
    assert figures_of(project)["documents"] == 1
    assert figures_of(project)["f1"]["exact"]["micro"] == 1.0
    # Not even a full recompute counts it.
    assert agreement_refresh(project, recompute=True).figures["documents"] == 1
    assert [row.document for row in documents_by_agreement(project)] == [first]


# Refresh


def test_refresh_from_stored_tallies_equals_a_full_recompute(project, three_documents):
    from_tallies = agreement_refresh(project).figures
    recomputed = agreement_refresh(project, recompute=True).figures
    assert from_tallies == recomputed
    assert from_tallies["documents"] == 3
    # Matched 1 + 3 + 0, unmatched 3 + 0 + 3: 8 / 14.
    assert from_tallies["f1"]["exact"]["micro"] == round(8 / 14, 6)
    # And the same as the refreshes the submissions made.
    assert figures_of(project) == from_tallies


def test_refresh_adds_up_stored_tallies_and_recompute_goes_back_to_the_spans(
    project, three_documents
):
    first, agreed, _ = three_documents
    copied = DocumentAgreement.objects.get(document=agreed)
    DocumentAgreement.objects.filter(document=first).update(tallies=copied.tallies, score=1.0)

    assert agreement_refresh(project).figures["f1"]["exact"]["micro"] == round(12 / 15, 6)

    figures = agreement_refresh(project, recompute=True).figures
    assert figures["f1"]["exact"]["micro"] == round(8 / 14, 6)
    assert DocumentAgreement.objects.get(document=first).score == pytest.approx(0.4)


def test_tallies_of_an_old_version_are_recomputed_by_a_plain_refresh(project, three_documents):
    first, agreed, _ = three_documents
    copied = DocumentAgreement.objects.get(document=agreed)
    DocumentAgreement.objects.filter(document=first).update(
        tallies=copied.tallies, score=1.0, version=0
    )

    figures = agreement_refresh(project).figures

    assert figures["f1"]["exact"]["micro"] == round(8 / 14, 6)
    row = DocumentAgreement.objects.get(document=first)
    assert (row.version, row.score) == (VERSION, pytest.approx(0.4))


def test_deleted_document_tallies_come_back_only_with_recompute(project, three_documents):
    first = three_documents[0]
    DocumentAgreement.objects.filter(document=first).delete()

    assert agreement_refresh(project).figures["documents"] == 2
    assert not DocumentAgreement.objects.filter(document=first).exists()

    assert agreement_refresh(project, recompute=True).figures["documents"] == 3
    row = DocumentAgreement.objects.get(document=first)
    assert (row.annotators, row.score) == (2, pytest.approx(0.4))


def test_refresh_reports_progress_ending_at_the_total(project, three_documents):
    calls = []
    state = agreement_refresh(project, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3)
    assert calls[-1] == (3, 3)
    assert all(total == 3 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert (state.refresh_queued, state.refresh_running) == (False, False)
    assert (state.refresh_done, state.refresh_total) == (3, 3)


def test_progress_is_stored_on_the_way_so_a_lead_can_watch(project, three_documents, monkeypatch):
    monkeypatch.setattr(agreement_service, "_CHUNK", 2)
    seen = []

    def watch(done, total):
        stored = ProjectAgreement.objects.get(project=project)
        seen.append(
            (done, total, stored.refresh_done, stored.refresh_total, stored.refresh_running)
        )

    agreement_refresh(project, progress=watch)
    assert seen == [(0, 3, 0, 3, True), (2, 3, 2, 3, True), (3, 3, 3, 3, False)]


def test_histogram_puts_each_document_in_the_bin_of_its_score(project, three_documents):
    histogram = agreement_refresh(project).figures["histogram"]
    assert sum(histogram) == 3
    assert (histogram[0], histogram[4], histogram[9]) == (1, 1, 1)  # 0.0, 0.4, 1.0


def test_weeks_list_the_week_of_the_latest_submission(project, three_documents):
    latest = timezone.localdate(Assignment.objects.latest("submitted_at").submitted_at)
    monday = latest - timedelta(days=latest.weekday())
    weeks = agreement_refresh(project).figures["weeks"]
    assert weeks == [
        {
            "week": monday.isoformat(),
            "documents": 3,
            "exact_f1": round(8 / 14, 6),
            "overlap_f1": round(2 * 5 / (2 * 5 + 4), 6),  # 2 + 3 + 0 matched, 1 + 0 + 3 not
        }
    ]


def test_weeks_are_kept_apart_and_in_order(project, three_documents):
    first, agreed, nothing = three_documents
    when = {
        first: datetime(2025, 3, 12, 12, tzinfo=UTC),  # a Wednesday
        agreed: datetime(2025, 3, 5, 12, tzinfo=UTC),
        nothing: datetime(2025, 3, 9, 12, tzinfo=UTC),  # the Sunday of the same week
    }
    for document, moment in when.items():
        Assignment.objects.filter(document=document).update(submitted_at=moment)
    weeks = agreement_refresh(project, recompute=True).figures["weeks"]
    assert weeks == [
        {"week": "2025-03-03", "documents": 2, "exact_f1": 0.666667, "overlap_f1": 0.666667},
        {"week": "2025-03-10", "documents": 1, "exact_f1": 0.4, "overlap_f1": 0.8},
    ]


def test_a_refresh_of_a_project_without_figures_gives_empty_figures(project):
    figures = agreement_refresh(project).figures
    assert figures["documents"] == 0
    assert figures["f1"]["exact"]["micro"] is None
    assert figures["histogram"] == [0] * 10
    assert figures["weeks"] == []


# Asking for a refresh


def test_a_refresh_request_runs_at_once_with_the_immediate_backend(project, three_documents):
    ProjectAgreement.objects.filter(project=project).update(figures={}, computed_at=None)
    with _commit(execute=True):
        assert agreement_refresh_request(project) is True
    state = ProjectAgreement.objects.get(project=project)
    assert state.figures["documents"] == 3
    assert state.computed_at is not None
    assert (state.refresh_queued, state.refresh_running) == (False, False)
    with _commit(execute=True):
        assert agreement_refresh_request(project) is True  # nothing waits: a new one is queued


@pytest.fixture
def queued_tasks(settings):
    """A task backend that keeps tasks instead of running them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return default_task_backend.results


def test_only_one_refresh_waits_at_a_time(project, annotators, queued_tasks):
    add_reports(project, 2)
    a, b, _ = annotators
    annotate(project, a, FULL)
    annotate(project, b, PARTIAL)
    assert len(queued_tasks) == 1
    assert list(queued_tasks[0].args) == [project.pk]
    state = ProjectAgreement.objects.get(project=project)
    assert state.refresh_queued is True
    assert state.figures == {}  # the submission itself adds nothing up

    assert agreement_refresh_request(project) is False
    annotate(project, a, FULL)
    annotate(project, b, FULL)  # a second document's tallies while the refresh waits
    assert len(queued_tasks) == 1

    queued_tasks[0].task.call(*queued_tasks[0].args)  # the worker runs it
    state.refresh_from_db()
    assert state.figures["documents"] == 2  # it read everything stored by then
    assert state.refresh_queued is False
    with _commit(execute=True):
        assert agreement_refresh_request(project) is True
    assert len(queued_tasks) == 2


def test_one_submission_alone_asks_for_no_refresh(project, annotators, queued_tasks):
    add_reports(project, 1)
    annotate(project, annotators[0], FULL)
    assert queued_tasks == []


# Review order and projects kept apart


def test_documents_by_agreement_lists_the_least_agreement_first(project, three_documents):
    first, agreed, nothing = three_documents
    rows = list(documents_by_agreement(project))
    assert [row.document for row in rows] == [nothing, first, agreed]
    assert [row.score for row in rows] == [0.0, pytest.approx(0.4), 1.0]


def test_another_projects_documents_never_enter_the_figures(project, annotators, three_documents):
    other = project_create(slug="other", name="Other project")
    a, b, _ = annotators
    (theirs,) = add_reports(other, 1)
    annotate(other, a, FULL)
    annotate(other, b, FULL)
    assert figures_of(other)["documents"] == 1
    assert figures_of(other)["f1"]["exact"]["micro"] == 1.0

    for recompute in (False, True):
        figures = agreement_refresh(project, recompute=recompute).figures
        assert figures["documents"] == 3
        assert figures["f1"]["exact"]["micro"] == round(8 / 14, 6)
    assert theirs not in [row.document for row in documents_by_agreement(project)]
    assert [row.document for row in documents_by_agreement(other)] == [theirs]

    # A recompute of this project neither recomputes nor restores the other's tallies.
    DocumentAgreement.objects.filter(document=theirs).update(score=0.5)
    agreement_refresh(project, recompute=True)
    assert DocumentAgreement.objects.get(document=theirs).score == 0.5
    DocumentAgreement.objects.filter(document=theirs).delete()
    agreement_refresh(project, recompute=True)
    assert not DocumentAgreement.objects.filter(document=theirs).exists()
    assert figures_of(other)["documents"] == 1


def test_a_refresh_lost_from_the_queue_is_queued_again_after_a_while(
    project, annotators, queued_tasks
):
    add_reports(project, 1)
    a, b, _ = annotators
    annotate(project, a, FULL)
    annotate(project, b, PARTIAL)
    queued_tasks.clear()  # the worker's queue lost it
    assert agreement_refresh_request(project) is False  # it may yet run
    ProjectAgreement.objects.filter(project=project).update(
        refresh_queued_at=timezone.now() - agreement_service.STUCK - timedelta(seconds=1)
    )
    with _commit(execute=True):
        assert agreement_refresh_request(project) is True
    assert len(queued_tasks) == 1


def test_a_lead_asking_for_a_refresh_always_queues_one(project, annotators, queued_tasks):
    add_reports(project, 1)
    a, b, _ = annotators
    annotate(project, a, FULL)
    annotate(project, b, PARTIAL)
    with _commit(execute=True):
        assert agreement_refresh_request(project, force=True) is True
    assert len(queued_tasks) == 2


def test_a_refresh_that_fails_does_not_stay_running(project, three_documents, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(agreement_service, "AgreementTally", broken)
    with pytest.raises(RuntimeError):
        agreement_refresh(project)
    assert ProjectAgreement.objects.get(project=project).refresh_running is False


def test_a_failed_refresh_never_undoes_the_submission(project, annotators, monkeypatch):
    add_reports(project, 1)
    a, b, _ = annotators
    annotate(project, a, FULL)
    monkeypatch.setattr(agreement_service, "AgreementTally", lambda: 1 / 0)
    submitted = annotate(project, b, PARTIAL)  # the immediate backend logs the task's error
    submitted.refresh_from_db()
    assert submitted.status == Assignment.Status.SUBMITTED
    assert DocumentAgreement.objects.filter(document=submitted.document).exists()
