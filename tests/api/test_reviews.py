"""Adjudication through the API: the queue, a document's candidates and gold, decisions with
their version, finish and reopen."""

import io

import pytest

from annotator.models import GoldSpan, Review
from annotator.services import document_import

STALE = "Another lead changed this review since you opened it; here is its current state."

# Both mark the actor. Only annotator1 marks "civilians" (group 0, kind "missing"); they
# disagree on where the place ends (group 1: variant 0 "Idlib", variant 1 "Idlib Province").
# Exact span F1: 1 matched, 3 unmatched: 2/5 = 0.4.
FIRST = (("ACTOR", "Pro-Assad forces"), ("ACTOR", "civilians"), ("LOCATION", "Idlib Province"))
SECOND = (("ACTOR", "Pro-Assad forces"), ("LOCATION", "Idlib"))


def url(project, document=None, suffix=""):
    base = f"/api/projects/{project.slug}/review/"
    return base if document is None else f"{base}{document.id}/{suffix}"


@pytest.fixture
def disputed(project, document, api_for, annotate, annotator, second_annotator):
    """The report, submitted by both annotators; then a second document only annotator1
    submits, which is not ready for review (k is 2)."""
    report = document_import(
        project=project, files=[("other.txt", io.BytesIO(b"Shelling hit Aleppo on Tuesday."))]
    )
    assert report.imported == 1, report.errors
    annotate(api_for(annotator), FIRST)
    annotate(api_for(second_annotator), SECOND)
    annotate(api_for(annotator), ())
    return document


@pytest.fixture
def lead_api(api_for, lead):
    return api_for(lead)


def decide(api, project, document, **fields):
    return api.post(url(project, document, "decisions/"), fields, format="json")


def gold(document) -> list[tuple[str, str]]:
    return [
        (span.label.key, document.text[span.start : span.end])
        for span in GoldSpan.objects.filter(document=document).select_related("label")
    ]


# The queue


def test_queue_lists_the_documents_every_annotator_submitted(lead_api, project, disputed):
    response = lead_api.get(url(project))

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"document": disputed.id, "title": disputed.title, "agreement": 0.4, "status": "pending"}
    ]


def test_queue_filters_by_status_and_refuses_an_unknown_one(lead_api, lead, project, disputed):
    decide(lead_api, project, disputed, version=0, action="reject", group=0)

    assert [
        e["status"] for e in lead_api.get(url(project) + "?status=in_progress").json()["results"]
    ] == ["in_progress"]
    assert lead_api.get(url(project) + "?status=pending").json()["results"] == []
    refused = lead_api.get(url(project) + "?status=finished")
    assert refused.status_code == 400
    assert refused.json() == {"status": ["Not a review status."]}


# A document's review


def test_detail_calls_the_annotators_a1_and_a2_by_default(lead_api, project, disputed):
    response = lead_api.get(url(project, disputed))

    assert response.status_code == 200
    body = response.json()
    assert body["annotators"] == ["A1", "A2"]
    assert (body["status"], body["version"]) == ("pending", 0)
    assert [(v["label"], v["text"]) for v in body["agreed"]] == [("ACTOR", "Pro-Assad forces")]
    civilians, place = body["groups"]
    assert (civilians["kind"], civilians["majority"]) == ("missing", None)
    assert [(v["text"], v["annotators"]) for v in civilians["variants"]] == [("civilians", ["A1"])]
    assert civilians["silent"] == ["A2"]
    assert [(v["text"], v["annotators"]) for v in place["variants"]] == [
        ("Idlib", ["A2"]),
        ("Idlib Province", ["A1"]),
    ]
    # The agreed span is the gold until a lead says otherwise; nothing is stored yet.
    assert [(g["id"], g["text"], g["decision"]) for g in body["gold"]] == [
        (None, "Pro-Assad forces", "unanimous")
    ]
    assert body["events"] == []
    assert "annotator1" not in response.content.decode()
    assert "annotator2" not in response.content.decode()
    assert not Review.objects.exists()


def test_detail_with_names_gives_the_usernames(lead_api, project, disputed):
    body = lead_api.get(url(project, disputed) + "?names=1").json()

    assert body["annotators"] == ["annotator1", "annotator2"]
    civilians, place = body["groups"]
    assert civilians["silent"] == ["annotator2"]
    assert [v["annotators"] for v in place["variants"]] == [["annotator2"], ["annotator1"]]
    assert body["gold"][0]["exact_annotators"] == ["annotator1", "annotator2"]


