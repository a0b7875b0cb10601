import pytest
from django.contrib.auth import get_user_model

from annotator.models import Membership
from annotator.services import membership_set, project_create

from .annotating import FULL, PARTIAL, add_reports, adjudicate, annotate

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def files_folder(settings, tmp_path):
    # Export files land here, not in the checkout's var/.
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


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


@pytest.fixture
def members(project, make_user):
    """Makes users members of the project: `members("annotator", "ann_a", "ann_b")`."""

    def make(role, *names):
        users = []
        for name in names:
            users.append(make_user(name))
            membership_set(project=project, username=name, role=role)
        return users

    return make


@pytest.fixture
def annotators(members):
    """Three annotators of the project: ann_a, ann_b and ann_c."""
    return members(Membership.Role.ANNOTATOR, "ann_a", "ann_b", "ann_c")


@pytest.fixture
def pair(members):
    """Two annotators of the project, ann_a and ann_b."""
    return members(Membership.Role.ANNOTATOR, "ann_a", "ann_b")


@pytest.fixture
def reviewed(project, pair, lead, django_capture_on_commit_callbacks):
    """Three reports both annotators submitted (FULL and PARTIAL); the first two adjudicated
    (the first variant of each conflict accepted), the third not."""
    documents = add_reports(project, 3)
    for _ in documents:
        annotate(project, pair[0], FULL, commit=django_capture_on_commit_callbacks)
        annotate(project, pair[1], PARTIAL, commit=django_capture_on_commit_callbacks)
    for document in documents[:2]:
        adjudicate(document, lead)
    return documents
