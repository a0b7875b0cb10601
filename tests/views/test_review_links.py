"""The links part of the review page: candidates with who made them, accept and reject."""

import html
import re

import pytest
from django.urls import reverse

from annotator.models import GoldLink
from annotator.services import review_decide

from ..linking import gold_id, linked_document


@pytest.fixture
def document(project, pair, django_capture_on_commit_callbacks):
    return linked_document(project, pair, django_capture_on_commit_callbacks)


@pytest.fixture
def started(document, lead):
    """The review after its first decision (the source SOHR accepted): version 1."""
    review_decide(document=document, lead=lead, version=0, action="accept", group=0, variant=0)
    return document


def page_of(client, document, **query) -> str:
    address = reverse("review_document", args=[document.project.slug, document.pk])
    response = client.get(address, query)
    assert response.status_code == 200
    return response.text


def links_part(page: str) -> list[str]:
    part = re.search(r'data-testid="review-links">(.*?)</ul>', page, re.DOTALL)[1]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li[^>]*>(.*?)</li>", part, re.DOTALL)
    ]


def decide_link(client, document, action, target, kind, *, version=1):
    return client.post(
        reverse("review_decision", args=[document.project.slug, document.pk]),
        {
            "version": version,
            "action": action,
            "source": gold_id(document, "16 civilians"),
            "target": gold_id(document, target),
            "kind": kind,
        },
        headers={"HX-Request": "true"},
    )


def test_the_page_lists_each_link_with_who_made_it(client_for, lead, document):
    items = links_part(page_of(client_for(lead), document, names=1))
    assert items[0].startswith("“16 civilians” located at “Idlib” — ann_a, ann_b agreed gold")
    assert "“16 civilians” perpetrator “Russian” — ann_a" in items[1]


def test_a_link_to_a_span_not_yet_gold_says_to_accept_the_span_first(client_for, lead, document):
    review_decide(document=document, lead=lead, version=0, action="reject", group=0)
    items = links_part(page_of(client_for(lead), document))
    sohr = next(item for item in items if "SOHR" in item)
    assert "accept both spans as gold first" in sohr


def test_accepting_a_link_over_htmx_answers_with_the_review_part(client_for, lead, started):
    response = decide_link(client_for(lead), started, "link_accept", "Russian", "perpetrator")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="review"')
    assert 'data-version="2"' in response.text
    russian = next(item for item in links_part(response.text) if "Russian" in item)
    assert "gold" in russian.split("—")[1] and "reject" in russian
    assert GoldLink.objects.filter(kind="perpetrator").exists()


def test_rejecting_a_gold_link_takes_it_out(client_for, lead, started):
    response = decide_link(client_for(lead), started, "link_reject", "Idlib", "located_at")
    assert response.status_code == 200
    assert not GoldLink.objects.filter(kind="located_at").exists()
    idlib = next(item for item in links_part(response.text) if "Idlib" in item)
    assert "Accept link" in idlib


def test_a_refused_link_gets_400_with_the_reason(client_for, lead, started):
    response = decide_link(client_for(lead), started, "link_accept", "Russian", "located_at")
    assert response.status_code == 400
    assert "A located at link ends at a LOCATION span." in html.unescape(response.text)


def test_a_link_decision_from_a_stale_page_gets_409(client_for, lead, started):
    response = decide_link(
        client_for(lead), started, "link_accept", "Russian", "perpetrator", version=0
    )
    assert response.status_code == 409
    assert not GoldLink.objects.filter(kind="perpetrator").exists()
