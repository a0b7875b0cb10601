"""The error pages: a database out of reach is a clean 503 to retry, never a traceback."""

import io
import logging

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from annotator.models import Span
from annotator.services import assignment_next, document_import, token_create
from annotator.views.errors import UNAVAILABLE

from ..leaks import assert_reveals_nothing

TEXT = "At least 16 civilians were killed in Idlib on Tuesday."
# What psycopg says when the server goes away, with the details no client may see.
LOST = 'connection to server at "10.0.0.7", port 5432 failed: SELECT * FROM annotator_span'


@pytest.fixture
def assignment(project, annotator):
    document_import(project=project, files=[("a.txt", io.BytesIO(TEXT.encode()))])
    return assignment_next(project=project, annotator=annotator)


@pytest.fixture
def database_down():
    """Every query from now on fails as with the server gone: raise the given error class."""

    def go_down(error=OperationalError):
        def refuse(execute, sql, params, many, context):
            raise error(LOST)

        return connection.execute_wrapper(refuse)

    return go_down


@pytest.fixture
def signed_in(client, annotator):
    client.force_login(annotator)
    # Like a browser, see the response Django sends rather than the exception behind it.
    client.raise_request_exception = False
    return client


@pytest.fixture
def api(project, annotator):
    key = token_create(project=project, username=annotator.username).key
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")


def span_fields(assignment):
    start = TEXT.index("Idlib")
    return {"label": "LOCATION", "start": start, "end": start + len("Idlib")}


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert UNAVAILABLE in response.text
    assert_reveals_nothing(response.text)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_api_save_with_the_database_gone_is_a_json_503_to_retry(
    api, assignment, database_down, error, caplog
):
    url = f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.id}/spans/"
    with caplog.at_level(logging.ERROR), database_down(error):
        response = api.post(url, span_fields(assignment), content_type="application/json")
    assert_unavailable(response)
    assert response.json() == {"detail": UNAVAILABLE}
    # The server's log has what the client was not shown.
    assert any(record.exc_info and LOST in str(record.exc_info[1]) for record in caplog.records)

    retried = api.post(url, span_fields(assignment), content_type="application/json")
    assert retried.status_code == 201
    assert Span.objects.count() == 1


def test_page_with_the_database_gone_is_a_plain_503_page(signed_in, assignment, database_down):
    url = reverse("project_detail", args=[assignment.document.project.slug])
    with database_down():
        response = signed_in.get(url)
    assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Service unavailable</h1>" in response.text


def test_htmx_save_with_the_database_gone_is_a_503_the_page_keeps_the_span_for(
    signed_in, assignment, database_down, caplog
):
    url = reverse("span_create", args=[assignment.document.project.slug, assignment.id])
    with caplog.at_level(logging.ERROR), database_down():
        response = signed_in.post(url, span_fields(assignment), HTTP_HX_REQUEST="true")
    assert_unavailable(response)
    assert any(record.exc_info and LOST in str(record.exc_info[1]) for record in caplog.records)

    assert signed_in.post(url, span_fields(assignment), HTTP_HX_REQUEST="true").status_code == 201
    assert Span.objects.count() == 1


def test_other_failures_are_a_500_that_shows_nothing_either(
    signed_in, api, assignment, monkeypatch
):
    def fail(**_):
        raise ValueError(f"internal detail {LOST}")

    monkeypatch.setattr("annotator.services.span_create", fail)
    slug = assignment.document.project.slug
    api_response = api.post(
        f"/api/projects/{slug}/assignments/{assignment.id}/spans/",
        span_fields(assignment),
        content_type="application/json",
    )
    assert api_response.status_code == 500
    assert api_response.json() == {"detail": "Server error."}
    page = signed_in.post(
        reverse("span_create", args=[slug, assignment.id]), span_fields(assignment)
    )
    assert page.status_code == 500
    assert_reveals_nothing(page.text)
    assert "Retry-After" not in page
