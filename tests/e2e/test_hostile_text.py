"""The hostile corpus in every field, in a real browser: on every page that shows it, and while
annotators and leads hover, focus and click it, no script runs and the text shows literally.

A payload that runs calls alert(window.__xss=1) or requests a /__xss/ URL. The test watches for
that itself (dialogs, the marker, requests, script-src violations, elements with handlers), so
it fails on an injection whether or not a Content-Security-Policy stops the script.
"""

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from annotator.models import Document, GoldSpan, Span

from ..hostile import ATTRIBUTES, FIRST, MARKER, PLAIN, SECOND, hostile_world
from ..hostile_pages import PAGE_NAMES, hostile_pages
from .conftest import expect_saved, select_code_points

pytestmark = pytest.mark.e2e

# Runs in every document before its own scripts: a policy violation is how an injected inline
# script or handler shows itself when a Content-Security-Policy blocks it.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
});
"""

# What an escaped payload would have become: elements with handlers, script URLs, inline
# scripts, htmx attributes and styles pointing at the marker, frames.
DOM_SCAN = """(marker) => {
  const found = [];
  const urls = ["href", "src", "action", "formaction", "xlink:href", "data"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    for (const { name, value } of element.attributes) {
      const squeezed = value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag} ${name}>`);
      if (urls.includes(name) && /^(javascript:|vbscript:|data:text\\/html)/.test(squeezed)) {
        found.push(`<${tag} ${name}="${value}">`);
      }
      const pointing = name.startsWith("hx-") || name.startsWith("data-hx-")
        || name === "style" || name === "srcdoc";
      if (pointing && value.includes(marker)) found.push(`<${tag} ${name}="${value}">`);
    }
    if (tag === "script" && !element.src && !/json|importmap/.test(element.type)) {
      found.push(`inline <script>: ${element.textContent.slice(0, 80)}`);
    }
    if (["iframe", "embed", "object", "base"].includes(tag)) found.push(`<${tag}>`);
  }
  return found;
}"""

# Gives every handler a payload could have added its event: hover, focus, animation, toggle.
POKE = """() => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const events = ["mouseover", "mouseenter", "pointerover", "mousemove", "focus", "focusin",
                  "animationstart", "toggle", "load", "error"];
  for (const element of document.querySelectorAll("body *")) {
    for (const type of events) element.dispatchEvent(new Event(type, { bubbles: false }));
  }
}"""

# The page's text and the values of its fields: where typed text shows.
SHOWN = """() => [document.body.textContent,
  ...[...document.querySelectorAll("input, textarea, select, option")].map((f) => f.value)]"""
VISIBLE = """() => [document.body.innerText,
  ...[...document.querySelectorAll("input, textarea")].map((f) => f.value)]"""


class Watch:
    """Everything on one page that says a payload ran."""

    def __init__(self, page: Page):
        self.page = page
        self.reset()
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def reset(self) -> None:
        """Forget what earlier pages did."""
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request) -> None:
        # An image runs nothing: the guidelines may show one whose URL names the marker.
        if MARKER in request.url and request.resource_type != "image":
            self.requests.append(request.url)

    def _console(self, message) -> None:
        if message.type == "error" and (
            MARKER in message.text or "Refused to execute" in message.text
        ):
            self.console.append(message.text)

    def problems(self) -> dict:
        found = {
            "dialogs": self.dialogs,
            "requests to the marker": self.requests,
            "script errors": self.errors,
            "console": self.console,
            "marker set": self.page.evaluate("() => window.__xss !== undefined"),
            "script-src violations": self.page.evaluate(
                "() => (window.__violations || []).filter((v) => v.startsWith('script-src'))"
            ),
            "markup from text": self.page.evaluate(DOM_SCAN, MARKER),
        }
        return {name: value for name, value in found.items() if value}


def signed_in(browser: Browser, server, user) -> Page:
    """A page whose browser has the user's session, made as the login page would."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server.url,
            }
        ]
    )
    return context.new_page()


@pytest.fixture
def world(server):
    return hostile_world()


@pytest.fixture
def pages_for(browser, server):
    """The page of each user, with its watch, made once per user."""
    made: dict = {}

    def page_for(user) -> tuple[Page, Watch]:
        if user.pk not in made:
            page = signed_in(browser, server, user)
            made[user.pk] = (page, Watch(page))
        return made[user.pk]

    yield page_for
    for page, _ in made.values():
        page.context.close()


def test_no_hostile_text_runs_on_any_page_and_all_of_it_shows(world, pages_for):
    failures = {}
    pages = hostile_pages(world)
    for name in PAGE_NAMES:
        shown = pages[name]
        if shown.fragment:
            continue  # fragments are loaded into their pages by the interaction tests below
        page, watch = pages_for(shown.user)
        watch.reset()
        response = page.goto(shown.url)
        assert response.status == 200, (name, response.status)
        page.wait_for_load_state("networkidle")
        visible = "\n".join(page.evaluate(VISIBLE))
        page.evaluate(POKE)
        everything = "\n".join(page.evaluate(SHOWN))
        missing = [text for text in shown.texts if text not in everything]
        problems = watch.problems()
        if missing:
            problems["not shown literally"] = missing
        if shown.texts[0] not in visible:
            problems["not visible"] = shown.texts[0]
        if problems:
            failures[name] = problems
    assert failures == {}


def test_annotating_with_hostile_labels_and_attribute_values_runs_nothing(world, pages_for):
    assignment = world.open_assignment
    page, watch = pages_for(world.first)
    page.goto(hostile_pages(world)["annotate"].url)
    page.wait_for_function("() => window.Offsets !== undefined")
    expect(page.locator("#span-list li[data-span-id]")).to_have_count(2)

    # The guidelines: every Markdown payload, rendered and sanitised.
    page.locator("[data-open-dialog=guidelines]").click()
    dialog = page.locator("#guidelines")
    expect(dialog).to_be_visible()
    for link in dialog.locator("a").all():
        link.hover()
    page.keyboard.press("Escape")

    for button in page.locator(".label-button").all():
        button.hover()
        button.focus()
    for mark in page.locator("#document-text mark.span").all():
        mark.hover()

    # A new span under the label named with a script tag and quotes.
    text = assignment.document.text
    start = text.index("civilians")
    select_code_points(page, start, start + len("civilians"))
    page.locator('.label-button[data-label="XSS_QUOTE"]').click()
    expect_saved(page)
    expect(page.locator("#span-list li[data-span-id]")).to_have_count(3)

    # Its attributes: a hostile choice from the list and hostile free text.
    page.locator('#span-list li[data-label="XSS_SCRIPT"] button').click()
    form = page.locator("#span-detail form")
    expect(form).to_be_visible()
    expect(page.locator("#span-detail h2")).to_contain_text(PLAIN["script_tag"])
    page.locator("#attr-kind").select_option(value=PLAIN["htmx_attribute"])
    page.locator("#attr-remark").fill(PLAIN["raw_text_close"])
    form.locator("button[type=submit]").click()
    expect(page.locator("#span-detail")).to_contain_text("Attributes saved.")
    expect(page.locator("#attr-remark")).to_have_value(PLAIN["raw_text_close"])
    page.evaluate(POKE)

    span = Span.objects.get(assignment=assignment, label__key="XSS_SCRIPT")
    assert span.attributes["kind"] == PLAIN["htmx_attribute"]
    assert span.attributes["remark"] == PLAIN["raw_text_close"]
    assert Span.objects.filter(assignment=assignment, label__key="XSS_QUOTE").count() == 2
    # The text the browser works on is the stored text, control characters and all.
    assert page.evaluate("() => document.getElementById('document-text').textContent") == text
    assert watch.problems() == {}


def test_a_lead_picks_a_hostile_attribute_value_and_gold_gets_it_exactly(world, pages_for):
    page, watch = pages_for(world.lead)
    page.goto(hostile_pages(world)["review (in progress, names shown)"].url)
    review = page.locator("#review")
    version = int(review.get_attribute("data-version"))
    for item in page.locator(".conflict-item").all():
        item.click()
        item.locator(".label-chip").first.hover()
    page.keyboard.press("j")
    page.keyboard.press("k")

    gold = GoldSpan.objects.get(document=world.in_review, label__key="XSS_SCRIPT")
    # The value the gold does not have yet, so that picking it changes the gold.
    wanted = next(
        ATTRIBUTES[who]["kind"]
        for who in (FIRST, SECOND)
        if ATTRIBUTES[who]["kind"] != gold.attributes["kind"]
    )
    choice = json.dumps({"kind": wanted})
    buttons = page.locator('button[data-action="attributes"]')
    button = next(b for b in buttons.all() if b.get_attribute("data-attributes") == choice)
    button.click()
    expect(review).to_have_attribute("data-version", str(version + 1))
    page.evaluate(POKE)

    gold.refresh_from_db()
    assert gold.attributes["kind"] == wanted
    assert watch.problems() == {}


def test_an_import_with_a_hostile_file_name_runs_nothing(world, pages_for):
    page, watch = pages_for(world.lead)
    page.goto(hostile_pages(world)["import"].url)
    before = Document.objects.count()
    name = PLAIN["svg_onload"] + ".jsonl"
    line = json.dumps({"title": PLAIN["script_close"], "text": "A report from a hostile file."})
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": (line + "\n").encode()}]
    )
    page.locator("form.stacked button[type=submit]").click()
    expect(page.get_by_test_id("import-report")).to_be_visible()
    page.evaluate(POKE)
    assert watch.problems() == {}
    # Refused for its name or imported under it: either way, nothing of it ran.
    assert Document.objects.count() in (before, before + 1)
