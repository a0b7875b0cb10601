"""A lead exports the gold from the export page: starts an export, sees it done, downloads it."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Export, GoldSpan

from ..conftest import PASSWORD

pytestmark = pytest.mark.e2e

JSONL = "JSONL: gold spans with provenance and agreement"
CONLL = "CoNLL-2003 IOB2"


def log_in_as_lead(page: Page, server, username: str) -> None:
    """As `log_in`, but a lead's home page lists projects and has no next-document button."""
    page.goto(server.url + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    expect(page.get_by_test_id("project-card")).to_be_visible()


def open_export_page(page: Page, project) -> None:
    page.get_by_role("link", name=project.name).click()
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export the gold")


def start_export(page: Page, format_label: str, **shares: str) -> None:
    """Pick the format's radio button, fill in the shares (by their labels), and submit."""
    expect(page.get_by_role("radio", name=format_label, exact=True)).to_be_visible()
    page.get_by_role("radio", name=format_label, exact=True).check()
    for name, share in shares.items():
        page.get_by_label(name).fill(share)
    page.get_by_role("button", name="Start the export").click()


def expect_started(page: Page, project, format: str) -> Export:
    """Wait for the page to say the export started; returns that export."""
    message = page.locator("ul.messages")
    expect(message).to_have_text(re.compile(rf"Export \d+ \({format}\) has started\."))
    export = Export.objects.filter(project=project).latest("id")
    expect(message).to_have_text(f"Export {export.pk} ({format}) has started.")
    return export


def export_row(page: Page, export: Export):
    return page.locator(f"tr[data-export='{export.pk}']")


def test_a_lead_exports_the_gold_as_jsonl_and_downloads_one_line_per_adjudicated_document(
    page: Page, server, project, lead, reviewed
):
    adjudicated = reviewed[:2]  # the third is annotated but not reviewed
    log_in_as_lead(page, server, lead.username)
    open_export_page(page, project)
    expect(page.get_by_test_id("export-counts")).to_contain_text("2 adjudicated documents")
    expect(page.get_by_text("No exports yet.")).to_be_visible()

    start_export(page, JSONL)

    export = expect_started(page, project, "jsonl")
    row = export_row(page, export)
    expect(row).to_have_attribute("data-status", "done")
    expect(row.get_by_role("status")).to_have_text(re.compile(r"^\s*Done: 2 documents\s*$"))
    name = f"{project.slug}-gold-jsonl.jsonl"
    link = row.get_by_role("link", name=name)
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == name

    with open(download.path(), encoding="utf-8") as downloaded:
        lines = downloaded.read().splitlines()
    records = [json.loads(line) for line in lines]
    assert [record["id"] for record in records] == [document.pk for document in adjudicated]
    for record, document in zip(records, adjudicated, strict=True):
        assert record["text"] == document.text
        assert record["spans"], f"document {document.pk} has no gold spans in the export"
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
        gold = {
            (span.start, span.end, span.label.key)
            for span in GoldSpan.objects.filter(document=document).select_related("label")
        }
        assert {(s["start"], s["end"], s["label"]) for s in record["spans"]} == gold


def test_splits_on_a_format_without_them_are_refused_and_start_no_export(
    page: Page, server, project, lead, reviewed
):
    log_in_as_lead(page, server, lead.username)
    open_export_page(page, project)

    start_export(page, CONLL, **{"Train share": "0.8", "Dev share": "0.1", "Test share": "0.1"})

    expect(page.get_by_role("alert")).to_have_text(
        "Only the jsonl, layers and hf formats carry splits."
    )
    expect(page.get_by_text("No exports yet.")).to_be_visible()
    expect(page.get_by_test_id("export-list")).to_have_count(0)
    expect(page.locator("ul.messages")).to_have_count(0)  # no "has started"
    assert not Export.objects.filter(project=project).exists()


def test_removing_an_export_takes_its_row_away(page: Page, server, project, lead, reviewed):
    log_in_as_lead(page, server, lead.username)
    open_export_page(page, project)
    start_export(page, JSONL)
    first = expect_started(page, project, "jsonl")
    start_export(page, CONLL)
    second = expect_started(page, project, "conll")
    rows = page.get_by_test_id("export-list").locator("tr[data-export]")
    expect(rows).to_have_count(2)
    expect(export_row(page, first)).to_have_attribute("data-status", "done")

    page.get_by_role("button", name=f"Remove export {first.pk}", exact=True).click()

    expect(page.get_by_role("status").first).to_contain_text(f"Export {first.pk} is removed")
    expect(export_row(page, first)).to_have_count(0)
    expect(rows).to_have_count(1)
    expect(export_row(page, second)).to_be_visible()
    assert list(Export.objects.filter(project=project)) == [second]

    page.get_by_role("button", name=f"Remove export {second.pk}", exact=True).click()

    expect(page.get_by_text("No exports yet.")).to_be_visible()
    expect(page.get_by_test_id("export-list")).to_have_count(0)
