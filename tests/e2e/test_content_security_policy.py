"""The pages work under the enforced Content-Security-Policy, and the policy really stops script.

Every browser test already fails on a policy violation (the `csp_violations` fixture in
conftest.py); these open the pages the others do not (the admin, the API docs) and check what
the policy could silently break: label colours, which no longer come from inline styles.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from annotator.models import Membership
from annotator.services import assignment_next, assignment_submit, membership_set, span_create

from ..conftest import PASSWORD
from .conftest import REPORT, code_points, log_in, open_next_document

pytestmark = pytest.mark.e2e


def rgb(colour: str) -> str:
    """#rrggbb as a computed style gives it."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def style_of(page: Page, selector: str, property_name: str) -> str:
    return page.locator(selector).first.evaluate(
        "(element, name) => getComputedStyle(element).getPropertyValue(name)", property_name
    )


def mark_words(project, user, words_by_label, *, submit=True):
    assignment = assignment_next(project=project, annotator=user)
    for key, words in words_by_label:
        start, end = code_points(assignment.document.text, words)
        span_create(assignment=assignment, label=project.labels.get(key=key), start=start, end=end)
    if submit:
        assignment_submit(assignment=assignment)
    return assignment


def log_in_as(page: Page, server, username: str) -> None:
    page.goto(server.url + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("main")).to_be_visible()


def test_label_colours_show_in_the_annotation_workspace(
    page, server, project, annotator, import_texts
):
    import_texts(REPORT)
    location = project.labels.get(key="LOCATION")
    actor = project.labels.get(key="ACTOR")
    mark_words(project, annotator, [("LOCATION", "Idlib")], submit=False)
    log_in(page, server, "annotator1")
    open_next_document(page)

    assert style_of(page, "mark.span", "border-bottom-color") == rgb(location.colour)
    button = f'.label-button[data-label="{actor.key}"]'
    assert style_of(page, button, "border-inline-start-color") == rgb(actor.colour)
    expect(page.locator(".span-item").first).to_be_visible()
    assert style_of(page, ".span-item", "border-inline-start-color") == rgb(location.colour)

    # A span made in the page is drawn by our script, in its label's colour.
    start, end = code_points(REPORT, "Syrian Observatory for Human Rights")
    page.evaluate(
        """([start, end]) => {
            const root = document.getElementById("document-text");
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(Offsets.toRange(root, start, end));
        }""",
        [start, end],
    )
    page.keyboard.press(actor.shortcut.lower())
    expect(page.get_by_test_id("save-status")).to_have_text("Saved.")
    new_mark = f'mark.span[data-start="{start}"]'
    assert style_of(page, new_mark, "border-bottom-color") == rgb(actor.colour)


def test_label_colours_show_in_the_review(page, server, project, make_annotator, import_texts):
    import_texts(REPORT)
    first, second = make_annotator("annotator1"), make_annotator("annotator2")
    mark_words(project, first, [("LOCATION", "Idlib"), ("ACTOR", "Syrian Observatory")])
    mark_words(project, second, [("LOCATION", "Idlib")])
    get_user_model().objects.create_user(username="lead", password=PASSWORD)
    membership_set(project=project, username="lead", role=Membership.Role.LEAD)
    location = project.labels.get(key="LOCATION")
    log_in_as(page, server, "lead")
    page.goto(f"{server.url}/projects/{project.slug}/review/")
    page.locator("form[action$='/review/next/'] button").click()
    expect(page.locator("#review")).to_be_visible()

    gold = "#review mark.gold"
    expect(page.locator(gold).first).to_be_visible()
    assert style_of(page, gold, "border-bottom-color") == rgb(location.colour)


def test_htmx_is_configured_for_the_policy(page, server, project, annotator):
    log_in(page, server, "annotator1")
    config = page.evaluate(
        """() => ({selfRequestsOnly: htmx.config.selfRequestsOnly,
                   allowScriptTags: htmx.config.allowScriptTags,
                   allowEval: htmx.config.allowEval,
                   includeIndicatorStyles: htmx.config.includeIndicatorStyles})"""
    )
    assert config == {
        "selfRequestsOnly": True,
        "allowScriptTags": False,
        "allowEval": False,
        "includeIndicatorStyles": False,
    }


def test_an_inline_script_that_gets_into_a_page_does_not_run(
    page, server, project, annotator, csp_violations
):
    log_in(page, server, "annotator1")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            const image = document.createElement("img");
            image.setAttribute("onerror", "window.injected = true");
            image.src = "/no-such-image";
            document.body.append(image);
        }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in violation for violation in csp_violations)
    # Expected here, and proof that the guard sees them: not a failure of this test.
    csp_violations.clear()


def test_the_api_docs_work_under_the_policy(page, server, project, annotator):
    log_in(page, server, "annotator1")
    page.goto(server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Casualty annotator API")
    expect(page.locator(".opblock").first).to_be_visible()


def test_the_admin_works_under_the_policy(page, server, project):
    get_user_model().objects.create_superuser(username="root", password=PASSWORD)
    log_in_as(page, server, "root")
    for path in (
        "/admin/",
        "/admin/annotator/project/",
        f"/admin/annotator/project/{project.pk}/change/",
        "/admin/auth/user/add/",
    ):
        page.goto(server.url + path)
        expect(page.locator("#content")).to_be_visible()
