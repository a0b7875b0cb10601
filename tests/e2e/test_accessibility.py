"""axe-core on the annotate page in the state an annotator works in: spans drawn, one span
selected with its attributes open in the side panel."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from annotator.models import Span
from annotator.services import assignment_next

from .conftest import REPORT, TEXT, code_points, drag_select, log_in, open_next_document

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}


def serious_violations(page: Page) -> list[dict]:
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in SERIOUS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')[:300]}")
    return "\n".join(lines)


def test_annotate_page_with_spans_and_a_selected_span_has_no_serious_violations(
    page, server, project, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    assignment = assignment_next(project=project, annotator=annotator)
    labels = {label.key: label for label in project.labels.all()}
    for words, key in (
        ("At least 16 civilians", "CASUALTY_FIGURE"),  # lacks its required outcome
        ("Idlib", "LOCATION"),
        ("Syrian Observatory for Human Rights", "ACTOR"),
    ):
        start, end = code_points(document.text, words)
        Span.objects.create(assignment=assignment, label=labels[key], start=start, end=end)

    log_in(page, server, "annotator1")
    open_next_document(page)
    expect(page.locator(f"{TEXT} mark.span[data-span-id]")).to_have_count(3)
    page.locator(f"{TEXT} mark.span[data-label=CASUALTY_FIGURE]").click()
    expect(page.locator("#span-detail select[name=outcome]")).to_be_visible()

    violations = serious_violations(page)
    assert violations == [], "axe found serious or critical violations:\n" + describe(violations)


def test_unsaved_spans_and_their_retry_panel_have_no_serious_violations(
    page, server, annotator, import_texts
):
    (document,) = import_texts(REPORT)
    log_in(page, server, "annotator1")
    open_next_document(page)
    server.stop()
    start, end = code_points(document.text, "Idlib")
    drag_select(page, start, end)
    page.keyboard.press("l")
    expect(page.locator("#pending-list li")).to_have_count(1)
    expect(page.locator(f"{TEXT} mark.span.failed")).to_have_count(1)

    violations = serious_violations(page)
    assert violations == [], "axe found serious or critical violations:\n" + describe(violations)
