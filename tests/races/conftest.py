"""Races: two requests at the same moment, each on its own thread and database connection.

Every test here runs on `transactional_db`, so what one thread commits the other sees, as two
gunicorn workers would. A barrier releases the threads together; each closes its connection
when done, so the test database can be dropped afterwards.
"""

import io
import threading
import time
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from annotator.models import Membership
from annotator.services import (
    document_import,
    membership_set,
    project_create,
    token_create,
)

from ..conftest import PASSWORD

TEXT = "Russian jets struck Idlib and Aleppo on Tuesday; at least 16 civilians were killed."
ROUNDS = 5  # a race is run several times: one lucky ordering must not pass for a fix
# Per round, how long each of two racers waits after the barrier: a few milliseconds either
# way moves which one reaches the database first, so both orders are tried.
STAGGER = [(0, 0), (0, 0.005), (0.005, 0), (0, 0.02), (0.02, 0)]


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def at_once(*calls, delays=None) -> list[Outcome]:
    """Run the calls together, one thread each, and return what each returned or raised;
    `delays` (seconds, one per call) hold some back a little after the start."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]
    delays = delays or [0] * len(calls)

    def run(call, outcome, delay):
        try:
            barrier.wait(timeout=10)
            time.sleep(delay)
            outcome.value = call()
        except BaseException as error:  # the test asserts on it
            outcome.error = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=args)
        for args in zip(calls, outcomes, delays, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racing request never finished"
    return outcomes


def phrase(text: str, words: str) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words)}


@pytest.fixture
def project(transactional_db):
    return project_create(slug="races", name="Races")


@pytest.fixture
def annotator(project, django_user_model):
    user = django_user_model.objects.create_user("racer", password=PASSWORD)
    membership_set(project=project, username=user.username, role=Membership.Role.ANNOTATOR)
    return user


@pytest.fixture
def documents(project):
    """ROUNDS documents of the same text, one for each round of a race."""
    files = [(f"d{n}.txt", io.BytesIO(f"{n}. {TEXT}".encode())) for n in range(ROUNDS)]
    document_import(project=project, files=files)
    return list(project.documents.order_by("id"))


@pytest.fixture
def browser_for():
    """A logged-in test client, one per tab: two tabs of one user share their session."""
    sessions = {}

    def make(user):
        client = Client()
        if user.pk in sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[user.pk]
        else:
            client.force_login(user)
            sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return client

    return make


@pytest.fixture
def api_for(project):
    def make(user):
        client = APIClient()
        key = token_create(project=project, username=user.username).key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
