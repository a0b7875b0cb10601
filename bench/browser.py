"""Browser-side timings of the annotate page, in Debian's Chromium against a real server.

Given a running server and the page that bench/workspace.py prepared (a 50 KB document with
500 spans), measures what an annotator feels: how long the page takes to become usable, and
from the key press to the highlight being drawn (pending) and to it being confirmed as saved.
"""

import statistics

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Wrapped in an object so that evaluate_handle returns at once instead of awaiting the promise.
WATCH = """([start]) => ({done: new Promise((resolve) => {
    const root = document.getElementById("document-text");
    const times = {};
    document.addEventListener("keydown", () => { times.key = performance.now(); },
                              { capture: true, once: true });
    const selector = `mark[data-start="${start}"]`;
    new MutationObserver((changes, observer) => {
        const mark = root.querySelector(selector);
        if (mark && times.drawn === undefined) times.drawn = performance.now();
        if (mark && mark.dataset.spanId) {
            times.saved = performance.now();
            observer.disconnect();
            resolve({drawn: times.drawn - times.key, saved: times.saved - times.key});
        }
    }).observe(root, {subtree: true, childList: true, attributes: true});
})})"""


def measure(base_url: str, result: dict) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base_url + "/login/")
        page.fill("#id_username", result["username"])
        page.fill("#id_password", result["password"])
        page.click("form.stacked button[type=submit]")
        page.wait_for_url(base_url + "/")
        loads = []
        for _ in range(5):
            page.goto(base_url + result["page_url"])
            page.wait_for_function("() => window.Offsets !== undefined")
            loads.append(
                page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                )
            )
        drawn, saved = [], []
        for start, end in result["browser_free"]:
            page.evaluate(
                """([start, end]) => {
                const root = document.getElementById("document-text");
                const selection = getSelection();
                selection.removeAllRanges();
                selection.addRange(Offsets.toRange(root, start, end));
            }""",
                [start, end],
            )
            watcher = page.evaluate_handle(WATCH, [start])
            page.keyboard.press("l")
            times = watcher.evaluate("watch => watch.done")
            drawn.append(times["drawn"])
            saved.append(times["saved"])
        browser.close()
    return {
        "ready_ms": statistics.median(loads),
        "drawn_p50_ms": statistics.median(drawn),
        "drawn_max_ms": max(drawn),
        "saved_p50_ms": statistics.median(saved),
        "saved_max_ms": max(saved),
    }
