"""Links on the annotate page, made from the keyboard alone."""

import pytest
from playwright.sync_api import expect

from annotator.models import SpanLink
from annotator.services import assignment_next
from tests.annotating import mark

from .conftest import REPORT, log_in, open_next_document

pytestmark = pytest.mark.e2e


def test_a_figure_is_linked_to_its_source_and_place_by_keyboard(
    page, server, project, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    assignment = assignment_next(project=project, annotator=annotator)
    mark(
        project,
        assignment,
        [
            ("CASUALTY_FIGURE", "At least 16 civilians"),
            ("LOCATION", "Idlib"),
            ("ACTOR", "Syrian Observatory for Human Rights"),
        ],
    )
    log_in(page, server, "annotator1")
    open_next_document(page)
    expect(page.locator("#span-list [data-start-link]")).to_have_count(1)

    page.keyboard.press("Alt+ArrowRight")  # the first span: the figure
    expect(page.locator("#span-detail h2")).to_contain_text("At least 16 civilians")
    page.keyboard.press("k")
    panel = page.get_by_test_id("link-mode")
    expect(panel).to_be_visible()
    page.keyboard.press("3")  # attributed to: the one ACTOR span is the target
    expect(panel).to_contain_text("attributed to “Syrian Observatory for Human Rights”")
    page.keyboard.press("Enter")
    chips = page.locator("#span-list .link-chip")
    expect(chips).to_contain_text(["→ attributed to Syrian Observatory for Human Rights"])
    expect(panel).to_be_hidden()

    # Escape cancels without a link; then located at, Tab to the (only) place, Enter.
    page.keyboard.press("k")
    page.keyboard.press("1")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.keyboard.press("k")
    page.keyboard.press("1")
    page.keyboard.press("Tab")
    expect(panel).to_contain_text("located at “Idlib”")
    page.keyboard.press("Enter")
    expect(chips).to_have_count(2)
    expect(page.get_by_test_id("save-status")).to_contain_text("Linked")

    made = {
        (link.kind, document.text[link.target.start : link.target.end])
        for link in SpanLink.objects.select_related("target")
    }
    assert made == {
        ("attributed_to", "Syrian Observatory for Human Rights"),
        ("located_at", "Idlib"),
    }

    # Hovering a chip outlines the span it points to.
    chips.filter(has_text="Idlib").hover()
    expect(page.locator("mark.span.link-hover")).to_have_text("Idlib")
