"""Links in a review through the API: the candidates in the detail, and their decisions."""

import pytest

from annotator.models import GoldLink
from annotator.services import review_decide

from ..linking import gold_id, linked_document


def url(document, suffix=""):
    return f"/api/projects/{document.project.slug}/review/{document.id}/{suffix}"


@pytest.fixture
def started(project, pair, lead, django_capture_on_commit_callbacks):
    document = linked_document(project, pair, django_capture_on_commit_callbacks)
    review_decide(document=document, lead=lead, version=0, action="accept", group=0, variant=0)
    return document


def decide(api, document, **fields):
    body = {
        "version": 1,
        "action": "accept",
        "source": gold_id(document, "16 civilians"),
        "kind": "perpetrator",
        **fields,
    }
    return api.post(url(document, "links/"), body, format="json")


def test_the_detail_lists_the_links_with_who_made_them(api_for, lead, started):
    response = api_for(lead).get(url(started), {"names": "1"})
    assert response.status_code == 200
    links = {(link["kind"], link["target_text"]): link for link in response.json()["links"]}
    idlib = links["located_at", "Idlib"]
    assert idlib["annotators"] == ["ann_a", "ann_b"]
    assert idlib["accepted"] and idlib["agreed"]
    assert idlib["source"] == gold_id(started, "16 civilians")
    assert links["perpetrator", "Russian"]["annotators"] == ["ann_a"]
    assert not links["perpetrator", "Russian"]["accepted"]


def test_accepting_a_link_answers_with_the_new_state(api_for, lead, started):
    response = decide(api_for(lead), started, target=gold_id(started, "Russian"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 2
    russian = next(link for link in body["links"] if link["target_text"] == "Russian")
    assert russian["accepted"]
    assert GoldLink.objects.filter(kind="perpetrator").count() == 1


def test_a_stale_link_decision_gets_409_with_the_current_review(api_for, lead, started):
    response = decide(api_for(lead), started, target=gold_id(started, "Russian"), version=0)
    assert response.status_code == 409
    assert response.json()["review"]["version"] == 1
    assert not GoldLink.objects.filter(kind="perpetrator").exists()


def test_a_link_that_does_not_fit_is_400_naming_the_field(api_for, lead, started):
    response = decide(api_for(lead), started, target=gold_id(started, "Idlib"))
    assert response.status_code == 400
    assert "target" in response.json()
