"""A lead invites someone new: makes a link on the members page, the new person opens it in
their own browser, makes an account and lands in the project; the link then works no more."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from annotator.models import Membership
from annotator.services import membership_set

from ..conftest import PASSWORD

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "olive-tree-river-42"


def test_a_lead_invites_a_new_annotator_who_joins_through_the_link(
    page: Page, browser: Browser, server, project
):
    get_user_model().objects.create_user(username="lead", password=PASSWORD)
    membership_set(project=project, username="lead", role=Membership.Role.LEAD)

    page.goto(server.url + "/login/")
    page.locator("#id_username").fill("lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.get_by_role("link", name=project.name).click()
    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_label("Who it is for").fill("Rima, Aleppo volunteers")
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.get_by_test_id("invitation-link")
    expect(link).to_be_visible()
    url = link.input_value()
    assert url.startswith(server.url + "/invite/")
    expect(page.get_by_test_id("pending-invitations")).to_contain_text("Rima, Aleppo volunteers")

    newcomer_context = browser.new_context()
    try:
        newcomer = newcomer_context.new_page()
        newcomer.goto(url)
        expect(newcomer.get_by_role("heading", level=1)).to_have_text(f"Join {project.name}")
        newcomer.get_by_label("Choose a username").fill("rima")
        newcomer.get_by_label("Choose a password").fill(NEW_PASSWORD)
        newcomer.get_by_label("Password again").fill(NEW_PASSWORD)
        newcomer.get_by_role("button", name="Make my account and join").click()
        expect(newcomer.get_by_role("heading", level=1)).to_have_text(project.name)
        expect(newcomer.locator("ul.messages")).to_have_text(f"Welcome to {project.name}.")
        expect(newcomer.locator(".who")).to_have_text("rima")
        expect(newcomer.get_by_role("button", name="Next document")).to_be_visible()

        # The link is spent: opened again, in any browser, it says so.
        stranger = browser.new_context()
        try:
            again = stranger.new_page()
            again.goto(url)
            expect(again.get_by_test_id("invitation-refusal")).to_contain_text("already been used")
            expect(again.get_by_role("button", name="Make my account and join")).to_have_count(0)
        finally:
            stranger.close()
    finally:
        newcomer_context.close()

    page.reload()
    expect(page.get_by_test_id("members")).to_contain_text("rima")
    assert Membership.objects.get(user__username="rima").role == "annotator"
