"""The document page's ignored regions and shared paragraphs (a lead's page)."""

import json

import pytest
from django.urls import reverse

from annotator.domain.exporters import jsonl_lines
from annotator.services.exports import ExportOptions, gold_documents
from annotator.services.ignored import ignored_region_add
from annotator.services.passages import passages_refresh

from ..annotating import adjudicate, import_texts, phrase_at

LINK = "See Syria Daily, July 23: 59 Killed in Pro-Assad Bombing of Idlib Province"
SHARED = "Pro-Assad warplanes struck the town of Maarat al-Numan, killing at least 16 civilians."
TEXT = f"Russia struck Idlib.\n{SHARED}\n{LINK}\nThe White Helmets searched the rubble."


@pytest.fixture
def documents(project):
    documents = import_texts(project, [TEXT, f"Another day\n{SHARED}"])
    passages_refresh(project=project)
    return documents


def page_url(document):
    return reverse("document_detail", args=[document.project.slug, document.pk])


def test_the_page_proposes_boilerplate_and_links_the_shared_copies(client, lead, documents):
    first, second = documents
    client.force_login(lead)
    page = client.get(page_url(first)).text
    assert "Looks like boilerplate" in page
    assert f"“{LINK[:69]}…”" in page
    assert f'<a href="{page_url(second)}">document {second.pk}</a>' in page
    assert "Nothing is ignored in this document." in page


def test_ignoring_a_proposal_greys_it_and_lists_it(client, lead, documents):
    first, _ = documents
    start, end = phrase_at(first, LINK)
    client.force_login(lead)
    response = client.post(
        reverse("ignored_region_mark", args=[first.project.slug, first.pk]),
        {"start": start, "end": end, "reason": "link"},
        follow=True,
    )
    page = response.text
    assert "Looks like boilerplate" not in page
    assert f"characters {start}–{end}" in page
    assert '<span class="ignored">See Syria Daily' in page
    assert first.ignored.get().reason == "link"


def test_an_overlapping_mark_is_refused_with_a_message(client, lead, documents):
    first, _ = documents
    start, end = phrase_at(first, LINK)
    ignored_region_add(document=first, start=start, end=end)
    client.force_login(lead)
    response = client.post(
        reverse("ignored_region_mark", args=[first.project.slug, first.pk]),
        {"start": start - 2, "end": start + 2},
        follow=True,
    )
    assert "overlaps the ignored region" in response.text
    assert first.ignored.count() == 1


def test_removing_a_region(client, lead, documents):
    first, _ = documents
    region = ignored_region_add(document=first, start=0, end=6)
    client.force_login(lead)
    client.post(reverse("ignored_region_unmark", args=[first.project.slug, first.pk, region.pk]))
    assert not first.ignored.exists()


def test_annotators_may_not_mark_regions(client, annotator, documents):
    first, _ = documents
    client.force_login(annotator)
    response = client.post(
        reverse("ignored_region_mark", args=[first.project.slug, first.pk]),
        {"start": 0, "end": 6},
    )
    assert response.status_code == 403
    assert not first.ignored.exists()


def test_the_annotate_page_greys_ignored_text(client, project, annotator, documents):
    from annotator.services import assignment_next

    assignment = assignment_next(project=project, annotator=annotator)
    document = assignment.document
    ignored_region_add(document=document, start=0, end=6)
    client.force_login(annotator)
    page = client.get(reverse("annotate_document", args=[project.slug, assignment.pk])).text
    assert f'<span class="ignored">{document.text[:6]}</span>' in page
    assert "Greyed text is ignored" in page


def test_the_jsonl_export_carries_the_mask(project, lead, documents, annotators_submitted):
    first, _ = documents
    ignored_region_add(document=first, start=0, end=6)
    ignored_region_add(document=first, start=6, end=8)  # touching: one range in the mask
    records = [json.loads(line) for line in jsonl_lines(gold_documents(project, ExportOptions()))]
    by_id = {record["id"]: record for record in records}
    assert by_id[first.pk]["ignored"] == [[0, 8]]


@pytest.fixture
def annotators_submitted(project, lead, members, documents, django_capture_on_commit_callbacks):
    from ..annotating import annotate

    users = members("annotator", "ann_a", "ann_b")
    for user in users:
        for _ in documents:
            annotate(project, user, [], commit=django_capture_on_commit_callbacks)
    for document in documents:
        adjudicate(document, lead)
