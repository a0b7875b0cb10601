"""Annotator welfare in the browser: the content note, blurring the text, the break reminder.

The reminder's clock is Playwright's (page.clock): minutes pass without waiting for them."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Membership, Project

from .conftest import REPORT, TEXT, log_in, open_next_document

pytestmark = pytest.mark.e2e

SECOND = "Two children were injured by shelling near Aleppo.\n"
BLURRED = re.compile(r"\bblurred\b")


def reminder(page: Page):
    return page.get_by_test_id("break-reminder").locator("[data-break-notice]")


def submit(page: Page) -> None:
    """Submit this document and wait for the next one (the second report)."""
    page.get_by_role("button", name=re.compile("^Submit")).click()
    expect(page.get_by_test_id("document-text")).to_contain_text("Two children")


def test_the_content_note_comes_before_the_first_document_only(
    page: Page, server, project, annotator, import_texts
):
    Project.objects.filter(pk=project.pk).update(content_note="Reports of **killed children**.")
    import_texts(REPORT, SECOND)
    log_in(page, server, "annotator1")
    page.get_by_test_id("next-document").click()
    expect(page.get_by_test_id("content-note")).to_contain_text("Reports of killed children.")
    page.get_by_role("button", name="I understand, continue").click()
    expect(page.get_by_test_id("document-text")).to_contain_text("At least 16 civilians")
    assert Membership.objects.get(user=annotator).content_note_seen_at is not None

    page.goto(server.url + "/")
    open_next_document(page)  # the same document, without the note
    expect(page.get_by_test_id("document-text")).to_contain_text("At least 16 civilians")


def test_blurring_the_text_and_keeping_it_blurred_on_every_document(
    page: Page, server, annotator, import_texts
):
    import_texts(REPORT, SECOND)
    log_in(page, server, "annotator1")
    open_next_document(page)
    text = page.locator(TEXT)
    show = page.get_by_role("button", name="Show text")
    expect(text).not_to_have_class(BLURRED)
    expect(show).to_be_hidden()

    page.get_by_role("button", name=re.compile("^Blur text")).click()
    expect(text).to_have_class(BLURRED)
    expect(show).to_be_focused()  # a screen reader meets it, with the note it describes
    expect(show).to_have_accessible_description(re.compile("The text is blurred"))
    assert page.evaluate(f"getComputedStyle(document.querySelector('{TEXT}')).filter").startswith(
        "blur"
    )

    # "Show text" reveals this document only: the next one is blurred again.
    show.click()
    expect(text).not_to_have_class(BLURRED)
    submit(page)
    expect(page.locator(TEXT)).to_have_class(BLURRED)
    expect(page.get_by_role("button", name="Show text")).to_be_focused()

    # Alt+B turns it off, and that choice is kept too.
    page.locator("body").press("Alt+b")
    expect(page.locator(TEXT)).not_to_have_class(BLURRED)
    page.reload()
    expect(page.locator(TEXT)).not_to_have_class(BLURRED)
    page.keyboard.press("Alt+b")
    expect(page.locator(TEXT)).to_have_class(BLURRED)


def test_the_break_reminder_after_the_projects_minutes(
    page: Page, server, project, annotator, import_texts
):
    Project.objects.filter(pk=project.pk).update(break_reminder_minutes=2)
    import_texts(REPORT, SECOND)
    page.clock.install()
    log_in(page, server, "annotator1")
    open_next_document(page)

    page.clock.run_for("01:30")
    expect(reminder(page)).to_be_hidden()
    # Across documents: the time on the first one counts.
    submit(page)
    page.clock.run_for("00:45")
    expect(reminder(page)).to_be_visible()
    expect(reminder(page)).to_contain_text(
        re.compile(r"You have been annotating for 2 minutes\. Consider taking a break\.")
    )
    # It does not block the page.
    expect(page.get_by_role("button", name=re.compile("^Submit"))).to_be_enabled()

    page.get_by_role("button", name="Remind me later").click()
    expect(reminder(page)).to_be_hidden()
    page.clock.run_for("01:00")
    expect(reminder(page)).to_be_hidden()
    page.clock.run_for("01:15")
    expect(reminder(page)).to_be_visible()


def test_a_break_starts_the_count_again(page: Page, server, project, annotator, import_texts):
    Project.objects.filter(pk=project.pk).update(break_reminder_minutes=5)
    import_texts(REPORT)
    page.clock.install()
    log_in(page, server, "annotator1")
    open_next_document(page)
    page.clock.run_for("04:00")
    page.clock.run_for("11:00")  # nobody at the keyboard: a break
    page.mouse.click(5, 5)
    page.clock.run_for("04:00")
    expect(reminder(page)).to_be_hidden()


def test_no_reminder_when_the_project_turns_it_off(
    page: Page, server, project, annotator, import_texts
):
    Project.objects.filter(pk=project.pk).update(break_reminder_minutes=0)
    import_texts(REPORT)
    page.clock.install()
    log_in(page, server, "annotator1")
    open_next_document(page)
    page.clock.run_for(90 * 60 * 1000)
    expect(reminder(page)).to_be_hidden()
