"""Annotators work blind: nothing another annotator did on the same document reaches them."""

import re

import pytest
from playwright.sync_api import expect

from annotator.models import Span
from annotator.services import assignment_next

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

SENTINEL = "SENTINEL-7f3a-annotator1-only"


def test_a_second_annotator_never_receives_the_first_ones_spans(
    page, server, project, make_annotator, import_texts
):
    (document,) = import_texts(REPORT)
    # Suggestions would outline "At least 16 civilians", the very words annotator1 marked,
    # from the rules alone: off here, so that any mark of those words is a leak
    # (tests/services/test_suggestions.py shows others' spans change no suggestion).
    project.suggestions_enabled = False
    project.save(update_fields=["suggestions_enabled"])
    first = make_annotator("annotator1")
    second = make_annotator("annotator2")
    theirs = assignment_next(project=project, annotator=first)
    assert theirs.document == document
    labels = {label.key: label for label in project.labels.all()}
    seeded = []
    for words, key in (("At least 16 civilians", "CASUALTY_FIGURE"), ("Idlib", "LOCATION")):
        start, end = code_points(document.text, words)
        seeded.append(
            Span.objects.create(
                assignment=theirs,
                label=labels[key],
                start=start,
                end=end,
                attributes={"note": SENTINEL},  # free-form JSON at the database level
            )
        )

    bodies = []  # (url, status, body) of every text response annotator2's browser gets

    def collect(response):
        kind = response.headers.get("content-type", "")
        text = " ".join(f"{name}: {value}" for name, value in response.headers.items())
        if not kind.startswith(("text/", "application/json")):
            bodies.append((response.url, response.status, text))
            return
        try:
            text += "\n" + response.text()
        except Exception as error:  # a redirect has no body
            text += f"\n<no body: {error}>"
        bodies.append((response.url, response.status, text))

    page.on("response", collect)
    log_in(page, server, "annotator2")
    open_next_document(page)
    mine = assignment_of(second, document)
    assert mine.id != theirs.id
    expect(page.get_by_test_id("document-text")).to_have_text(document.text)
    expect(page.locator(f"{TEXT} mark")).to_have_count(0)
    expect(page.locator("#span-list")).to_contain_text("No spans yet.")

    # annotator2 annotates elsewhere, opens the side panel and reloads the span list.
    start, end = code_points(document.text, "Syrian Observatory")
    drag_select(page, start, end)
    page.keyboard.press("a")
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", re.compile(r"^\d+$"))
    expect_saved(page)
    mark.click()
    expect(page.locator("#span-detail")).to_contain_text("Syrian Observatory")
    expect(page.locator("#span-list li[data-span-id]")).to_have_count(1)
    page.reload()
    expect(page.locator(f"{TEXT} mark.span")).to_have_count(1)

    # Asking for annotator1's assignment and spans directly is refused, and says nothing.
    base = f"{server.url}/projects/{project.slug}/assignments/{theirs.id}/"
    for url in (base, f"{base}spans/{seeded[0].id}/attributes/"):
        response = page.goto(url)
        assert response.status in (403, 404), (url, response.status)

    # The bodies were really read: the page itself and annotator2's own span are among them.
    assert any("At least 16 civilians were killed" in body for _, _, body in bodies)
    assert any(f'data-start="{start}" data-end="{end}"' in body for _, _, body in bodies)
    leaks = [(url, status) for url, status, body in bodies if SENTINEL in body]
    assert leaks == [], f"annotator1's attributes reached annotator2 in {leaks}"
    for span in seeded:
        marker = f'data-start="{span.start}" data-end="{span.end}"'
        shown = [url for url, _, body in bodies if marker in body]
        assert shown == [], f"annotator1's span [{span.start}, {span.end}) drawn in {shown}"
        assert f'span-{span.id}"' not in " ".join(body for _, _, body in bodies)
    # annotator2's own work is theirs alone; annotator1's spans are untouched.
    assert [(s.start, s.end) for s in spans_of(second, document)] == [(start, end)]
    assert Span.objects.filter(assignment=theirs).count() == 2
