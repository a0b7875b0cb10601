import pytest
from django.contrib.auth import get_user_model

from annotator.models import Membership
from annotator.services import membership_set, project_create

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    def make(username: str, **extra):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def project(db):
    return project_create(slug="demo", name="Demo project", guidelines="Mark **every** figure.")


@pytest.fixture
def lead(project, make_user):
    user = make_user("lead")
    membership_set(project=project, username=user.username, role=Membership.Role.LEAD)
    return user


@pytest.fixture
def annotator(project, make_user):
    user = make_user("annotator1")
    membership_set(project=project, username=user.username, role=Membership.Role.ANNOTATOR)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
