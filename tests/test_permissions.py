"""The permission matrix: every route × method × role, in one table."""

import pytest
from django.urls import reverse

from annotator.models import Document

ALLOWED, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# route name → {role: expected status for GET}
MATRIX = {
    "home": {"anonymous": LOGIN, "outsider": ALLOWED, "annotator": ALLOWED, "lead": ALLOWED},
    "project_detail": {
        "anonymous": LOGIN,
        "outsider": NOT_FOUND,
        "annotator": ALLOWED,
        "lead": ALLOWED,
    },
    "document_detail": {
        "anonymous": LOGIN,
        "outsider": NOT_FOUND,
        "annotator": FORBIDDEN,
        "lead": ALLOWED,
    },
    "document_import": {
        "anonymous": LOGIN,
        "outsider": NOT_FOUND,
        "annotator": FORBIDDEN,
        "lead": ALLOWED,
    },
}


@pytest.fixture
def urls(project):
    document = Document.objects.create(project=project, text="t", sha256="0" * 64)
    return {
        "home": reverse("home"),
        "project_detail": reverse("project_detail", args=[project.slug]),
        "document_detail": reverse("document_detail", args=[project.slug, document.id]),
        "document_import": reverse("document_import", args=[project.slug]),
    }


@pytest.fixture
def as_role(client, lead, annotator, outsider, make_user):
    users = {"lead": lead, "annotator": annotator, "outsider": outsider}

    def log_in(role):
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return log_in


@pytest.mark.parametrize("route", MATRIX)
@pytest.mark.parametrize("role", ["anonymous", "outsider", "annotator", "lead"])
def test_get(route, role, urls, as_role):
    assert as_role(role).get(urls[route]).status_code == MATRIX[route][role]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "annotator"])
def test_only_leads_may_post_an_import(role, urls, as_role):
    expected = MATRIX["document_import"][role]
    assert as_role(role).post(urls["document_import"], {}).status_code == expected


def test_site_admin_leads_every_project(urls, client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert all(client.get(url).status_code == ALLOWED for url in urls.values())


def test_unknown_project_is_404_for_members_too(client, lead):
    client.force_login(lead)
    assert client.get(reverse("project_detail", args=["nope"])).status_code == NOT_FOUND
