"""Every page that shows what users typed or imported, with the hostile corpus in every field:
the text comes out escaped, shows literally, and nothing in it becomes markup."""

import csv
import io
import json
from email.message import Message

import pytest
from django.test import Client
from django.urls import reverse

from annotator.models import Document

from ..hostile import (
    ATTRIBUTES,
    EXPORT_FILE_NAME,
    FIRST,
    PLAIN,
    SECOND,
    UNSTORABLE,
    hostile_world,
)
from ..hostile_pages import PAGE_NAMES, hostile_pages, scan

TAGS = [text for text in PLAIN.values() if "<" in text]


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return hostile_world(commit=django_capture_on_commit_callbacks)


def _get(world, page: str):
    shown = hostile_pages(world)[page]
    client = Client()
    client.force_login(shown.user)
    headers = {"Accept": "text/html,application/xhtml+xml"}
    if shown.fragment:
        headers["HX-Request"] = "true"
    response = client.get(shown.url, headers=headers)
    assert response.status_code == 200, (page, response.status_code)
    return response.content.decode(), shown.texts


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_hostile_text_shows_literally_and_never_becomes_markup(world, page):
    body, shown = _get(world, page)
    parsed = scan(body)
    assert parsed.found == [], f"{page}: markup made from user text: {parsed.found}"
    missing = [text for text in shown if not parsed.shows(text)]
    assert missing == [], f"{page}: not shown literally: {missing}"
    raw = [text for text in TAGS if text in body]
    assert raw == [], f"{page}: written unescaped: {raw}"


def test_the_page_names_are_the_pages_the_world_has(world):
    assert sorted(hostile_pages(world)) == sorted(PAGE_NAMES)


@pytest.mark.parametrize("payload", TAGS)
def test_query_strings_and_paths_are_never_reflected_as_markup(project, lead, payload):
    client = Client()
    client.force_login(lead)
    queue = reverse("review_queue", args=[project.slug])
    answers = [
        client.get(queue, {"annotator": payload, "label": payload, "status": payload}),
        client.get(queue, {"min_agreement": payload}),
        client.get("/projects/" + project.slug + "/" + payload + "/"),
        Client().get(reverse("login"), {"next": payload}),
    ]
    for response in answers:
        body = response.content.decode()
        assert payload not in body
        assert scan(body).found == []


def test_the_api_answers_a_browser_with_json_never_an_html_page(world):
    client = Client()
    client.force_login(world.lead)
    url = reverse("api_review_detail", args=[world.project.slug, world.adjudicated.pk])
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(url, headers={"Accept": browser})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert PLAIN["script_tag"] in json.dumps(response.json(), ensure_ascii=False)


def test_review_attribute_choices_carry_each_value_as_json_the_page_reads_back(world):
    body, _ = _get(world, "review (in progress, names shown)")
    choices = [
        json.loads(data["data-attributes"])
        for data in scan(body).data_attributes
        if data.get("data-action") == "attributes"
    ]
    for annotator in (FIRST, SECOND):
        for name, value in ATTRIBUTES[annotator].items():
            assert {name: value} in choices


@pytest.mark.parametrize("view", ["agreement_documents_csv", "agreement_pairs_csv"])
def test_csv_downloads_keep_a_formula_as_text(world, view):
    client = Client()
    client.force_login(world.lead)
    response = client.get(reverse(view, args=[world.project.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response).decode())))
    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells and set(cells) == {"'" + PLAIN["csv_formula"]}


def test_export_download_name_is_one_quoted_header(world):
    client = Client()
    client.force_login(world.lead)
    response = client.get(reverse("export_file", args=[world.project.slug, world.export.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\n" not in header and "\r" not in header
    message = Message()
    message["Content-Disposition"] = header
    assert message.get_content_disposition() == "attachment"
    assert message.get_filename() == EXPORT_FILE_NAME


def test_hostile_import_file_name_is_shown_escaped(project, lead):
    client = Client()
    client.force_login(lead)
    name = PLAIN["svg_onload"] + ".jsonl"
    upload = io.BytesIO(b'{"text": "A report from a file with a hostile name."}\n')
    upload.name = name
    response = client.post(reverse("document_import", args=[project.slug]), {"files": upload})
    pages = [response]
    # Refused for its name, or imported under it: the document's page then shows the name.
    for document in Document.objects.filter(source_name=name):
        pages.append(client.get(reverse("document_detail", args=[project.slug, document.pk])))
        assert scan(pages[-1].content.decode()).shows(name)
    for page in pages:
        body = page.content.decode()
        assert scan(body).found == []
        assert name not in body


@pytest.mark.parametrize("name", sorted(UNSTORABLE))
def test_unstorable_characters_are_refused_by_the_import_naming_file_line_and_field(
    project, lead, name
):
    entry = UNSTORABLE[name]
    client = Client()
    client.force_login(lead)
    lines = [
        json.dumps({"text": "A clean first report."}),
        json.dumps({"title": "A report", "text": entry["text"]}),
    ]
    upload = io.BytesIO(("\n".join(lines) + "\n").encode())
    upload.name = "unstorable.jsonl"
    response = client.post(reverse("document_import", args=[project.slug]), {"files": upload})
    assert response.status_code == 400
    report = scan(response.content.decode()).text
    assert f"unstorable.jsonl:2: field 'text': {entry['error']}" in report
    assert not Document.objects.exists()
