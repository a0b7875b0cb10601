"""Stacked spans in projects that allow overlaps, and one annotator working in two tabs."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    REPORT,
    TEXT,
    code_points,
    log_in,
    mark_for,
    open_next_document,
    select_code_points,
    spans_of,
)
from .test_annotate import AN_ID, tag

pytestmark = pytest.mark.e2e
SELECTED = re.compile(r"\bselected\b")


def test_overlapping_spans_are_refused_with_a_message_by_default(
    page, server, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    tag(page, document.text, "At least 16 civilians", "c")
    start, end = code_points(document.text, "16")
    select_code_points(page, start, end)
    page.keyboard.press("a")
    expect(page.get_by_test_id("save-status")).to_contain_text("overlaps")
    assert [span.label.key for span in spans_of(annotator, document)] == ["CASUALTY_FIGURE"]


def test_allowed_overlaps_are_drawn_stacked_and_each_is_clickable(
    page, server, annotator, import_texts, project
):
    project.allow_overlapping_spans = True
    project.save()
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    outer = tag(page, document.text, "At least 16 civilians", "c")
    inner = tag(page, document.text, "16", "a")
    outer_id, inner_id = outer.get_attribute("data-span-id"), inner.get_attribute("data-span-id")

    nested = f'{TEXT} mark[data-span-id="{outer_id}"] > mark[data-span-id="{inner_id}"]'
    expect(page.locator(nested)).to_have_count(1)  # the inner span is drawn inside the outer

    inner.click()
    expect(inner).to_have_class(SELECTED)
    expect(page.locator("#span-detail h2")).to_contain_text("Actor")
    inner.click()  # clicking again selects the span around it
    expect(page.locator(f'{TEXT} mark[data-span-id="{outer_id}"]').first).to_have_class(SELECTED)
    expect(page.locator("#span-detail h2")).to_contain_text("Casualty figure")

    page.reload()
    # The server draws the outer span in three pieces, the middle one holding the inner span.
    expect(page.locator(f'{TEXT} mark[data-span-id="{outer_id}"]')).to_have_count(3)
    expect(page.locator(nested)).to_have_count(1)
    assert page.locator(TEXT).evaluate("el => el.textContent") == document.text
    assert len(spans_of(annotator, document)) == 2


def test_two_tabs_never_lose_an_acknowledged_span(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    second = page.context.new_page()  # same browser, same session: a second tab
    second.goto(page.url)
    expect(second.get_by_test_id("document-text")).to_be_visible()

    tag(page, document.text, "Idlib", "l")
    # The second tab does not know about that span: its own work is saved beside it...
    tag(second, document.text, "Syrian Observatory for Human Rights", "a")
    # ...and a span over the first tab's one is refused, not silently replacing it.
    start, end = code_points(document.text, "Idlib on Tuesday")
    select_code_points(second, start, end)
    second.keyboard.press("c")
    expect(second.get_by_test_id("save-status")).to_contain_text("overlaps the Location span")

    keys = sorted(span.label.key for span in spans_of(annotator, document))
    assert keys == ["ACTOR", "LOCATION"]
    page.reload()
    for words in ("Idlib", "Syrian Observatory for Human Rights"):
        expect(mark_for(page, *code_points(document.text, words))).to_have_attribute(
            "data-span-id", AN_ID
        )


def test_clicking_a_span_inside_a_text_selection_selects_the_span(
    page, server, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    mark = tag(page, document.text, "Idlib", "l")
    # A selection over the span (say, left by a refused overlap) must not swallow the click.
    select_code_points(page, *code_points(document.text, "killed in Idlib on Tuesday"))
    mark.click()
    expect(mark).to_have_class(SELECTED)
    expect(page.locator("#span-detail h2")).to_contain_text("Location: “Idlib”")
