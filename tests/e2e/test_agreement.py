"""A lead finds the agreement dashboard from the project page and reads it in the browser."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from annotator.models import Membership
from annotator.services import assignment_next, assignment_submit, membership_set, span_create

from ..conftest import PASSWORD
from .conftest import REPORT, code_points

pytestmark = pytest.mark.e2e

# Idlib agrees; the source's name is cut short by annotator2: exact F1 2/4 = 0.5, overlap 1.0.
FIRST = (("LOCATION", "Idlib"), ("ACTOR", "Syrian Observatory for Human Rights"))
SECOND = (("LOCATION", "Idlib"), ("ACTOR", "Syrian Observatory"))


def submit_with(project, user, marks) -> None:
    assignment = assignment_next(project=project, annotator=user)
    for key, words in marks:
        start, end = code_points(assignment.document.text, words)
        span_create(assignment=assignment, label=project.labels.get(key=key), start=start, end=end)
    assignment_submit(assignment=assignment)


def log_in_as_lead(page: Page, server, username: str) -> None:
    """As `log_in`, but a lead's home page lists projects and has no next-document button."""
    page.goto(server.url + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    expect(page.get_by_test_id("project-card")).to_be_visible()


def test_a_lead_reads_the_figures_charts_and_numbers_of_two_annotators_work(
    page, server, project, make_annotator, import_texts
):
    import_texts(REPORT)
    submit_with(project, make_annotator("annotator1"), FIRST)
    submit_with(project, make_annotator("annotator2"), SECOND)
    get_user_model().objects.create_user(username="lead", password=PASSWORD)
    membership_set(project=project, username="lead", role=Membership.Role.LEAD)

    log_in_as_lead(page, server, "lead")
    page.get_by_role("link", name=project.name).click()
    page.get_by_role("link", name="Agreement", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inter-annotator agreement")
    expect(page.locator("[data-figure=exact-f1]")).to_have_text("0.500")
    expect(page.locator("[data-figure=overlap-f1]")).to_have_text("1.000")
    # Pair heatmap, disagreement kinds, label confusion, F1 histogram, F1 by week.
    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    for chart in charts.all():
        expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Disagreements by kind")).to_contain_text(
        "Same label, other boundaries"
    )

    numbers = page.get_by_role("region", name="Disagreements").locator("details").first
    table = numbers.locator("table")
    expect(table).to_be_hidden()
    numbers.get_by_text("Numbers").click()
    expect(table).to_be_visible()
    for kind, count in (("Same label, other boundaries", "1"), ("Marked by one only", "0")):
        expect(table.get_by_role("row", name=kind).get_by_role("cell")).to_have_text(count)
