"""Agreement figures through the API: for leads only, never for the annotators compared."""

import io

import pytest
from django.utils import timezone

from annotator.models import ProjectAgreement
from annotator.services import document_import

from .conftest import REPORT


def url(project, suffix=""):
    return f"/api/projects/{project.slug}/agreement/{suffix}"


# annotator1 and annotator2 agree on the actor but not on where the place ends:
# exact 1 matched, 2 unmatched, F1 2/4 = 0.5; overlapping, both match: F1 1.0.
FIRST = (("ACTOR", "Pro-Assad forces"), ("LOCATION", "Idlib Province"))
SECOND = (("ACTOR", "Pro-Assad forces"), ("LOCATION", "Idlib"))


@pytest.fixture
def two_documents(project, document):
    """The report, then a second document only annotator1 will submit."""
    report = document_import(
        project=project, files=[("other.txt", io.BytesIO(b"Shelling hit Aleppo on Tuesday."))]
    )
    assert report.imported == 1, report.errors
    return list(project.documents.order_by("id"))


@pytest.fixture
def both_submitted(api_for, annotate, annotator, second_annotator, two_documents):
    annotate(api_for(annotator), FIRST)
    annotate(api_for(second_annotator), SECOND)
    return two_documents


def test_before_any_pair_of_submissions_there_are_no_figures(api_for, lead, project, document):
    response = api_for(lead).get(url(project))

    assert response.status_code == 200
    body = response.json()
    assert body["figures"] == {}
    assert body["computed_at"] is None
    assert body["refresh"] == {"queued": False, "running": False, "done": 0, "total": 0}


def test_lead_reads_the_span_f1_after_two_submissions(api_for, lead, project, both_submitted):
    body = api_for(lead).get(url(project)).json()

    assert body["computed_at"] is not None
    figures = body["figures"]
    assert figures["documents"] == 1
    assert figures["f1"]["exact"]["micro"] == 0.5
    assert figures["f1"]["overlap"]["micro"] == 1.0
    assert figures["disagreements"] == {"label": 0, "boundary": 1, "both": 0, "missing": 0}


def test_refresh_is_accepted_with_202_and_queued_then_brings_the_figures_back(
    api_for, lead, project, both_submitted, django_capture_on_commit_callbacks
):
    # No figures, and a refresh that looks queued but whose task was lost: a lead's request
    # must run one all the same.
    ProjectAgreement.objects.filter(project=project).update(
        figures={}, computed_at=None, refresh_queued=True, refresh_queued_at=timezone.now()
    )
    api = api_for(lead)

    with django_capture_on_commit_callbacks(execute=True) as refreshes:
        response = api.post(url(project, "refresh/"))

    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"computed_at", "refresh", "figures"}
    assert body["refresh"]["queued"] is True  # the refresh runs once the request is over
    assert len(refreshes) == 1
    after = api.get(url(project)).json()
    assert after["refresh"]["queued"] is False
    assert after["figures"]["f1"]["exact"]["micro"] == 0.5


def test_documents_lists_only_those_with_figures_with_their_exact_f1(
    api_for, lead, project, annotator, annotate, both_submitted
):
    report, other = both_submitted
    annotate(api_for(annotator), ())  # the other document: one submission only
    assert other.assignments.filter(status="submitted").count() == 1

    response = api_for(lead).get(url(project, "documents/"))

    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry["document"] == report.id
    assert entry["title"] == report.title
    assert entry["annotators"] == 2
    assert entry["exact_f1"] == 0.5
    assert entry["disagreements"] == 1


def test_documents_come_in_cursor_pages(
    api_for, lead, project, annotate, annotator, second_annotator
):
    report = document_import(
        project=project,
        files=[(f"r{i}.txt", io.BytesIO(f"{REPORT} ({i})".encode())) for i in range(3)],
    )
    assert report.imported == 3, report.errors
    for _ in range(3):
        annotate(api_for(annotator), ())
        annotate(api_for(second_annotator), ())
    api = api_for(lead)

    first = api.get(url(project, "documents/") + "?page_size=2").json()
    second = api.get(first["next"]).json()

    ids = [entry["document"] for entry in first["results"] + second["results"]]
    assert ids == sorted(project.documents.values_list("id", flat=True))
    assert second["next"] is None


def test_an_annotator_who_submitted_cannot_read_the_figures(
    api_for, project, annotator, both_submitted
):
    """The figures would tell annotator1 where annotator2's spans differ from theirs."""
    api = api_for(annotator)
    for response in (
        api.get(url(project)),
        api.get(url(project, "documents/")),
        api.post(url(project, "refresh/")),
    ):
        assert response.status_code == 403
        assert "figures" not in response.json()
        assert "exact_f1" not in response.content.decode()
