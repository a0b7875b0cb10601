"""The database goes away while annotators save: every answer meanwhile is a clean 503, the
server recovers by itself when the database is back, and no acknowledged span is lost or
doubled.

gunicorn, as `make serve` runs it (persistent connections, health-checked), serves the test
database through a proxy the test cuts: open connections reset, new ones refused, and the
server's backends terminated on PostgreSQL, as a restart does. Annotators save spans through
the API from several threads and retry what fails, as the annotate page does."""

import http.client
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from annotator.models import Membership, Span
from annotator.services import (
    assignment_next,
    document_import,
    membership_set,
    project_create,
    token_create,
)
from annotator.views.errors import UNAVAILABLE

from ..leaks import assert_reveals_nothing
from .conftest import subprocess_environment
from .proxy import DatabaseProxy

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
APPLICATION = "faults-server"
WORKERS, THREADS = 2, 4
ANNOTATORS = 6
SPANS_EACH = 30
OUTAGE_SECONDS = 3
RETRY_SECONDS = 0.2  # sooner than Retry-After says, to keep the test short
PACE_SECONDS = 0.03  # between one annotator's spans, so that their saving spans the outage
GIVE_UP_SECONDS = 40
CSRF = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret, valid as it is


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    started: float  # time.monotonic() when the request was sent


def send(port: int, method: str, path: str, body: str = "", **headers: str) -> Answer:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return Answer(
            response.status, dict(response.getheaders()), response.read().decode(), started
        )
    finally:
        conn.close()


@dataclass
class Annotator:
    """A script saving its spans one by one, each retried until the server says 2xx."""

    username: str
    port: int
    token: str
    spans_url: str
    wanted: list[tuple[int, int]]
    acknowledged: dict[tuple[int, int], int] = field(default_factory=dict)
    refusals: list[Answer] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)  # the HTTP server itself silent

    def save(self, start: int, end: int) -> Answer:
        body = json.dumps({"label": "LOCATION", "start": start, "end": end})
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        return send(self.port, "POST", self.spans_url, body, **headers)

    def run(self, deadline: float) -> None:
        for start, end in self.wanted:
            while time.monotonic() < deadline:
                try:
                    answer = self.save(start, end)
                except OSError as error:
                    self.unanswered.append(repr(error))
                else:
                    if 200 <= answer.status < 300:
                        self.acknowledged[start, end] = json.loads(answer.body)["id"]
                        break
                    self.refusals.append(answer)
                time.sleep(RETRY_SECONDS)
            time.sleep(PACE_SECONDS)


class Server:
    """gunicorn on the test database, reached through `database_port`, in production
    settings (DEBUG off), its log in a file."""

    def __init__(self, database_port: int, log: Path):
        with socket.create_server(("127.0.0.1", 0)) as probe:
            self.port = probe.getsockname()[1]
        self.log = log
        environment = subprocess_environment(
            application=APPLICATION,
            port=database_port,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=settings.SECRET_KEY,  # which signs the test's session cookies
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_HTTPS="0",  # plain HTTP on loopback
            DJANGO_CONN_MAX_AGE="60",
        )
        command = [GUNICORN, "annotator.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", "30"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the workers are in it
            )
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while self.workers_booted() < WORKERS:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.1)

    def workers_booted(self) -> int:
        return self.log.read_text().count("Booting worker")

    def stop(self) -> None:
        """gunicorn's quick shutdown (SIGINT), then its workers too, so that none keeps a
        connection to the test database, which is dropped next."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def server_backends(*, terminate: bool = False) -> int:
    """The server's connections on PostgreSQL, terminated (as a restart does) if asked."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {'pg_terminate_backend(pid)' if terminate else 'pid'} FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APPLICATION],
        )
        return len(cursor.fetchall())


def report(number: int) -> str:
    return f"Report {number}: " + " ".join(f"place{n:03d}" for n in range(SPANS_EACH)) + "."


@pytest.fixture
def proxy():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite is a file inside the app's process: there is no server to restart. "
            "Permanent, not a gap: this runs in the PostgreSQL half of every `make test`."
        )
    db = connection.settings_dict
    running = DatabaseProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    running.start()
    yield running
    running.close()


@pytest.fixture
def server(proxy, tmp_path):
    running = Server(proxy.port, tmp_path / "gunicorn.log")
    yield running
    running.stop()


