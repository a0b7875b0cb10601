"""A lead adjudicates a document three annotators disagree on, with the keyboard only."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from annotator.models import GoldSpan, Membership, Project, Review
from annotator.services import assignment_next, assignment_submit, membership_set, span_create

from ..conftest import PASSWORD
from .conftest import code_points

pytestmark = pytest.mark.e2e

REPORT = (
    "At least 16 civilians were killed in Idlib on Tuesday by Russian aircraft, "
    "the Syrian Observatory for Human Rights said.\n"
)
AGREED = ("ACTOR", "Russian aircraft")
# Conflict 0: only annotator2 marks "civilians" (the majority marked nothing there).
# Conflict 1, three ways: ACTOR "Idlib" (annotator3), LOCATION "Idlib" (annotator1),
# LOCATION "Idlib on Tuesday" (annotator2), numbered 1, 2, 3 on the page (text order).
# Conflict 2, three ways: "the Syrian Observatory for Human Rights" (annotator3), "Syrian
# Observatory" (annotator2), "Syrian Observatory for Human Rights" (annotator1): 1, 2, 3.
MARKS = {
    "annotator1": (
        AGREED,
        ("LOCATION", "Idlib"),
        ("ACTOR", "Syrian Observatory for Human Rights"),
    ),
    "annotator2": (
        AGREED,
        ("ACTOR", "civilians"),
        ("LOCATION", "Idlib on Tuesday"),
        ("ACTOR", "Syrian Observatory"),
    ),
    "annotator3": (
        AGREED,
        ("ACTOR", "Idlib"),
        ("ACTOR", "the Syrian Observatory for Human Rights"),
    ),
}
RESOLVED = re.compile(r"\bresolved\b")
OPEN = re.compile(r"\bopen\b")


def submit_with(project, user, marks) -> None:
    assignment = assignment_next(project=project, annotator=user)
    for key, words in marks:
        start, end = code_points(assignment.document.text, words)
        span_create(assignment=assignment, label=project.labels.get(key=key), start=start, end=end)
    assignment_submit(assignment=assignment)


@pytest.fixture
def three_way(project, make_annotator, import_texts):
    Project.objects.filter(pk=project.pk).update(annotators_per_document=3)
    project.refresh_from_db()
    [document] = import_texts(REPORT)
    for username, marks in MARKS.items():
        submit_with(project, make_annotator(username), marks)
    get_user_model().objects.create_user(username="lead", password=PASSWORD)
    membership_set(project=project, username="lead", role=Membership.Role.LEAD)
    return document


def log_in_as_lead(page: Page, server) -> None:
    page.goto(server.url + "/login/")
    page.locator("#id_username").fill("lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("project-card")).to_be_visible()


def press(page: Page, key: str, *, version: int) -> None:
    """Press a decision key and wait until the page shows the review at `version`."""
    page.keyboard.press(key)
    expect(page.locator("#review")).to_have_attribute("data-version", str(version))


def expect_current(page: Page, index: int) -> None:
    expect(page.get_by_test_id(f"conflict-{index}")).to_have_attribute("aria-current", "true")


def test_a_lead_resolves_every_conflict_with_the_keyboard_and_the_gold_is_what_they_chose(
    page: Page, server, project, three_way
):
    document = three_way
    log_in_as_lead(page, server)
    review_url = f"{server.url}/projects/{project.slug}/review/{document.id}/"
    page.goto(review_url)
    expect(page.get_by_role("heading", level=2, name=re.compile("Conflicts"))).to_contain_text(
        "(3 to decide of 3)"
    )
    expect(page.get_by_test_id("review-text")).to_contain_text("Syrian Observatory")
    expect_current(page, 0)
    conflicts = [page.get_by_test_id(f"conflict-{i}") for i in range(3)]

    # j and k move between the conflicts, in the list and in the text.
    for key, index in (("j", 1), ("j", 2), ("k", 1)):
        page.keyboard.press(key)
        expect_current(page, index)
    expect(page.locator('#document-text .conflict[data-group="1"]').first).to_have_class(
        re.compile(r"\bcurrent\b")
    )

    # Conflict 1 has no majority: accepting before picking says so and decides nothing.
    page.keyboard.press("a")
    expect(page.get_by_test_id("review-status")).to_contain_text("pick a variant first")
    expect(page.locator("#review")).to_have_attribute("data-version", "0")

    # Conflict 1: pick the second variant, LOCATION "Idlib", and accept it.
    page.keyboard.press("2")
    expect(conflicts[1].locator('.variants li[data-variant="1"]')).to_have_class(
        re.compile(r"\bpicked\b")
    )
    press(page, "a", version=1)
    expect(conflicts[1]).to_have_class(RESOLVED)
    expect_current(page, 2)  # the next open conflict after the one decided

    # Conflict 2: the third variant, the name without "the".
    page.keyboard.press("3")
    press(page, "a", version=2)
    expect(conflicts[2]).to_have_class(RESOLVED)
    expect_current(page, 0)  # from the top: the one still open

    # Conflict 0: "a" accepts annotator2's "civilians", and the page shows it decided.
    expect(conflicts[0]).to_have_class(OPEN)
    expect(conflicts[0].locator(".decided")).to_have_count(0)
    press(page, "a", version=3)
    expect(conflicts[0]).to_have_class(RESOLVED)
    expect(conflicts[0].locator(".decided")).to_have_text("decided")
    expect(page.locator('#document-text .conflict[data-group="0"]').first).to_have_class(RESOLVED)
    expect(page.get_by_test_id("gold-list")).to_contain_text("civilians")
    expect(page.get_by_role("heading", level=2, name=re.compile("Conflicts"))).to_contain_text(
        "(0 to decide of 3)"
    )

    # Second thoughts: undo it, then say there is no span there.
    press(page, "u", version=4)
    expect(conflicts[0]).to_have_class(OPEN)
    expect(page.get_by_test_id("gold-list")).not_to_contain_text("civilians")
    expect_current(page, 0)
    press(page, "r", version=5)
    expect(conflicts[0]).to_have_class(RESOLVED)
    expect(page.get_by_role("heading", level=2, name=re.compile("Conflicts"))).to_contain_text(
        "(0 to decide of 3)"
    )

    # Finish: no other document waits, so the queue, which says so.
    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(f"{server.url}/projects/{project.slug}/review/")
    expect(page.get_by_role("status").first).to_contain_text("is adjudicated")

    review = Review.objects.get(document=document)
    assert review.status == Review.Status.DONE
    gold = {
        (span.label.key, document.text[span.start : span.end], span.decision)
        for span in GoldSpan.objects.filter(document=document).select_related("label")
    }
    assert gold == {
        ("ACTOR", "Russian aircraft", "unanimous"),
        ("LOCATION", "Idlib", "accepted"),
        ("ACTOR", "Syrian Observatory for Human Rights", "accepted"),
    }
    events = [(e.action, e.undone) for e in review.events.order_by("id")]
    assert events == [
        ("accept", False),
        ("accept", False),
        ("accept", True),
        ("undo", False),
        ("reject", False),
        ("finish", False),
    ]
