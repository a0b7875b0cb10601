"""kill -9 of `manage.py import_documents` part-way: the project holds none or all of the
file's documents (and of its gold), and running the import again completes it, no duplicates.

The import runs as a subprocess on the test database, its stderr on a terminal so that it
draws its progress bar; the test reads the bar to know where the import is, stops it there
(SIGSTOP), looks at the database, and kills it (SIGKILL). At the last insert, another
transaction holding the last text's row is what stops it."""

import json
import os
import pty
import re
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, transaction

from annotator.domain.documents import text_sha256
from annotator.management.progress import ProgressBar
from annotator.models import Assignment, Document, GoldSpan, Review
from annotator.services import project_create

from .conftest import MANAGE, PYTHON, subprocess_environment

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

DOCUMENTS = 5_000  # five batches of IMPORT_BATCH_SIZE
WORDS = ("killed", "civilians", "in", "Idlib", "shelling", "of", "the", "village", "16")
APPLICATION = "faults-import"
FRAME = re.compile(rb"\] +(\d+)%")
GIVE_UP_SECONDS = 30
SLICE_SECONDS = 0.02
PAUSE_SECONDS = ProgressBar.REDRAW_SECONDS + 0.01


@dataclass(frozen=True)
class ImportFile:
    path: Path
    gold: bool
    last_text: str


def write_file(path: Path, *, gold: bool) -> ImportFile:
    """A JSONL file of distinct reports, each with one LOCATION gold span if `gold`."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(DOCUMENTS):
            words = " ".join(WORDS[(number * 7 + i) % len(WORDS)] for i in range(50))
            text = f"Report {number}: {words} Idlib."
            record = {"text": text}
            if gold:
                start = text.rindex("Idlib")
                record["spans"] = [{"start": start, "end": start + 5, "label": "LOCATION"}]
            out.write(json.dumps(record) + "\n")
    return ImportFile(path, gold, text)


class Import:
    """`manage.py import_documents` running, its progress bar read from a terminal."""

    def __init__(self, project, path):
        self._bar, its_terminal = pty.openpty()
        self.process = subprocess.Popen(
            [PYTHON, MANAGE, "import_documents", "--project", project.slug, str(path)],
            env=subprocess_environment(application=APPLICATION),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=its_terminal,
        )
        os.close(its_terminal)
        self.output = b""

    def run_until(self, percent: int) -> int:
        """Let the import run until its bar shows `percent`, and stop it there (SIGSTOP).

        Once reading has begun, the import runs in short slices, each after a pause longer than
        the bar's redraw interval, so that every slice draws a frame: the stop comes within a
        slice of `percent`, however fast the machine (free-running, a fast one could go from
        70% to committed between two frames)."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        shown = self._latest_frame(deadline)
        while shown < percent:
            self._signal(signal.SIGSTOP)
            time.sleep(PAUSE_SECONDS)
            self._signal(signal.SIGCONT)
            time.sleep(SLICE_SECONDS)
            shown = self._latest_frame(deadline)
        self._signal(signal.SIGSTOP)
        return shown

    def _latest_frame(self, deadline: float) -> int:
        """The percentage the bar shows last, waiting for its first frame if need be."""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._bar], [], [], 0.01)
            if ready:
                try:
                    self.output += os.read(self._bar, 4096)
                except OSError:  # the terminal closed: the import exited
                    break
                continue
            if frames := FRAME.findall(self.output):
                return int(frames[-1])
            if self.process.poll() is not None:
                break
        raise AssertionError(f"the import drew no progress: {self.output[-2000:]!r}")

    def _signal(self, number: int) -> None:
        assert self.process.poll() is None, f"the import ended: {self.output[-2000:]!r}"
        self.process.send_signal(number)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(GIVE_UP_SECONDS)
        os.close(self._bar)


