"""Spans made while the server is unreachable stay visible as pending, are kept in the browser
(localStorage) and are saved on retry once the server is back."""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from ..conftest import PASSWORD
from .conftest import (
    REPORT,
    TEXT,
    assignment_of,
    code_points,
    drag_select,
    expect_saved,
    log_in,
    mark_for,
    open_next_document,
    spans_of,
)

pytestmark = pytest.mark.e2e

AN_ID = re.compile(r"^\d+$")
PENDING = re.compile(r"\bpending\b")
FAILED = re.compile(r"\bfailed\b")


def kept_in_browser(page: Page, assignment) -> list[dict]:
    raw = page.evaluate("key => localStorage.getItem(key)", f"annotator:pending:{assignment.id}")
    return json.loads(raw) if raw else []


def tag_while_down(page: Page, text: str, words: str, key: str):
    start, end = code_points(text, words)
    drag_select(page, start, end)
    page.keyboard.press(key)
    mark = mark_for(page, start, end)
    expect(mark).to_have_class(PENDING)
    expect(mark).to_have_class(FAILED)
    expect(mark).not_to_have_attribute("data-span-id", AN_ID)
    return mark


@pytest.fixture
def opened(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    return document


def test_a_span_made_while_the_server_is_down_is_saved_by_retry(page, server, annotator, opened):
    document = opened
    assignment = assignment_of(annotator, document)
    server.stop()

    mark = tag_while_down(page, document.text, "Idlib", "l")
    expect(mark).to_have_text("Idlib")
    status = page.get_by_test_id("save-status")
    expect(status).to_contain_text("Not saved yet")
    panel = page.locator("#pending")
    expect(panel).to_be_visible()
    item = panel.locator("#pending-list li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("LOCATION “Idlib”")
    expect(item).to_contain_text("the server did not answer")
    start, end = code_points(document.text, "Idlib")
    assert [(i["start"], i["end"], i["label"]) for i in kept_in_browser(page, assignment)] == [
        (start, end, "LOCATION")
    ]
    assert spans_of(annotator, document) == []

    server.start()
    item.get_by_role("button", name="Retry").click()
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect(mark).not_to_have_class(PENDING)
    expect(mark).not_to_have_class(FAILED)
    expect(panel).to_be_hidden()
    expect_saved(page)
    (span,) = spans_of(annotator, document)
    assert document.text[span.start : span.end] == "Idlib"
    assert span.label.key == "LOCATION"
    assert mark.get_attribute("data-span-id") == str(span.id)
    assert kept_in_browser(page, assignment) == []


def test_retry_all_saves_every_span_made_while_the_server_was_down(page, server, annotator, opened):
    document = opened
    server.stop()
    tag_while_down(page, document.text, "At least 16 civilians", "c")
    tag_while_down(page, document.text, "Syrian Observatory", "a")
    expect(page.locator("#pending-list li")).to_have_count(2)

    server.start()
    page.locator("[data-retry-all]").click()
    expect(page.locator(f"{TEXT} mark.span[data-span-id]")).to_have_count(2)
    expect(page.locator(f"{TEXT} mark.span.pending")).to_have_count(0)
    expect(page.locator("#pending")).to_be_hidden()
    expect_saved(page)
    assert [
        (document.text[s.start : s.end], s.label.key) for s in spans_of(annotator, document)
    ] == [("At least 16 civilians", "CASUALTY_FIGURE"), ("Syrian Observatory", "ACTOR")]


def test_pending_spans_survive_a_reload_and_are_sent_when_the_page_opens(
    page, server, annotator, opened
):
    document = opened
    assignment = assignment_of(annotator, document)
    server.stop()
    tag_while_down(page, document.text, "Idlib", "l")
    assert len(kept_in_browser(page, assignment)) == 1

    server.start()
    page.reload()  # the server never had the span: only this browser remembers it
    start, end = code_points(document.text, "Idlib")
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect(mark).not_to_have_class(PENDING)
    expect_saved(page)
    (span,) = spans_of(annotator, document)
    assert (span.start, span.end, span.label.key) == (start, end, "LOCATION")
    assert kept_in_browser(page, assignment) == []
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(1)


def test_work_done_after_the_session_expired_is_saved_after_logging_in_again(
    page, server, annotator, opened
):
    Session.objects.all().delete()  # the session expires while the page is open
    start, end = code_points(REPORT, "Idlib")
    drag_select(page, start, end)
    page.keyboard.press("l")
    mark = mark_for(page, start, end)
    expect(mark).to_have_class(FAILED)
    expect(page.locator("#pending")).to_contain_text("session expired")
    assert spans_of(annotator, opened) == []

    page.locator("#pending a", has_text="Log in again").click()
    page.locator("#id_username").fill("annotator1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()

    # Back on the document: the kept span is sent by itself and drawn as saved.
    expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    [span] = spans_of(annotator, opened)
    assert (span.start, span.end, span.label.key) == (start, end, "LOCATION")
    assert kept_in_browser(page, assignment_of(annotator, opened)) == []


def test_a_span_refused_while_the_database_restarts_is_sent_again_by_itself(
    page, server, annotator, opened
):
    # The server's answer while its database is out of reach (annotator/views/errors.py).
    document = opened
    refused = []

    def database_restarting(route):
        if route.request.method == "POST" and not refused:
            refused.append(route.request.url)
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "text/html"},
                body="<p>The service is briefly unavailable: please try again in a moment.</p>",
            )
        else:
            route.continue_()

    page.route("**/spans/", database_restarting)
    start, end = code_points(document.text, "Idlib")
    drag_select(page, start, end)
    page.keyboard.press("l")

    expect(page.get_by_test_id("save-status")).to_contain_text("briefly unavailable")
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)  # no Retry clicked
    expect(mark).not_to_have_class(FAILED)
    expect_saved(page)
    assert len(refused) == 1
    (span,) = spans_of(annotator, document)
    assert document.text[span.start : span.end] == "Idlib"
