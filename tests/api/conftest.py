import io

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.models import Membership
from annotator.services import document_import, membership_set, token_create

REPORT = "Pro-Assad forces killed at least 16 civilians 👩‍👧 in Idlib Province on Monday."


@pytest.fixture
def api_for(project):
    """An API client authenticated with the user's token, as a script would be."""

    def make(user):
        client = APIClient()
        if project.memberships.filter(user=user).exists():
            key = token_create(project=project, username=user.username).key
        else:
            key = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def document(project):
    document_import(project=project, files=[("report.txt", io.BytesIO(REPORT.encode()))])
    return project.documents.get()


@pytest.fixture
def second_annotator(project, make_user):
    user = make_user("annotator2")
    membership_set(project=project, username=user.username, role=Membership.Role.ANNOTATOR)
    return user


def at(phrase: str) -> dict:
    start = REPORT.index(phrase)
    return {"start": start, "end": start + len(phrase)}


@pytest.fixture
def annotate(project, django_capture_on_commit_callbacks):
    """Through the API as an annotator would: next document, spans, submit. The test database
    never commits: the refresh a submission asks for on commit is run as a request's end would."""

    def mark_and_submit(api, marks):
        assignment = api.post(f"/api/projects/{project.slug}/next/").json()
        base = f"/api/projects/{project.slug}/assignments/{assignment['id']}/"
        for label, phrase in marks:
            response = api.post(base + "spans/", {"label": label, **at(phrase)}, format="json")
            assert response.status_code == 201, response.json()
        with django_capture_on_commit_callbacks(execute=True):
            assert api.post(base + "submit/").json()["status"] == "submitted"

    return mark_and_submit
