"""Shared passages and ignored regions in the browser: what the annotator sees on the annotate
page, what a lead marks on the document page, and gold carried between copies in review."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from annotator.models import Assignment, GoldSpan, IgnoredRegion, Membership
from annotator.services import assignment_next, assignment_submit, membership_set, span_create

from ..annotating import adjudicate
from ..conftest import PASSWORD
from .conftest import (
    TEXT,
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
SHARED = "Pro-Assad warplanes struck the town of Maarat al-Numan, killing at least 16 civilians."
MONDAY = f"Monday’s report 🇸🇾 from the north.\n{SHARED}\nRescuers in Idlib were still searching.\n"
TUESDAY = (
    f"Tuesday’s report 😀 from the south.\n{SHARED}\nRescuers in Aleppo were still searching.\n"
)

SUBSCRIBE = "Subscribe to our daily briefing for the latest casualty figures."
LINK = "See Syria Daily, July 23: 59 Killed in Pro-Assad Bombing of Idlib Province"
WITH_FURNITURE = (
    "Government shelling killed at least 16 civilians in Idlib on Tuesday.\n"
    f"{SUBSCRIBE}\n{LINK}\n"
    "Rescuers said the toll could rise, the Syrian Observatory said.\n"
)


@pytest.fixture
def lead(project):
    user = get_user_model().objects.create_user(username="lead", password=PASSWORD)
    membership_set(project=project, username="lead", role=Membership.Role.LEAD)
    return user


def log_in_as_lead(page: Page, server) -> None:
    page.goto(server.url + "/login/")
    page.locator("#id_username").fill("lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("project-card")).to_be_visible()


def marked_text(page: Page, start: int, end: int) -> str:
    """The text of the span [start, end) as marked on the page. A span is drawn in several
    marks where other elements (a shared paragraph, a suggestion's outline) cut the text."""
    return "".join(mark_for(page, start, end).all_text_contents())


def tag_by_mouse(page: Page, text: str, words: str, key: str) -> None:
    """Drag over `words` with the mouse, press the label key, wait until it is saved."""
    start, end = code_points(text, words)
    drag_select(page, start, end)
    page.keyboard.press(key)
    expect(mark_for(page, start, end).first).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    assert marked_text(page, start, end) == words


def test_a_shared_paragraph_is_marked_and_spans_in_and_after_it_keep_their_offsets(
    page: Page, server, project, annotator, import_texts
):
    first, second = import_texts(MONDAY, TUESDAY)  # the import queues the clusters' refresh
    log_in(page, server, "annotator1")
    open_next_document(page)
    document = Assignment.objects.get(annotator=annotator).document
    other = second if document == first else first

    shared = page.locator(f"{TEXT} .shared-passage")
    expect(shared).to_have_count(1)
    expect(shared).to_have_text(SHARED)
    expect(shared).to_have_attribute("data-also-in", f"Also in document {other.pk}")
    # The note is drawn above the paragraph (CSS generated content: no text in the DOM).
    before = shared.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert before == f'"Also in document {other.pk}"'
    side = page.get_by_test_id("shared-passages")
    expect(side).to_contain_text(f"also in document {other.pk}")
    # Where it is, never a way to the other document (an annotator does not see it).
    expect(side.locator("a")).to_have_count(0)

    # Inside the shared paragraph, after it, and before it (past an emoji: 2 UTF-16 units).
    before, after = ("north", "Idlib") if document == first else ("south", "Aleppo")
    for words, key in (("16 civilians", "c"), ("Maarat al-Numan", "l"), (after, "l")):
        tag_by_mouse(page, document.text, words, key)
    tag_by_mouse(page, document.text, before, "l")

    saved = [
        (span.label.key, document.text[span.start : span.end])
        for span in spans_of(annotator, document)
    ]
    expected = [
        ("LOCATION", before),
        ("LOCATION", "Maarat al-Numan"),
        ("CASUALTY_FIGURE", "16 civilians"),
        ("LOCATION", after),
    ]
    assert saved == expected

    # Drawn again from the server, the marks sit inside the shared paragraph where they were.
    page.reload()
    for _, words in expected:
        start, end = code_points(document.text, words)
        expect(mark_for(page, start, end).first).to_be_visible()
        assert marked_text(page, start, end) == words
    for words in ("Maarat al-Numan", "16 civilians"):
        start, end = code_points(document.text, words)
        inside = page.locator(f'{TEXT} .shared-passage mark.span[data-start="{start}"]')
        assert "".join(inside.all_text_contents()) == words


def test_a_lead_ignores_boilerplate_and_a_selection_and_annotators_cannot_mark_there(
    page: Page, browser, server, project, lead, annotator, import_texts
):
    (document,) = import_texts(WITH_FURNITURE)
    log_in_as_lead(page, server)
    page.goto(f"{server.url}/projects/{project.slug}/documents/{document.pk}/")
    regions = page.get_by_test_id("ignored-regions")
    expect(regions).to_contain_text("Nothing is ignored in this document.")

    # The link to another story is proposed: one click ignores it.
    proposals = page.get_by_test_id("ignored-proposals")
    expect(proposals).to_contain_text("See Syria Daily, July 23")
    proposals.get_by_role("button", name="Ignore").click()
    link_start, link_end = code_points(document.text, LINK)
    expect(regions).to_contain_text(f"characters {link_start}–{link_end}")
    expect(page.get_by_test_id("ignored-proposals")).to_have_count(0)
    expect(page.locator(f"{TEXT} .ignored")).to_have_text(LINK)

    # The newsletter line is not proposed: the lead selects it with the mouse instead.
    ignore = page.get_by_role("button", name="Ignore the selected text")
    expect(ignore).to_be_disabled()
    start, end = code_points(document.text, SUBSCRIBE)
    drag_select(page, start, end)
    expect(regions).to_contain_text(f"Characters {start}–{end} selected.")
    regions.get_by_label("Reason").fill("newsletter")  # the selection made before is kept
    expect(ignore).to_be_enabled()
    ignore.click()
    expect(regions).to_contain_text("newsletter, characters")
    expect(page.locator(f"{TEXT} .ignored")).to_have_text([SUBSCRIBE, LINK])
    stored = [
        (document.text[r.start : r.end], r.reason)
        for r in IgnoredRegion.objects.filter(document=document).order_by("start")
    ]
    assert stored == [(SUBSCRIBE, "newsletter"), (LINK, "link")]

    # The annotator sees both greyed, is refused a span inside them, and can mark elsewhere.
    context = browser.new_context(base_url=server.url)
    try:
        annotating = context.new_page()
        log_in(annotating, server, "annotator1")
        open_next_document(annotating)
        expect(annotating.locator(f"{TEXT} .ignored")).to_have_text([SUBSCRIBE, LINK])
        expect(annotating.locator(".ignored-note")).to_contain_text("Greyed text is ignored")
        greyed = annotating.locator(f"{TEXT} .ignored").first
        plain = annotating.locator(TEXT)
        assert greyed.evaluate("(el) => getComputedStyle(el).color") != plain.evaluate(
            "(el) => getComputedStyle(el).color"
        )
        for words, key in (("daily briefing", "a"), ("59 Killed", "c")):
            start, end = code_points(document.text, words)
            drag_select(annotating, start, end)
            annotating.keyboard.press(key)
            expect(annotating.get_by_test_id("save-status")).to_contain_text(
                "Not saved: This text is ignored"
            )
            expect(annotating.locator(f"{TEXT} mark.span")).to_have_count(0)
        assert spans_of(annotator, document) == []

        tag_by_mouse(annotating, document.text, "16 civilians", "c")
        tag_by_mouse(annotating, document.text, "Syrian Observatory", "a")
        saved = [document.text[s.start : s.end] for s in spans_of(annotator, document)]
        assert saved == ["16 civilians", "Syrian Observatory"]
    finally:
        context.close()


def submit(project, user, marks) -> None:
    """The user's next assignment, with spans over (label key, words, attributes), submitted."""
    assignment = assignment_next(project=project, annotator=user)
    for key, words, attributes in marks.get(assignment.document.pk, ()):
        start, end = code_points(assignment.document.text, words)
        span_create(
            assignment=assignment,
            label=project.labels.get(key=key),
            start=start,
            end=end,
            attributes=attributes,
        )
    assignment_submit(assignment=assignment)


def test_gold_decided_in_one_copy_is_added_in_the_other_with_one_click(
    page: Page, server, project, lead, make_annotator, import_texts
):
    first, second = import_texts(
        f"Monday\n{SHARED} Russia denied it.\nRescuers searched in Idlib.\n",
        f"Tuesday\n{SHARED} Russia denied it.\nMore strikes hit Aleppo overnight.\n",
    )
    russia = ("ACTOR", "Russia", {"actor_type": "foreign_state"})
    marks = {
        "annotator1": {first.pk: [russia], second.pk: [("LOCATION", "Aleppo", None)]},
        "annotator2": {first.pk: [russia]},
    }
    for username, theirs in marks.items():
        user = make_annotator(username)
        submit(project, user, theirs)
        submit(project, user, theirs)
    adjudicate(first, lead)

    log_in_as_lead(page, server)
    page.goto(f"{server.url}/projects/{project.slug}/review/{second.pk}/")
    carried = page.get_by_test_id("carried-gold")
    expect(carried).to_contain_text("Decided elsewhere (1)")
    offer = carried.locator("li")
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text("ACTOR")
    expect(offer).to_contain_text("“Russia”")
    expect(offer).to_contain_text(f"decided in document {first.pk}")
    expect(page.get_by_test_id("gold-list")).not_to_contain_text("Russia")

    offer.get_by_role("button", name="Add as gold").click()
    expect(page.locator("#review")).to_have_attribute("data-version", "1")
    expect(page.get_by_test_id("gold-list")).to_contain_text("Russia")
    expect(page.get_by_test_id("carried-gold")).to_have_count(0)

    (gold,) = GoldSpan.objects.filter(document=second).select_related("label")
    assert (gold.label.key, second.text[gold.start : gold.end]) == ("ACTOR", "Russia")
    assert gold.start == code_points(second.text, "Russia")[0]
    assert gold.attributes.get("actor_type") == "foreign_state"
