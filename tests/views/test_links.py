import json

import pytest
from django.urls import reverse

from annotator.models import SpanLink
from annotator.services import assignment_next, assignment_submit, link_create
from tests.annotating import import_texts, mark

TEXT = "Russian jets killed at least 16 civilians in Idlib, the SOHR said."
KILLED = {"outcome": "killed"}


@pytest.fixture
def assignment(project, annotator):
    import_texts(project, [TEXT])
    made = assignment_next(project=project, annotator=annotator)
    mark(
        project,
        made,
        [
            ("CASUALTY_FIGURE", "at least 16 civilians", KILLED),
            ("LOCATION", "Idlib"),
            ("ACTOR", "SOHR"),
        ],
    )
    return made


@pytest.fixture
def spans(assignment):
    return {TEXT[span.start : span.end]: span for span in assignment.spans.all()}


@pytest.fixture
def as_annotator(client, annotator):
    client.force_login(annotator)
    return client


def url(name, assignment, *extra):
    return reverse(name, args=[assignment.document.project.slug, assignment.id, *extra])


def test_the_page_shows_each_figures_links_as_chips(as_annotator, assignment, spans):
    link_create(
        assignment=assignment,
        source=spans["at least 16 civilians"],
        target=spans["Idlib"],
        kind="located_at",
    )
    page = as_annotator.get(url("annotate_document", assignment))
    assert page.status_code == 200
    assert b"js/links.js" in page.content
    assert "located_at" in page.content.decode()  # the kinds link mode offers
    listed = as_annotator.get(
        url("annotate_document", assignment), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="span-list"
    )
    html = listed.content.decode()
    assert "<html" not in html
    assert "→ located at Idlib" in " ".join(html.split())
    assert f'data-link-target="{spans["Idlib"].id}"' in html
    assert f'data-start-link="{spans["at least 16 civilians"].id}"' in html


def test_posting_a_link_returns_the_span_list_and_announces_it(as_annotator, assignment, spans):
    figure, place = spans["at least 16 civilians"], spans["Idlib"]
    response = as_annotator.post(
        url("link_create", assignment),
        {"source": figure.id, "target": place.id, "kind": "located_at"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="span-list"' in response.content.decode()
    assert "→ located at Idlib" in " ".join(response.content.decode().split())
    event = json.loads(response["HX-Trigger"])["links-changed"]
    assert event["action"] == "created" and event["kind"] == "located_at"
    assert (event["from"], event["to"]) == (figure.id, place.id)
    assert SpanLink.objects.filter(source=figure, target=place, kind="located_at").exists()


def test_a_wrong_link_is_a_400_saying_why(as_annotator, assignment, spans):
    response = as_annotator.post(
        url("link_create", assignment),
        {
            "source": spans["at least 16 civilians"].id,
            "target": spans["SOHR"].id,
            "kind": "located_at",
        },
    )
    assert response.status_code == 400
    assert "ends at a LOCATION span" in response.content.decode()
    assert response["X-Error-Field"] == "target"
    assert not SpanLink.objects.exists()


def test_a_missing_span_is_a_404_and_a_submitted_document_a_409(as_annotator, assignment, spans):
    figure, place = spans["at least 16 civilians"], spans["Idlib"]
    missing = as_annotator.post(
        url("link_create", assignment),
        {"source": figure.id, "target": 999999, "kind": "located_at"},
    )
    assert missing.status_code == 404
    assignment_submit(assignment=assignment)
    closed = as_annotator.post(
        url("link_create", assignment),
        {"source": figure.id, "target": place.id, "kind": "located_at"},
    )
    assert closed.status_code == 409
    assert "submitted" in closed.content.decode()


def test_removing_a_link_returns_the_list_without_it(as_annotator, assignment, spans):
    link = link_create(
        assignment=assignment,
        source=spans["at least 16 civilians"],
        target=spans["Idlib"],
        kind="located_at",
    )
    response = as_annotator.post(url("link_delete", assignment, link.id), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "located at" not in response.content.decode()
    assert json.loads(response["HX-Trigger"])["links-changed"]["action"] == "deleted"
    assert not SpanLink.objects.exists()
    # Again (another tab): nothing left to do, and no error.
    again = as_annotator.post(url("link_delete", assignment, link.id))
    assert again.status_code == 200


def test_another_annotator_cannot_link_on_this_assignment(client, members, assignment, spans):
    (other,) = members("annotator", "other")
    client.force_login(other)
    response = client.post(
        url("link_create", assignment),
        {
            "source": spans["at least 16 civilians"].id,
            "target": spans["Idlib"].id,
            "kind": "located_at",
        },
    )
    assert response.status_code == 404
    assert not SpanLink.objects.exists()
