"""Browser tests: a real HTTP server, Debian's Chromium, Playwright's sync API.

The server is Django's LiveServerThread on 127.0.0.1, wrapped so that a test can stop it and
start it again on the same port (pytest-django's `live_server` cannot). Every test gets an
empty database through `transactional_db`: the server thread and the test share committed
data (on in-memory SQLite they share the one connection, as in LiveServerTestCase).
"""

import contextlib
import io
import json
import os
import socket
import threading

# Playwright's sync API runs an asyncio loop in the main thread, which Django's ORM takes for
# an async context. The ORM calls in these tests are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import Browser, Page, expect

from annotator.models import Assignment, Document, Membership, Span
from annotator.services import document_import, membership_set, project_create

from ..conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
TEXT = "[data-testid=document-text]"
# The short report most browser tests annotate.
REPORT = (
    "At least 16 civilians were killed in Idlib on Tuesday, "
    "the Syrian Observatory for Human Rights said.\n"
)

expect.set_options(timeout=10_000)


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: browser tests (Playwright, Chromium, live server)")
    # pytest-playwright's own base_url fixture (used when pytest-base-url is not installed).
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


def pytest_collection_modifyitems(config, items):
    # Run the browser tests last: Playwright's session-wide event loop stays in the main thread
    # until the session ends, and the other tests should not run inside it.
    items[:] = [item for item in items if "e2e" not in item.keywords] + [
        item for item in items if "e2e" in item.keywords
    ]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# ---- No page may break the Content-Security-Policy ----------------------------------------------