@pytest.fixture
def annotators(server):
    """Annotators with a document open each, and a token to save spans with."""
    project = project_create(slug="faults", name="Faults")
    lines = "\n".join(json.dumps({"text": report(n)}) for n in range(ANNOTATORS))
    document_import(project=project, files=[("reports.jsonl", io.BytesIO(lines.encode()))])
    team = []
    for number in range(ANNOTATORS):
        user = get_user_model().objects.create_user(username=f"annotator{number}")
        membership_set(project=project, username=user.username, role=Membership.Role.ANNOTATOR)
        assignment = assignment_next(project=project, annotator=user)
        spans = [found.span() for found in re.finditer(r"place\d{3}", assignment.document.text)]
        team.append(
            Annotator(
                username=user.username,
                port=server.port,
                token=token_create(project=project, username=user.username).key,
                spans_url=f"/api/projects/faults/assignments/{assignment.id}/spans/",
                wanted=spans,
            )
        )
    return team


class Browser:
    """The first annotator's browser, signed in: their project page, and the annotate page's
    own (htmx) route to save a span."""

    def __init__(self, server: Server, annotator: Annotator):
        client = Client()
        user = get_user_model().objects.get(username=annotator.username)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.port = server.port
        self.page_url = reverse("project_detail", args=["faults"])
        self.save_url = annotator.spans_url.removeprefix("/api")
        self.headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF}",
            "X-CSRFToken": CSRF,
            "HX-Request": "true",
        }

    def page(self) -> Answer:
        return send(self.port, "GET", self.page_url, **self.headers)

    def save(self) -> Answer:
        """The report's first word as an ACTOR span."""
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return send(
            self.port, "POST", self.save_url, "label=ACTOR&start=0&end=6", **self.headers, **form
        )


def all_at_once(*work) -> None:
    threads = [threading.Thread(target=function) for function in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_saving_through_a_database_restart_loses_nothing_and_recovers_by_itself(
    proxy, server, annotators
):
    browser = Browser(server, annotators[0])
    deadline = time.monotonic() + GIVE_UP_SECONDS
    threads = [threading.Thread(target=a.run, args=(deadline,)) for a in annotators]
    for thread in threads:
        thread.start()
    try:
        total = ANNOTATORS * SPANS_EACH
        while sum(len(a.acknowledged) for a in annotators) < total // 3:
            assert time.monotonic() < deadline, "the annotators saved too little to begin"
            time.sleep(0.01)
        assert server_backends() > 0

        proxy.cut()
        server_backends(terminate=True)
        outage_ends = time.monotonic() + OUTAGE_SECONDS
        page_down, save_down = browser.page(), browser.save()
        time.sleep(max(0.0, outage_ends - time.monotonic()))
        proxy.restore()
        restored = time.monotonic()
    finally:
        for thread in threads:
            thread.join()

    # During the outage: a clean 503 for every request, JSON or a page, nothing inside shown.
    refusals = [answer for a in annotators for answer in a.refusals]
    assert refusals, "no save met the outage"
    for answer in refusals:
        assert answer.status == 503, answer.body
        assert answer.headers["Retry-After"].isdigit()
        assert json.loads(answer.body) == {"detail": UNAVAILABLE}
        assert_reveals_nothing(answer.body)
    for answer in (page_down, save_down):
        assert answer.status == 503, answer.body
        assert answer.headers["Content-Type"].startswith("text/html")
        assert "<h1>Service unavailable</h1>" in answer.body
        assert_reveals_nothing(answer.body)
    assert [error for a in annotators for error in a.unanswered] == []

    # After it: every request succeeds at once, on the same server processes, and the
    # server keeps its connections open again (CONN_MAX_AGE > 0 with health checks).
    assert [answer.started for answer in refusals if answer.started >= restored] == []
    saved = browser.save()
    assert saved.status == 201, saved.body
    assert server.workers_booted() == WORKERS
    assert server_backends() > 0
    log = server.log.read_text()
    assert "Database unavailable: POST /api/projects/faults/assignments/" in log
    assert "Service Unavailable: /projects/faults/" in log

    # Restarted again while the server is idle: the connections it keeps are dead, and the
    # health check replaces each before a request uses it, so no one sees an error.
    server_backends(terminate=True)
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while server_backends():
        assert time.monotonic() < deadline, "the server's connections were not terminated"
        time.sleep(0.02)
    answers: list[Answer] = []
    all_at_once(
        *(lambda a=a: answers.extend(a.save(*span) for span in a.wanted[:3]) for a in annotators)
    )
    assert len(answers) == 3 * ANNOTATORS
    assert [answer.body for answer in answers if not 200 <= answer.status < 300] == []

    # Every span acknowledged exists exactly once; the retried ones were all acknowledged.
    for annotator in annotators:
        assert sorted(annotator.acknowledged) == annotator.wanted
    stored = list(Span.objects.exclude(label__key="ACTOR").values_list("id", "start", "end"))
    assert len(stored) == ANNOTATORS * SPANS_EACH
    acknowledged = {span_id for a in annotators for span_id in a.acknowledged.values()}
    assert {span_id for span_id, _, _ in stored} == acknowledged