def run_import(project, path) -> str:
    done = subprocess.run(
        [PYTHON, MANAGE, "import_documents", "--project", project.slug, str(path)],
        env=subprocess_environment(application=APPLICATION),
        capture_output=True,
        text=True,
        timeout=GIVE_UP_SECONDS * 2,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def import_backend() -> dict | None:
    """The import's connection on the PostgreSQL server: its pid, whether its transaction
    has written anything (a transaction id), and what it waits for."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid IS NOT NULL, wait_event_type FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [APPLICATION],
        )
        row = cursor.fetchone()
    return None if row is None else {"pid": row[0], "wrote": row[1], "waits": row[2]}


def wait_until(condition, what: str):
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting until {what}")


def wait_until_the_import_is_gone():
    """A killed client's server process ends its transaction (rolled back) by itself, soon."""
    if connection.vendor == "postgresql":
        wait_until(lambda: import_backend() is None, "the killed import's connection closed")


def holdings(project) -> tuple[int, int, int, int]:
    """(documents, distinct texts, finished reviews, gold spans) of the project."""
    documents = Document.objects.filter(project=project)
    return (
        documents.count(),
        documents.values("sha256").distinct().count(),
        Review.objects.filter(document__project=project, status=Review.Status.DONE).count(),
        GoldSpan.objects.filter(document__project=project).count(),
    )


def complete(file: ImportFile) -> tuple[int, int, int, int]:
    gold = DOCUMENTS if file.gold else 0
    return (DOCUMENTS, DOCUMENTS, gold, gold)


def assert_none_or_all(project, file: ImportFile) -> tuple[int, int, int, int]:
    held = holdings(project)
    assert held in {(0, 0, 0, 0), complete(file)}, f"half an import is left: {held}"
    assert not Assignment.objects.filter(document__project=project).exists()
    return held


def assert_the_import_completes_again(project, file: ImportFile, held) -> None:
    summary = run_import(project, file.path)
    if held == (0, 0, 0, 0):
        assert summary.startswith(f"{DOCUMENTS} imported, 0 duplicates skipped, 0 rejected")
    else:
        assert summary.startswith(f"0 imported, {DOCUMENTS} duplicates skipped, 0 rejected")
    assert holdings(project) == complete(file)


@pytest.fixture
def project():
    return project_create(slug="faults", name="Faults")


@pytest.fixture(params=[False, True], ids=["texts", "with-gold"])
def file(request, tmp_path):
    return write_file(tmp_path / "reports.jsonl", gold=request.param)


# Where the import is stopped and killed, as the progress bar shows it. At 0% its transaction
# has begun and nothing is written; the bar moves a batch at a time (it reads a batch's lines,
# then inserts them), so at 40% two batches are in, at 80% four, uncommitted.
@pytest.mark.parametrize("percent", [0, 40, 80], ids=["begun", "inserting", "near-the-end"])
def test_killed_inside_its_transaction_the_import_leaves_nothing(project, file, percent):
    running = Import(project, file.path)
    try:
        shown = running.run_until(percent)
        # Stopped: nothing is committed yet, so this is a kill inside the transaction.
        assert holdings(project) == (0, 0, 0, 0), f"stopped at {shown}%, already committed"
        if connection.vendor == "postgresql" and percent > 0:
            assert import_backend()["wrote"], f"at {shown}% the import had written nothing yet"
    finally:
        running.kill()
    wait_until_the_import_is_gone()

    held = assert_none_or_all(project, file)
    assert held == (0, 0, 0, 0)
    assert_the_import_completes_again(project, file, held)


def test_killed_at_its_last_insert_the_import_leaves_nothing(project, file):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite takes its one write lock when the import begins: nothing can hold the "
            "import back at its last insert there (the other kill points run on SQLite). "
            "Permanent, not a gap: this runs in the PostgreSQL half of every `make test`."
        )
    last = file.last_text
    # Another transaction holds the last text's place: the import inserts everything else,
    # then waits at that one row, with its commit still to come.
    holding, release = threading.Event(), threading.Event()

    def hold_the_last_text():
        try:
            with transaction.atomic():
                Document.objects.create(project=project, text=last, sha256=text_sha256(last))
                holding.set()
                release.wait(GIVE_UP_SECONDS)
                transaction.set_rollback(True)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_last_text)
    holder.start()
    running = None
    try:
        assert holding.wait(GIVE_UP_SECONDS)
        running = Import(project, file.path)
        backend = wait_until(
            lambda: (found := import_backend()) and found["waits"] == "Lock" and found,
            "the import waited at its last insert",
        )
        assert backend["wrote"]
        running.kill()
    finally:
        release.set()
        holder.join()
        if running is not None and running.process.poll() is None:
            running.kill()
    wait_until_the_import_is_gone()

    held = assert_none_or_all(project, file)
    assert held == (0, 0, 0, 0)
    assert_the_import_completes_again(project, file, held)


def test_killed_once_committed_the_import_is_whole_and_not_repeated(project, file):
    running = Import(project, file.path)
    try:
        wait_until(lambda: holdings(project)[0] == DOCUMENTS, "the import committed")
    finally:
        running.kill()  # if it has not exited yet: it has the summary still to write
    wait_until_the_import_is_gone()

    held = assert_none_or_all(project, file)
    assert held == complete(file)
    assert_the_import_completes_again(project, file, held)