# Chromium logs "Refused to ..." for each violation; the event catches any it might not.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Refused by the Content-Security-Policy: ${event.violatedDirective} ${event.blockedURI}`));
"""


@pytest.fixture(autouse=True)
def csp_violations(monkeypatch):
    """Fails the test when any page of any browser context it opens reports a CSP violation:
    a page that only works with the policy off, or markup that got in and tried to run."""
    violations = []

    def on_console(message):
        if message.text.startswith(("Refused to", "Refused by")):
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    new_context = Browser.new_context

    def new_context_watched(browser, *args, **kwargs):
        context = new_context(browser, *args, **kwargs)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("console", on_console)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context_watched)
    yield violations
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


# ---- A live server that can be stopped and started again --------------------------------------


class _StoppableWSGIServer(ThreadedWSGIServer):
    """Remembers its open connections so that stopping also drops kept-alive ones: otherwise
    the browser would keep talking to a "stopped" server over an old connection."""

    def __init__(self, *args, **kwargs):
        self._open = set()
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self):
        with self._open_lock:
            open_now = list(self._open)
        for request in open_now:
            with contextlib.suppress(OSError):  # already closed by the client
                request.shutdown(socket.SHUT_RDWR)


class _ServerThread(LiveServerThread):
    def _create_server(self, connections_override=None):
        return _StoppableWSGIServer(
            (self.host, self.port),
            QuietWSGIRequestHandler,
            allow_reuse_address=True,  # so that start() after stop() gets the same port
            connections_override=connections_override,
        )


class _OneAtATime:
    """WSGI middleware: one request at a time, holding `lock` until the body is complete.

    Only used when the server threads share the test's in-memory SQLite connection: one
    sqlite3 connection used by several threads at once corrupts the database ("file is not a
    database", "disk I/O error"), and the browser does send requests in parallel."""

    def __init__(self, app, lock):
        self.app = app
        self.lock = lock

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        return [body]


class RestartableLiveServer:
    def __init__(self, host: str = HOST):
        self.host = host
        self.port = 0
        self.thread = None
        # In-memory SQLite exists only in this connection: the server threads must use it.
        self._shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in self._shared.values():
            conn.inc_thread_sharing()
        # With a shared connection, requests and the test's own queries take turns.
        self._lock = threading.RLock()
        self._wrappers = contextlib.ExitStack()
        for conn in self._shared.values():
            self._wrappers.enter_context(conn.execute_wrapper(self._take_turns))

    def _take_turns(self, execute, sql, params, many, context):
        with self._lock:
            return execute(sql, params, many, context)

    def _handler(self, app):
        handler = StaticFilesHandler(app)
        return _OneAtATime(handler, self._lock) if self._shared else handler

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        assert self.thread is None, "the server is already running"
        thread = _ServerThread(
            self.host, self._handler, connections_override=self._shared, port=self.port
        )
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        self.port = thread.port
        self.thread = thread

    def stop(self) -> None:
        assert self.thread is not None, "the server is not running"
        httpd = self.thread.httpd
        httpd.shutdown()  # no new connections are accepted...
        httpd.server_close()
        httpd.drop_connections()  # ...and the open ones are cut
        self.thread.join()
        self.thread = None

    def close(self) -> None:
        if self.thread is not None:
            self.stop()
        self._wrappers.close()
        for conn in self._shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def server(transactional_db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    live = RestartableLiveServer()
    live.start()
    yield live
    live.close()


# ---- Data ----------------------------------------------------------------------------------


@pytest.fixture
def project(transactional_db):
    return project_create(slug="e2e", name="E2E project", guidelines="Mark **every** figure.")


@pytest.fixture
def make_annotator(project):
    def make(username: str):
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        membership_set(project=project, username=username, role=Membership.Role.ANNOTATOR)
        return user

    return make


@pytest.fixture
def annotator(make_annotator):
    return make_annotator("annotator1")


@pytest.fixture
def import_texts(project):
    """Import texts (in this order) as documents of the project; returns the Documents."""

    def make(*texts: str) -> list[Document]:
        lines = [
            json.dumps({"title": f"E2E document {i + 1}", "text": text})
            for i, text in enumerate(texts)
        ]
        payload = ("\n".join(lines) + "\n").encode()
        report = document_import(project=project, files=[("e2e.jsonl", io.BytesIO(payload))])
        assert report.committed and report.imported == len(texts), report.errors
        return list(Document.objects.filter(project=project).order_by("id"))

    return make


# ---- Browser helpers -----------------------------------------------------------------------


def log_in(page: Page, server: RestartableLiveServer, username: str) -> None:
    page.goto(server.url + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    expect(page.get_by_test_id("next-document")).to_be_visible()


def open_next_document(page: Page) -> None:
    page.get_by_test_id("next-document").click()
    expect(page.get_by_test_id("document-text")).to_be_visible()
    page.wait_for_function("() => window.Offsets !== undefined")


def assignment_of(user, document) -> Assignment:
    return Assignment.objects.get(annotator=user, document=document)


def spans_of(user, document) -> list[Span]:
    return list(
        Span.objects.filter(assignment__annotator=user, assignment__document=document)
        .select_related("label")
        .order_by("start")
    )


def code_points(text: str, words: str, occurrence: int = 1) -> tuple[int, int]:
    """[start, end) in code points of the n-th occurrence of `words` in `text`."""
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return start, start + len(words)


def range_box(page: Page, start: int, end: int) -> dict:
    """Viewport points just inside the first and last character of code points [start, end)."""
    return page.evaluate(
        """([start, end]) => {
            const root = document.getElementById("document-text");
            const rects = [...Offsets.toRange(root, start, end).getClientRects()]
                .filter((rect) => rect.width > 0 && rect.height > 0);
            const first = rects[0], last = rects[rects.length - 1];
            return {
                x1: first.left, y1: first.top + first.height / 2,
                x2: last.right, y2: last.top + last.height / 2,
            };
        }""",
        [start, end],
    )


def drag_select(page: Page, start: int, end: int, *, inset: float = 1.0, alt: bool = False) -> None:
    """Select code points [start, end) by dragging the real mouse over them.

    The mouse goes down `inset` pixels inside the first character and up `inset` pixels
    inside the last one; the caret lands on the nearest character boundary, so the selection
    is exactly [start, end) even when a character is several UTF-16 units wide. With `alt`,
    Alt is held during the drag (exact characters, no snapping to words)."""
    box = range_box(page, start, end)
    page.mouse.move(box["x1"] + inset, box["y1"])
    if alt:
        page.keyboard.down("Alt")
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=3)
    page.mouse.move(box["x2"] - inset, box["y2"], steps=3)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def select_code_points(page: Page, start: int, end: int) -> None:
    """Select code points [start, end) through the page's own conversion (no mouse)."""
    page.evaluate(
        """([start, end]) => {
            const root = document.getElementById("document-text");
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(Offsets.toRange(root, start, end));
        }""",
        [start, end],
    )


def mark_for(page: Page, start: int, end: int):
    return page.locator(f'{TEXT} mark.span[data-start="{start}"][data-end="{end}"]')


def expect_saved(page: Page) -> None:
    expect(page.get_by_test_id("save-status")).to_have_text("Saved.")
