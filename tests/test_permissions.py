"""The permission matrix: every route × method × role, in one table."""

import pytest
from django.urls import get_resolver, reverse

from annotator.models import Assignment, Document, Membership, Span
from annotator.services import membership_set

OK, CREATED, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT = 200, 201, 302, 403, 404, 302
ROLES = ["anonymous", "outsider", "other_annotator", "annotator", "lead"]

# (route, method) → status by role, in the order of ROLES.
MATRIX = {
    ("home", "get"): [LOGIN, OK, OK, OK, OK],
    ("project_detail", "get"): [LOGIN, NOT_FOUND, OK, OK, OK],
    ("document_detail", "get"): [LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK],
    ("document_import", "get"): [LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK],
    ("document_import", "post"): [LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK],
    ("assignments_release", "post"): [LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, REDIRECT],
    ("annotate_next", "post"): [LOGIN, NOT_FOUND, REDIRECT, REDIRECT, FORBIDDEN],
    ("annotate_document", "get"): [LOGIN, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN],
    ("span_create", "post"): [LOGIN, NOT_FOUND, NOT_FOUND, CREATED, FORBIDDEN],
    ("span_update", "post"): [LOGIN, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN],
    ("span_attributes", "get"): [LOGIN, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN],
    ("span_delete", "post"): [LOGIN, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN],
    ("assignment_submit", "post"): [LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, FORBIDDEN],
    ("assignment_skip", "post"): [LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, FORBIDDEN],
}
POST_DATA = {
    "span_create": {"label": "ACTOR", "start": 0, "end": 4},
    "span_update": {"label": "ACTOR"},
    "assignment_skip": {"reason": "other"},
}


@pytest.fixture
def setup(project, lead, annotator, outsider, make_user):
    document = Document.objects.create(project=project, text="Some text here", sha256="0" * 64)
    assignment = Assignment.objects.create(document=document, annotator=annotator)
    span = Span.objects.create(
        assignment=assignment, label=project.labels.get(key="LOCATION"), start=5, end=9
    )
    other = make_user("other")
    membership_set(project=project, username="other", role=Membership.Role.ANNOTATOR)
    users = {"lead": lead, "annotator": annotator, "outsider": outsider, "other_annotator": other}
    slug = project.slug
    urls = {
        "home": reverse("home"),
        "project_detail": reverse("project_detail", args=[slug]),
        "document_detail": reverse("document_detail", args=[slug, document.id]),
        "document_import": reverse("document_import", args=[slug]),
        "assignments_release": reverse("assignments_release", args=[slug]),
        "annotate_next": reverse("annotate_next", args=[slug]),
        "annotate_document": reverse("annotate_document", args=[slug, assignment.id]),
        "span_create": reverse("span_create", args=[slug, assignment.id]),
        "span_update": reverse("span_update", args=[slug, assignment.id, span.id]),
        "span_attributes": reverse("span_attributes", args=[slug, assignment.id, span.id]),
        "span_delete": reverse("span_delete", args=[slug, assignment.id, span.id]),
        "assignment_submit": reverse("assignment_submit", args=[slug, assignment.id]),
        "assignment_skip": reverse("assignment_skip", args=[slug, assignment.id]),
    }
    return users, urls


@pytest.mark.parametrize(("route", "method"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(route, method, role, setup, client):
    users, urls = setup
    if role != "anonymous":
        client.force_login(users[role])
    response = getattr(client, method)(urls[route], POST_DATA.get(route, {}))
    assert response.status_code == MATRIX[(route, method)][ROLES.index(role)]


def test_every_named_route_is_in_the_matrix():
    named = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    covered = {route for route, _ in MATRIX} | {"login", "logout"}
    assert named - covered == set()


def test_site_admin_leads_every_project(setup, client, make_user):
    _, urls = setup
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    for route in ("project_detail", "document_detail", "document_import"):
        assert client.get(urls[route]).status_code == OK


def test_unknown_project_is_404_for_members_too(client, lead):
    client.force_login(lead)
    assert client.get(reverse("project_detail", args=["nope"])).status_code == NOT_FOUND
