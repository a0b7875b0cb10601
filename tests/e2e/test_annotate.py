"""The annotate page as an annotator uses it: mouse, keyboard, relabel, delete, undo, submit."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Assignment, Span

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
    select_code_points,
    spans_of,
)

pytestmark = pytest.mark.e2e

SECOND = "Two children were injured by shelling near Aleppo.\n"
AN_ID = re.compile(r"^\d+$")


def span_creations(page: Page) -> list:
    """The span-create requests the page sends from now on."""
    creates = []

    def record(request):
        if request.method == "POST" and request.url.endswith("/spans/"):
            creates.append(request)

    page.on("request", record)
    return creates


def select_span(page: Page, mark, words: str) -> None:
    """Click a span and wait for its attributes in the side panel, as a user would."""
    mark.click()
    expect(page.locator("#span-detail h2")).to_contain_text(words)


def tag(page: Page, text: str, words: str, key: str):
    """Select `words` (through the page's own offset conversion) and press a label key;
    returns the saved mark."""
    start, end = code_points(text, words)
    select_code_points(page, start, end)
    page.keyboard.press(key)
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    return mark


def test_mouse_selection_is_snapped_to_words_saved_and_kept_after_reload(
    page, server, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)

    # Drag from inside "Syrian" to inside "Observatory": the span snaps to the whole words.
    start, end = code_points(document.text, "Syrian Observatory")
    drag_select(page, start + 2, end - 3)
    assert page.evaluate("window.getSelection().toString()") == "rian Observat"
    page.keyboard.press("l")

    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect(mark).to_have_attribute("data-label", "LOCATION")
    expect(mark).to_have_text("Syrian Observatory")
    expect(mark).not_to_have_class(re.compile(r"\bpending\b"))
    expect_saved(page)

    (span,) = spans_of(annotator, document)
    assert document.text[span.start : span.end] == "Syrian Observatory"
    assert (span.start, span.end, span.label.key) == (start, end, "LOCATION")
    assert mark.get_attribute("data-span-id") == str(span.id)
    # The side list is refreshed from the server too.
    expect(page.locator(f"#span-list li[data-span-id='{span.id}']")).to_contain_text(
        "Syrian Observatory"
    )

    page.reload()
    mark = page.locator(f"{TEXT} mark.span[data-span-id='{span.id}']")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("Syrian Observatory")
    expect(mark).to_have_attribute("data-label", "LOCATION")
    expect(mark).to_have_attribute("data-start", str(start))
    expect(mark).to_have_attribute("data-end", str(end))


def test_a_label_key_relabels_the_clicked_span_and_delete_removes_it(
    page, server, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    mark = tag(page, document.text, "Idlib", "l")
    span_id = int(mark.get_attribute("data-span-id"))

    select_span(page, mark, "Idlib")
    expect(mark).to_have_class(re.compile(r"\bselected\b"))
    expect(page.get_by_test_id("save-status")).to_contain_text("Selected a LOCATION span")
    page.keyboard.press("a")
    expect(mark).to_have_attribute("data-label", "ACTOR")
    expect_saved(page)
    span = Span.objects.select_related("label").get(pk=span_id)
    assert span.label.key == "ACTOR"
    assert document.text[span.start : span.end] == "Idlib"
    assert len(spans_of(annotator, document)) == 1  # relabelled, not a second span

    select_span(page, mark, "Idlib")
    page.keyboard.press("Delete")
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)
    expect_saved(page)
    assert spans_of(annotator, document) == []
    # The text is whole again: no empty marks, no split text left behind.
    assert page.locator(TEXT).evaluate("el => el.textContent") == document.text


def test_undo_brings_a_deleted_span_back_with_the_same_offsets(
    page, server, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    start, end = code_points(document.text, "Idlib")
    mark = tag(page, document.text, "Idlib", "a")

    select_span(page, mark, "Idlib")
    page.keyboard.press("Delete")
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)
    assert spans_of(annotator, document) == []

    page.keyboard.press("Control+z")
    restored = mark_for(page, start, end)
    expect(restored).to_have_attribute("data-span-id", AN_ID)
    expect(restored).to_have_attribute("data-label", "ACTOR")
    (span,) = spans_of(annotator, document)
    assert (span.start, span.end, span.label.key) == (start, end, "ACTOR")
    assert restored.get_attribute("data-span-id") == str(span.id)


def test_undo_after_create_removes_the_span(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    tag(page, document.text, "Idlib", "l")
    assert len(spans_of(annotator, document)) == 1

    page.keyboard.press("Control+z")
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)
    expect_saved(page)
    assert spans_of(annotator, document) == []


def test_undo_walks_back_through_delete_relabel_and_create(page, server, annotator, import_texts):
    """Ctrl+Z three times after create → relabel → delete leaves the document as it was."""
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    start, end = code_points(document.text, "Idlib")
    mark = tag(page, document.text, "Idlib", "l")  # 1. create LOCATION
    select_span(page, mark, "Idlib")
    page.keyboard.press("a")  # 2. relabel to ACTOR
    expect(mark).to_have_attribute("data-label", "ACTOR")
    expect_saved(page)
    select_span(page, mark, "Idlib")
    page.keyboard.press("Delete")  # 3. delete
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)

    page.keyboard.press("Control+z")  # undo 3: the ACTOR span is back
    restored = mark_for(page, start, end)
    expect(restored).to_have_attribute("data-span-id", AN_ID)
    expect(restored).to_have_attribute("data-label", "ACTOR")

    page.keyboard.press("Control+z")  # undo 2: it is a LOCATION again
    expect(restored).to_have_attribute("data-label", "LOCATION", timeout=3000)
    expect_saved(page)
    (span,) = spans_of(annotator, document)
    assert span.label.key == "LOCATION"

    page.keyboard.press("Control+z")  # undo 1: it was never made
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)
    assert spans_of(annotator, document) == []


def test_a_label_key_after_clicking_a_span_relabels_it_even_after_an_earlier_selection(
    page, server, annotator, import_texts
):
    """Select words, change your mind, click an existing span, press a key: the clicked span
    is relabelled; no span appears where the abandoned selection was."""
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    mark = tag(page, document.text, "Idlib", "l")
    span_id = mark.get_attribute("data-span-id")

    start, end = code_points(document.text, "Tuesday")
    drag_select(page, start, end)  # a selection the annotator then abandons...
    page.locator(TEXT).click(position={"x": 2, "y": 2})  # ...by clicking elsewhere
    assert page.evaluate("window.getSelection().isCollapsed")
    select_span(page, mark, "Idlib")  # then picks the existing span
    expect(page.get_by_test_id("save-status")).to_contain_text("Selected a LOCATION span")
    page.keyboard.press("a")

    expect_saved(page)
    spans = spans_of(annotator, document)
    assert [(document.text[s.start : s.end], s.label.key) for s in spans] == [("Idlib", "ACTOR")]
    expect(page.locator(f"{TEXT} mark.span[data-span-id='{span_id}']")).to_have_attribute(
        "data-label", "ACTOR"
    )
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(1)


def test_submit_refuses_missing_required_attributes_then_moves_on(
    page, server, annotator, import_texts
):
    first, second = import_texts(REPORT, SECOND)
    log_in(page, server, "annotator1")
    open_next_document(page)
    mark = tag(page, first.text, "At least 16 civilians", "c")
    expect(mark).to_have_class(re.compile(r"\bincomplete\b"))  # outcome is required

    page.keyboard.press("Control+Enter")
    refusal = page.locator(".messages .message.error")
    expect(refusal).to_contain_text("required attributes")
    expect(refusal).to_contain_text("“At least 16 civilians”")
    assignment = assignment_of(annotator, first)
    assert assignment.status == Assignment.Status.ASSIGNED
    assert page.url.rstrip("/").endswith(f"/assignments/{assignment.id}")

    # Fill in the outcome in the side panel.
    mark = page.locator(f"{TEXT} mark.span[data-span-id]")
    mark.click()
    outcome = page.locator("#span-detail form select[name=outcome]")
    expect(outcome).to_be_visible()
    outcome.select_option("killed")
    page.locator("#span-detail").get_by_role("button", name="Save attributes").click()
    expect(page.locator("#span-detail")).to_contain_text("Attributes saved.")
    expect(mark).not_to_have_class(re.compile(r"\bincomplete\b"))
    (span,) = spans_of(annotator, first)
    assert span.attributes["outcome"] == "killed"
    assert span.attributes["value"] == 16

    page.keyboard.press("Control+Enter")
    expect(page.locator(".messages")).to_contain_text("Submitted. Here is your next document.")
    expect(page.get_by_test_id("document-text")).to_have_text(SECOND)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.submitted_at is not None
    following = assignment_of(annotator, second)
    assert page.url.rstrip("/").endswith(f"/assignments/{following.id}")

    # The last document: submitting it (no spans needed) goes home.
    page.keyboard.press("Control+Enter")
    expect(page.locator(".messages")).to_contain_text("That was the last document")
    assert page.url == server.url + "/"
    following.refresh_from_db()
    assert following.status == Assignment.Status.SUBMITTED


def test_keyboard_only_tab_arrows_and_shortcut(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)

    text = page.get_by_test_id("document-text")
    for _ in range(20):  # Tab through the page until the document text has the focus
        page.keyboard.press("Tab")
        if text.evaluate("el => el === document.activeElement"):
            break
    expect(text).to_be_focused()

    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "At least"
    page.keyboard.press("c")

    start, end = code_points(document.text, "At least")
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect(mark).to_have_attribute("data-label", "CASUALTY_FIGURE")
    expect_saved(page)
    (span,) = spans_of(annotator, document)
    assert document.text[span.start : span.end] == "At least"
    assert span.label.key == "CASUALTY_FIGURE"


def test_pressing_the_key_twice_makes_one_span(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    creates = span_creations(page)

    start, end = code_points(document.text, "Idlib")
    drag_select(page, start, end)
    page.keyboard.press("l")
    page.keyboard.press("l")
    expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
    for request in creates:  # every request that was sent has been answered
        request.response()
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(1)
    assert len(spans_of(annotator, document)) == 1


def test_double_clicking_a_label_button_makes_one_span(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    creates = span_creations(page)

    start, end = code_points(document.text, "Syrian Observatory")
    drag_select(page, start, end)
    page.locator("button.label-button[data-label=ACTOR]").dblclick()
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect(mark).to_have_attribute("data-label", "ACTOR")
    for request in creates:
        request.response()
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(1)
    (span,) = spans_of(annotator, document)
    assert document.text[span.start : span.end] == "Syrian Observatory"


def test_two_identical_create_requests_at_once_make_one_span(page, server, annotator, import_texts):
    """A double submit that gets past the page (two tabs, a retried request): the server
    still keeps one span."""
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    start, end = code_points(document.text, "Idlib")
    statuses = page.evaluate(
        """async ([start, end]) => {
            const app = document.getElementById("annotate");
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
            const send = () => fetch(app.dataset.spanCreateUrl, {
                method: "POST",
                body: new URLSearchParams({label: "LOCATION", start, end}),
                headers: {"X-CSRFToken": token},
            }).then((response) => response.status);
            return Promise.all([send(), send()]);
        }""",
        [start, end],
    )
    assert all(status in (200, 201) for status in statuses), statuses
    assert len(spans_of(annotator, document)) == 1


def test_deleting_the_selected_span_clears_its_side_panel(page, server, annotator, import_texts):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    mark = tag(page, document.text, "At least 16 civilians", "c")
    select_span(page, mark, "At least 16 civilians")
    detail = page.locator("#span-detail")
    expect(detail.locator("select[name=outcome]")).to_be_visible()

    page.keyboard.press("Delete")
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)
    expect_saved(page)
    assert spans_of(annotator, document) == []
    # The panel must not keep offering a form for a span that no longer exists.
    expect(detail.locator("form")).to_have_count(0, timeout=3000)
    expect(detail).not_to_contain_text("At least 16 civilians", timeout=1000)


def test_a_slow_side_panel_answer_after_a_delete_does_not_report_a_failure(
    page, server, annotator, import_texts
):
    """Click a span and press Delete at once: the panel's request for the span's attributes
    may be answered after the delete (here it is held back until then)."""
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    mark = tag(page, document.text, "Idlib", "l")
    held = []
    page.route("**/attributes/", lambda route: held.append(route))
    page.evaluate(
        """() => {
            window.panelAnswers = 0;
            document.body.addEventListener("htmx:afterRequest", () => window.panelAnswers++);
        }"""
    )

    mark.click()
    page.keyboard.press("Delete")
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(0)
    expect_saved(page)
    assert spans_of(annotator, document) == []

    page.wait_for_function("() => window.htmx !== undefined")
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_function("() => window.panelAnswers >= 1")
    status = page.get_by_test_id("save-status").text_content()
    assert "Not saved" not in status and "<" not in status, status
