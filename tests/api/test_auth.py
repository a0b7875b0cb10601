from io import StringIO

from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token


def test_anonymous_gets_401_with_how_to_authenticate(client, db):
    response = client.get("/api/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(client, db):
    response = client.get("/api/projects/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_session_auth_needs_the_csrf_token_for_writes(project, annotator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(annotator)
    assert browser.get("/api/projects/").status_code == 200
    refused = browser.post(f"/api/projects/{project.slug}/next/")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]


def test_drf_create_token_command_makes_a_working_token(project, lead, client):
    out = StringIO()
    call_command("drf_create_token", "lead", stdout=out)
    key = Token.objects.get(user=lead).key
    assert key in out.getvalue()
    response = client.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {key}")
    assert [p["slug"] for p in response.json()["results"]] == [project.slug]


def test_a_lead_creates_a_token_for_a_member_only(project, lead, annotator, outsider, api_for):
    api = api_for(lead)
    made = api.post(
        f"/api/projects/{project.slug}/tokens/", {"username": "annotator1"}, format="json"
    )
    assert made.status_code == 201
    assert made.json()["token"] == Token.objects.get(user=annotator).key
    refused = api.post(
        f"/api/projects/{project.slug}/tokens/", {"username": "outsider"}, format="json"
    )
    assert refused.json() == {"username": ["Not a member of this project."]}
