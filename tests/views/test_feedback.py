"""What annotators learn once a document is adjudicated: their own spans against the gold on
the feedback page, and their F1 against the gold on the home page. Never before the review is
done, and never another annotator's work."""

import html
import re

import pytest
from django.urls import reverse

from annotator.models import Review
from annotator.services import review_decide, review_finish, review_reopen

from ..annotating import FULL, PLACES, add_reports

# The gold of `disputed` once adjudicated: ACTOR "Russia" (alice's, accepted over bob's
# "Russia struck"), LOCATION "Idlib" (agreed); alice's Aleppo rejected.
# alice: 2 matched, 1 extra (Aleppo), 0 missed: precision 2/3, recall 1, F1 0.8.
# bob: 1 matched (Idlib), 1 extra ("Russia struck"), 1 missed ("Russia"): F1 0.5.


def adjudicate(document, lead):
    review_decide(document=document, lead=lead, version=0, action="accept", group=0, variant=0)
    review_decide(document=document, lead=lead, version=1, action="reject", group=1)
    return review_finish(document=document, lead=lead, version=2)


def feedback_url(assignment):
    return reverse("assignment_feedback", args=[assignment.document.project.slug, assignment.id])


def listed(page: str, testid: str) -> list[str]:
    items = re.search(rf'<ul data-testid="{testid}">(.*?)</ul>', page, re.DOTALL)[1]
    return [
        html.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split()))
        for item in re.findall(r"<li[^>]*>(.*?)</li>", items, re.DOTALL)
    ]


def home_card(client) -> str | None:
    page = client.get(reverse("home")).text
    found = re.search(
        r'<details class="gold-feedback" data-testid="gold-feedback">.*?</details>', page, re.S
    )
    return found[0] if found else None


@pytest.fixture
def assignments(disputed, team):
    return {name: disputed.assignments.get(annotator=team[name]) for name in ("alice", "bob")}


def test_before_the_review_is_done_the_feedback_page_is_404(
    client_for, lead, team, disputed, assignments
):
    client = client_for(team["bob"])
    assert client.get(feedback_url(assignments["bob"])).status_code == 404

    # Half decided: still nothing to see.
    review_decide(document=disputed, lead=lead, version=0, action="accept", group=0, variant=0)
    response = client.get(feedback_url(assignments["bob"]))

    assert response.status_code == 404
    assert "Russia struck" not in response.text


def test_after_adjudication_an_annotator_sees_their_f1_and_matched_missed_extra_spans(
    client_for, lead, team, disputed, assignments
):
    adjudicate(disputed, lead)

    response = client_for(team["bob"]).get(feedback_url(assignments["bob"]))

    assert response.status_code == 200
    page = response.text
    assert re.search(r'data-testid="feedback-f1">F1 0\.500<', page)
    assert "precision 0.500, recall 0.500" in page
    assert listed(page, "feedback-matched") == ["LOCATION “Idlib”"]
    assert listed(page, "feedback-missed") == ["ACTOR “Russia”"]
    assert listed(page, "feedback-extra") == ["ACTOR “Russia struck”"]


def test_an_annotator_who_matched_the_gold_sees_none_missed(
    client_for, lead, team, disputed, assignments
):
    adjudicate(disputed, lead)

    page = client_for(team["alice"]).get(feedback_url(assignments["alice"])).text

    assert re.search(r'data-testid="feedback-f1">F1 0\.800<', page)
    assert listed(page, "feedback-matched") == ["ACTOR “Russia”", "LOCATION “Idlib”"]
    assert listed(page, "feedback-missed") == ["None"]
    assert listed(page, "feedback-extra") == ["LOCATION “Aleppo”"]


def test_another_annotators_feedback_is_404_and_shows_none_of_their_spans(
    client_for, lead, team, disputed, assignments
):
    adjudicate(disputed, lead)

    response = client_for(team["alice"]).get(feedback_url(assignments["bob"]))

    assert response.status_code == 404
    assert "Russia struck" not in response.text
    assert "F1" not in response.text


def test_a_reopened_review_takes_the_feedback_page_away_again(
    client_for, lead, team, disputed, assignments
):
    review = adjudicate(disputed, lead)
    review_reopen(document=disputed, lead=lead, version=review.version)

    assert client_for(team["bob"]).get(feedback_url(assignments["bob"])).status_code == 404


@pytest.fixture
def carol_in_review(project, lead, team, submit, disputed):
    """A second document, submitted by alice and carol, with one decision taken: in review,
    not done."""
    [document] = add_reports(project, 1)
    submit(team["alice"], FULL)
    submit(team["carol"], PLACES)
    assert document.assignments.filter(status="submitted").count() == 2
    review_decide(document=document, lead=lead, version=0, action="reject", group=0)
    return document


def test_the_home_page_shows_the_f1_against_the_gold_and_links_to_the_feedback(
    client_for, lead, team, disputed, assignments, carol_in_review
):
    adjudicate(disputed, lead)

    for name, f1 in (("alice", "0.80"), ("bob", "0.50")):
        card = home_card(client_for(team[name]))
        assert card is not None, f"{name} sees no feedback"
        summary = " ".join(re.sub(r"<[^>]+>", " ", card.split("</summary>")[0]).split())
        assert summary == f"Against the gold: F1 {f1} over 1 adjudicated document"
        assert f'href="{feedback_url(assignments[name])}"' in card


def test_the_home_page_shows_no_gold_feedback_without_an_adjudicated_document(
    client_for, lead, team, disputed, carol_in_review
):
    adjudicate(disputed, lead)
    client = client_for(team["carol"])

    page = client.get(reverse("home")).text

    assert 'data-testid="project-card"' in page
    assert "Against the gold" not in page
    assert home_card(client) is None


def test_after_a_reopen_the_home_page_no_longer_counts_the_document(
    client_for, lead, team, disputed, assignments
):
    """The card must not link to a feedback page that is 404 while the review is reopened."""
    review = adjudicate(disputed, lead)
    review_reopen(document=disputed, lead=lead, version=review.version)
    assert Review.objects.get().status == Review.Status.IN_PROGRESS

    assert home_card(client_for(team["bob"])) is None
