"""Getting in and staying in: no sign-up, invitations, the login throttle, sessions, and
redirects after login that stay on this site."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from annotator.forms import LOGIN_REFUSED
from annotator.models import Invitation, Membership
from annotator.services import invitation_accept, invitation_create, invitation_revoke
from annotator.views.accounts import login_refused

from ..conftest import PASSWORD

NEW_PASSWORD = "another-long-password-2"
HOSTILE_NEXT = ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"]


def log_in(client, username="lead", password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def refusal_shown(response) -> str:
    match = re.search(r'<div class="error" role="alert">(.*?)</div>', response.text, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


@pytest.fixture
def invitation(project, lead):
    return invitation_create(project=project, role="annotator", created_by=lead)


def accept_url(token):
    return reverse("invitation_accept", args=[token])


def new_account(client, token, username="rima", password=NEW_PASSWORD, **extra):
    return client.post(
        accept_url(token),
        {"username": username, "password": password, "password_again": password, **extra},
    )


# No self-registration ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/signup/", "/register/", "/accounts/signup/", "/join/"])
def test_there_is_no_sign_up_page(client, db, path):
    assert client.get(path).status_code == 404
    response = client.post(path, {"username": "x", "password1": "p", "password2": "p"})
    assert response.status_code == 404
    assert not get_user_model().objects.exists()


def test_no_route_is_named_for_signing_up(db):
    names = [name for name in get_resolver().reverse_dict if isinstance(name, str)]
    assert not [name for name in names if re.search("sign_?up|regist", name)]


def test_the_login_page_says_how_to_get_in(client, db):
    assert "ask a lead of your project for an invitation link" in client.get("/login/").text


# Invitations ---------------------------------------------------------------------------------


def test_a_new_person_makes_an_account_and_lands_in_the_project(client, project, invitation):
    _, token = invitation
    page = client.get(accept_url(token))
    assert "Join Demo project" in page.text and "annotator" in page.text
    response = new_account(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("project_detail", args=[project.slug])
    user = get_user_model().objects.get(username="rima")
    assert Membership.objects.get(user=user, project=project).role == "annotator"
    welcome = client.get(response["Location"])
    assert welcome.status_code == 200 and "Welcome to Demo project." in welcome.text


def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_made(
    client, project, invitation
):
    _, token = invitation
    response = new_account(client, token, password="12345678")
    assert response.status_code == 400
    assert "This password is too common." in response.text
    assert 'data-testid="password-errors"' in response.text
    assert not get_user_model().objects.filter(username="rima").exists()
    assert Invitation.objects.get().used_at is None


def test_a_taken_username_and_differing_passwords_are_named(client, project, invitation):
    _, token = invitation
    response = new_account(client, token, username="Lead", password_again="something-else")
    assert response.status_code == 400
    assert "The two passwords differ." in response.text
    response = new_account(client, token, username="Lead")
    assert "That username is taken; choose another." in response.text
    assert get_user_model().objects.filter(username__iexact="lead").count() == 1


def test_a_logged_in_person_joins_with_their_account(client, project, invitation, outsider):
    _, token = invitation
    client.force_login(outsider)
    assert "Join as outsider" in client.get(accept_url(token)).text
    response = client.post(accept_url(token))
    assert response["Location"] == reverse("project_detail", args=[project.slug])
    assert Membership.objects.get(user=outsider).role == "annotator"


def test_an_existing_user_can_log_in_and_come_back_to_the_link(client, invitation, outsider):
    _, token = invitation
    page = client.get(accept_url(token)).text
    assert f'href="/login/?next={accept_url(token)}"' in page
    response = log_in(client, "outsider", next=accept_url(token))
    assert response["Location"] == accept_url(token)


def test_a_used_link_says_so_and_not_who_used_it(client, project, invitation):
    _, token = invitation
    invitation_accept(token=token, username="first_person", password=NEW_PASSWORD)
    response = Client().get(accept_url(token))
    assert response.status_code == 410
    assert "already been used" in response.text
    assert "first_person" not in response.text
    assert new_account(Client(), token, username="second").status_code == 410
    assert not get_user_model().objects.filter(username="second").exists()


def test_expired_withdrawn_and_unknown_links_each_say_which(client, project, lead):
    expired = invitation_create(project=project, role="annotator", created_by=lead)
    Invitation.objects.filter(pk=expired[0].pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    withdrawn = invitation_create(project=project, role="annotator", created_by=lead)
    invitation_revoke(invitation=withdrawn[0], actor=lead)
    pages = {
        "expired": client.get(accept_url(expired[1])),
        "withdrawn": client.get(accept_url(withdrawn[1])),
        "unknown": client.get(accept_url("not-a-real-token")),
    }
    assert {name: page.status_code for name, page in pages.items()} == {
        "expired": 410,
        "withdrawn": 410,
        "unknown": 404,
    }
    assert "This invitation has expired." in pages["expired"].text
    assert "withdrawn by a lead" in pages["withdrawn"].text
    assert "This invitation link is not valid." in pages["unknown"].text
    for page in pages.values():
        assert "Demo project" not in page.text
    assert new_account(client, expired[1]).status_code == 410
    assert not get_user_model().objects.filter(username="rima").exists()


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_accepting_never_follows_a_next_link(client, project, invitation, target):
    _, token = invitation
    response = client.post(
        accept_url(token) + f"?next={target}",
        {"username": "rima", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("project_detail", args=[project.slug])


# Login throttling ----------------------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client, lead):
    wrong_password = log_in(client, "lead", "not-the-password")
    unknown_user = log_in(client, "nobody-here", "whatever")
    assert refusal_shown(wrong_password) == refusal_shown(unknown_user) == LOGIN_REFUSED
    assert wrong_password.status_code == unknown_user.status_code == 200


def test_after_a_few_failures_even_the_right_password_is_refused_with_the_same_message(
    client, lead
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="guess")
    locked = log_in(client)
    assert locked.status_code == 200
    assert refusal_shown(locked) == LOGIN_REFUSED
    assert not signed_in(client)


def test_the_lock_is_per_username_and_address(client, lead, make_user):
    make_user("colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="guess")
    assert log_in(Client(), "colleague").status_code == 302
    assert log_in(Client(REMOTE_ADDR="10.1.2.3")).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="guess")
    assert refusal_shown(log_in(client)) == LOGIN_REFUSED
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert log_in(client).status_code == 302


def test_a_success_before_the_limit_clears_the_failures(client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, password="guess")
    assert log_in(client).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, password="guess")
    assert log_in(client).status_code == 302


def test_the_admin_login_is_throttled_too(client, make_user):
    make_user("root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "root", "password": "guess"})
    client.post(url, {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/").status_code == 302  # still the login page


def test_a_lockout_without_a_page_to_show_still_says_only_the_generic_message(db):
    # django-axes' async path hands over the credentials instead of the login page.
    response = login_refused(RequestFactory().post("/login/"), {"username": "lead"})
    assert (response.status_code, response.content.decode()) == (429, LOGIN_REFUSED)


def test_the_api_takes_no_password(client, lead):
    # The API authenticates with tokens and sessions only, so the throttle covers every
    # place a password is typed: the login page and the admin's.
    response = client.get(
        "/api/projects/", HTTP_AUTHORIZATION="Basic bGVhZDphLWxvbmctdGVzdC1wYXNzd29yZA=="
    )
    assert response.status_code == 401


# Sessions ------------------------------------------------------------------------------------


def test_logging_in_starts_a_new_session(client, lead):
    session = client.session
    session["before"] = "login"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    assert log_in(client).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logging_out_ends_the_session_for_a_copy_of_its_cookie(client, lead):
    log_in(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not signed_in(stolen)
    assert not Session.objects.filter(session_key=cookie).exists()


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(lead):
    here, elsewhere = Client(), Client()
    log_in(here)
    log_in(elsewhere)
    page = here.get(reverse("password_change"))
    assert page.status_code == 200
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "You are logged out everywhere else." in here.get(reverse("home")).text
    assert not signed_in(elsewhere)
    assert log_in(Client(), password=NEW_PASSWORD).status_code == 302


def test_changing_the_password_replaces_the_api_token(client, lead):
    old = Token.objects.create(user=lead).key
    client.force_login(lead)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    new = Token.objects.get(user=lead).key
    assert new != old
    api = Client()
    assert api.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert api.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_a_wrong_old_password_changes_nothing(client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly." in response.text
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_the_header_links_to_the_password_change(client_for, lead):
    assert reverse("password_change") in client_for(lead).get(reverse("home")).text


# Redirects after login -----------------------------------------------------------------------


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_redirects_off_the_site(client, lead, target):
    page = client.get(reverse("login"), {"next": target})
    assert target not in page.text
    response = log_in(client, next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_follows_a_next_on_this_site(client, project, lead):
    response = log_in(client, next=f"/projects/{project.slug}/")
    assert response["Location"] == f"/projects/{project.slug}/"