def test_detail_of_a_document_not_ready_for_review_is_404(lead_api, project, disputed):
    other = project.documents.exclude(pk=disputed.pk).get()

    assert lead_api.get(url(project, other)).status_code == 404


# Decisions


def test_a_decision_answers_with_the_new_state_one_version_up(lead_api, project, disputed):
    response = decide(
        lead_api, project, disputed, version=0, action="accept", group=1, variant=1, note="per GL"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"]) == ("in_progress", 1)
    assert [g["resolved"] for g in body["groups"]] == [False, True]
    assert [(g["label"], g["text"], g["decision"]) for g in body["gold"]] == [
        ("ACTOR", "Pro-Assad forces", "unanimous"),
        ("LOCATION", "Idlib Province", "accepted"),
    ]
    [event] = body["events"]
    assert (event["lead"], event["action"], event["note"]) == ("lead", "accept", "per GL")
    assert event["summary"] == "Accepted LOCATION “Idlib Province”"
    assert body == lead_api.get(url(project, disputed)).json()


def test_a_stale_version_gets_409_with_the_current_review(lead_api, project, disputed):
    decide(lead_api, project, disputed, version=0, action="accept", group=1, variant=0)

    response = decide(lead_api, project, disputed, version=0, action="reject", group=1)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == STALE
    assert body["review"]["version"] == 1
    assert ("LOCATION", "Idlib") in [(g["label"], g["text"]) for g in body["review"]["gold"]]
    assert gold(disputed) == [("ACTOR", "Pro-Assad forces"), ("LOCATION", "Idlib")]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"version": 0, "action": "approve", "group": 0}, "action"),
        ({"version": 0, "action": "reject", "group": 0, "colour": "red"}, "colour"),
        ({"action": "reject", "group": 0}, "version"),
        ({"version": 0, "action": "reject", "group": 9}, "group"),
        ({"version": 0, "action": "accept", "group": 1, "variant": 2}, "variant"),
        ({"version": 0, "action": "reject", "group": 0, "reason": "hunch"}, "reason"),
    ],
)
def test_unknown_fields_actions_and_targets_are_400_naming_the_field(
    lead_api, project, disputed, fields, error
):
    response = decide(lead_api, project, disputed, **fields)

    assert response.status_code == 400
    assert list(response.json()) == [error]
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()


def test_finish_is_refused_while_conflicts_are_open_and_done_once_decided(
    lead_api, project, disputed
):
    refused = lead_api.post(url(project, disputed, "finish/"), {"version": 0}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "2 conflicts still to decide: “civilians”, “Idlib Province”."
    }
    assert not Review.objects.exists()

    decide(lead_api, project, disputed, version=0, action="reject", group=0)
    decide(lead_api, project, disputed, version=1, action="accept", group=1, variant=0)
    done = lead_api.post(url(project, disputed, "finish/"), {"version": 2}, format="json")

    assert done.status_code == 200
    assert (done.json()["status"], done.json()["version"]) == ("done", 3)
    assert done.json()["events"][-1]["action"] == "finish"
    assert [e["status"] for e in lead_api.get(url(project)).json()["results"]] == ["done"]
    # A done review takes no decision until reopened.
    closed = decide(lead_api, project, disputed, version=3, action="undo")
    assert closed.status_code == 409
    assert gold(disputed) == [("ACTOR", "Pro-Assad forces"), ("LOCATION", "Idlib")]


def test_reopen_brings_a_done_review_back_in_progress_with_its_gold(lead_api, project, disputed):
    decide(lead_api, project, disputed, version=0, action="reject", group=0)
    decide(lead_api, project, disputed, version=1, action="accept", group=1, variant=0)
    lead_api.post(url(project, disputed, "finish/"), {"version": 2}, format="json")

    response = lead_api.post(url(project, disputed, "reopen/"), {"version": 3}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"]) == ("in_progress", 4)
    assert [(g["text"], g["decision"]) for g in body["gold"]] == [
        ("Pro-Assad forces", "unanimous"),
        ("Idlib", "accepted"),
    ]
    # Decisions are taken again.
    undone = decide(lead_api, project, disputed, version=4, action="undo")
    assert undone.status_code == 200
    assert [g["text"] for g in undone.json()["gold"]] == ["Pro-Assad forces"]


def test_reopening_a_review_that_is_not_done_is_refused(lead_api, project, disputed):
    decide(lead_api, project, disputed, version=0, action="reject", group=0)

    response = lead_api.post(url(project, disputed, "reopen/"), {"version": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Only a finished review can be reopened."}
    assert Review.objects.get().status == Review.Status.IN_PROGRESS
