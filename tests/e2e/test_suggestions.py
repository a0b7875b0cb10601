"""Suggestions on the annotate page: dashed outlines an annotator accepts by key or all at
once, never spans until accepted, and none when the project turned them off."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotator.services import gazetteer_entry_save, project_set_suggestions

from .conftest import REPORT, TEXT, code_points, log_in, mark_for, open_next_document, spans_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def idlib(project):
    return gazetteer_entry_save(
        project=project, label=project.labels.get(key="LOCATION"), name="Idlib"
    )


def suggestion_at(page: Page, start: int, end: int):
    return page.locator(f"{TEXT} mark.suggestion").filter(has_text=REPORT[start:end])


def test_a_suggestion_is_outlined_and_accepted_by_key(
    page: Page, server, project, annotator, import_texts, idlib
):
    document = import_texts(REPORT)[0]
    log_in(page, server, "annotator1")
    open_next_document(page)
    figure = code_points(REPORT, "At least 16 civilians")
    outline = suggestion_at(page, *figure)
    expect(outline).to_have_count(1)
    assert outline.evaluate("m => getComputedStyle(m).outlineStyle") == "dashed"
    expect(page.locator(f"{TEXT} mark.suggestion")).to_have_count(2)
    assert spans_of(annotator, document) == []  # shown, not saved

    page.locator(TEXT).focus()
    page.keyboard.press("s")
    expect(outline).to_have_class("suggestion current")
    page.keyboard.press("Enter")

    expect(mark_for(page, *figure)).to_have_attribute("data-span-id", re.compile(r"^\d+$"))
    expect(outline).to_have_count(0)
    expect(page.locator("#span-list li[data-span-id]")).to_have_count(1)
    [span] = spans_of(annotator, document)
    assert (span.start, span.end, span.label.key) == (*figure, "CASUALTY_FIGURE")
    assert span.from_suggestion
    assert span.attributes["value"] == 16 and span.attributes["outcome"] == "killed"


def test_accept_all_saves_every_suggestion(
    page: Page, server, project, annotator, import_texts, idlib
):
    document = import_texts(REPORT)[0]
    log_in(page, server, "annotator1")
    open_next_document(page)
    page.get_by_role("button", name="Accept all").click()
    expect(page.locator(f"{TEXT} mark.span[data-span-id]")).to_have_count(2)
    expect(page.locator(f"{TEXT} mark.suggestion")).to_have_count(0)
    spans = spans_of(annotator, document)
    assert sorted(span.label.key for span in spans) == ["CASUALTY_FIGURE", "LOCATION"]
    assert all(span.from_suggestion for span in spans)


def test_a_hidden_suggestion_is_never_saved(
    page: Page, server, project, annotator, import_texts, idlib
):
    document = import_texts(REPORT)[0]
    log_in(page, server, "annotator1")
    open_next_document(page)
    page.locator(TEXT).focus()
    page.keyboard.press("s")
    page.keyboard.press("x")
    expect(page.locator(f"{TEXT} mark.suggestion")).to_have_count(1)
    page.reload()
    expect(page.locator(f"{TEXT} mark.suggestion")).to_have_count(2)  # hidden for one view only
    assert spans_of(annotator, document) == []


def test_none_are_shown_when_the_project_turned_them_off(
    page: Page, server, project, annotator, import_texts, idlib
):
    project_set_suggestions(project=project, enabled=False)
    import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    expect(page.locator(TEXT)).to_contain_text("At least 16 civilians")
    expect(page.locator(f"{TEXT} mark.suggestion")).to_have_count(0)
    expect(page.get_by_test_id("suggestions")).to_have_count(0)
