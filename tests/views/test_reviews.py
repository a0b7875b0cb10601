"""The leads' review pages: the queue with its counts and filters, "review the next document",
the review of one document (its decisions, stale pages, refusals, finish, reopen, history)."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from annotator.models import Assignment, GoldSpan, Membership, Review
from annotator.services import membership_set, review_decide, review_finish

from ..annotating import FULL, PARTIAL, PLACES, RELABELLED, add_reports

STALE = "Another lead changed this review since you opened it"


def url(name, document, **query):
    address = reverse(name, args=[document.project.slug, document.id])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def queue(client, project, query="") -> str:
    response = client.get(reverse("review_queue", args=[project.slug]) + query)
    assert response.status_code == 200
    return response.text


def queue_titles(page: str) -> list[str]:
    table = re.search(r'<table[^>]*id="review-queue".*?</table>', page, re.DOTALL)
    if table is None:
        return []
    return [html.unescape(t) for t in re.findall(r'<td><a href="[^"]+">([^<]*)</a>', table[0])]


def queue_rows(page: str) -> list[list[str]]:
    table = re.search(r'<table[^>]*id="review-queue".*?</table>', page, re.DOTALL)[0]
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.DOTALL)[1]
    return [
        [
            html.unescape(" ".join(re.sub(r"<[^>]+>", "", cell).split()))
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]


def counts(page: str) -> dict[str, int]:
    found = re.findall(r"<strong>(\d+)</strong> (pending|in progress|done)", page)
    return {status: int(n) for n, status in found}


def titles(documents) -> list[str]:
    return [document.title for document in documents]


def decide(client, document, *, htmx=True, **fields):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("review_decision", document), fields, headers=headers)


def version_of(page: str) -> int:
    return int(re.search(r'id="review"[^>]*data-version="(\d+)"', page, re.DOTALL)[1])


def conflict_item(page: str, index: int) -> str:
    """The list item of conflict `index`, up to the next conflict or the end of the list."""
    start = page.index(f'data-testid="conflict-{index}"')
    following = page.find('<li class="conflict-item', start)
    return page[start : following if following != -1 else page.index("</section>", start)]


def gold(document) -> list[tuple[str, str]]:
    return [
        (span.label.key, document.text[span.start : span.end])
        for span in GoldSpan.objects.filter(document=document).select_related("label")
    ]


def text_of(fragment: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


# The queue


@pytest.fixture
def queue_world(project, team, submit):
    """Five documents: d0 (exact F1 0.4), d1 (1.0) and d2 (0.667) submitted by alice and bob,
    d3 (1.0, no actor marked) by alice and carol; d4 by alice only, so not ready."""
    documents = add_reports(project, 5)
    for marks in (FULL, FULL, FULL, PLACES, FULL):
        submit(team["alice"], marks)
    for marks in (PARTIAL, FULL, RELABELLED):
        submit(team["bob"], marks)
    submit(team["carol"], PLACES)
    assert documents[3].assignments.get(annotator=team["carol"]).status == "submitted"
    return documents


@pytest.fixture
def reviewed_states(queue_world, lead):
    """d2 in progress (one decision), d1 done; d0 and d3 still pending."""
    _, d1, d2, _, _ = queue_world
    review_decide(document=d2, lead=lead, version=0, action="reject", group=0)
    review_finish(document=d1, lead=lead, version=0)
    return queue_world


def test_queue_lists_only_documents_with_k_submissions_least_agreement_first(
    client_for, project, lead, queue_world
):
    d0, d1, d2, d3, _not_ready = queue_world

    rows = queue_rows(queue(client_for(lead), project))

    assert rows == [
        [d0.title, "0.40", "Pending"],
        [d2.title, "0.67", "Pending"],
        [d1.title, "1.00", "Pending"],
        [d3.title, "1.00", "Pending"],
    ]


def test_queue_counts_documents_by_review_status(client_for, project, lead, reviewed_states):
    page = queue(client_for(lead), project)

    assert counts(page) == {"pending": 2, "in progress": 1, "done": 1}
    d0, d1, d2, d3, _ = reviewed_states
    assert queue_rows(page) == [
        [d0.title, "0.40", "Pending"],
        [d2.title, "0.67", "In progress"],
        [d1.title, "1.00", "Done"],
        [d3.title, "1.00", "Pending"],
    ]


@pytest.mark.parametrize(
    ("status", "expected"), [("pending", [0, 3]), ("in_progress", [2]), ("done", [1])]
)
def test_queue_status_filter_lists_only_that_status(
    client_for, project, lead, reviewed_states, status, expected
):
    page = queue(client_for(lead), project, f"?status={status}")

    assert queue_titles(page) == titles(reviewed_states[i] for i in expected)
    # The counts are the whole queue's, whatever the filter.
    assert counts(page) == {"pending": 2, "in progress": 1, "done": 1}


@pytest.mark.parametrize(("label", "expected"), [("ACTOR", [0, 2, 1]), ("LOCATION", [0, 2, 1, 3])])
def test_queue_label_filter_keeps_documents_where_someone_used_the_label(
    client_for, project, lead, queue_world, label, expected
):
    page = queue(client_for(lead), project, f"?label={label}")

    assert queue_titles(page) == titles(queue_world[i] for i in expected)


@pytest.mark.parametrize(
    ("annotator", "expected"), [("carol", [3]), ("bob", [0, 2, 1]), ("alice", [0, 2, 1, 3])]
)
def test_queue_annotator_filter_keeps_documents_that_annotator_submitted(
    client_for, project, lead, queue_world, annotator, expected
):
    page = queue(client_for(lead), project, f"?annotator={annotator}")

    assert queue_titles(page) == titles(queue_world[i] for i in expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?min_agreement=0.5", [2, 1, 3]),
        ("?max_agreement=0.5", [0]),
        ("?min_agreement=0.5&max_agreement=0.9", [2]),
        ("?min_agreement=0.4&max_agreement=0.4", [0]),  # both bounds included
    ],
)
def test_queue_agreement_filter_keeps_documents_in_the_range(
    client_for, project, lead, queue_world, query, expected
):
    page = queue(client_for(lead), project, query)

    assert queue_titles(page) == titles(queue_world[i] for i in expected)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?min_agreement=lots", "Agreement from: Enter a number."),
        ("?max_agreement=2", "Agreement to: Ensure this value is less than or equal to 1."),
        ("?status=finished", "Status: Select a valid choice. finished is not one of"),
        ("?annotator=" + "x" * 151, "Annotator: Ensure this value has at most 150 characters"),
    ],
)
def test_a_bad_filter_value_says_what_is_wrong_and_lists_nothing(
    client_for, project, lead, queue_world, query, error
):
    page = queue(client_for(lead), project, query)

    alert = re.search(r'<p class="notice error" role="alert">(.*?)</p>', page, re.DOTALL)
    assert alert, "the page says nothing about the bad filter"
    assert error in html.unescape(alert[1])
    # A filter that cannot be read shows nothing rather than everything, as if it applied.
    assert queue_titles(page) == []
    assert "review-counts" in page  # the rest of the page still works


def test_the_next_page_of_a_filtered_queue_keeps_the_filter(client_for, project, lead, team):
    """More than a page (50) of carol's documents: following "Next" must not drop the filter
    and show other annotators' documents."""
    documents = add_reports(project, 53)
    now = timezone.now()
    pairs = [(d, "carol") for d in documents[:51]] + [(d, "bob") for d in documents[51:]]
    Assignment.objects.bulk_create(
        Assignment(
            document=document,
            annotator=team[name],
            status=Assignment.Status.SUBMITTED,
            submitted_at=now,
        )
        for document, other in pairs
        for name in ("alice", other)
    )
    client = client_for(lead)

    first = queue(client, project, "?annotator=carol")
    following = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first)[1])
    second = queue(client, project, following)

    assert len(queue_titles(first)) == 50
    assert queue_titles(first) + queue_titles(second) == titles(documents[:51])


# Review the next document


def test_review_next_opens_the_pending_document_with_the_least_agreement(
    client_for, project, lead, queue_world
):
    d0, _, d2, _, _ = queue_world
    client = client_for(lead)
    next_url = reverse("review_next", args=[project.slug])

    assert client.post(next_url)["Location"] == url("review_document", d0)

    # d0 is being reviewed: no longer pending, the next is d2 (0.667).
    review_decide(document=d0, lead=lead, version=0, action="reject", group=1)
    assert client.post(next_url)["Location"] == url("review_document", d2)


def test_review_next_says_so_when_no_document_is_pending(client_for, project, lead, disputed):
    review_decide(document=disputed, lead=lead, version=0, action="reject", group=1)

    response = client_for(lead).post(reverse("review_next", args=[project.slug]), follow=True)

    assert response.redirect_chain == [(reverse("review_queue", args=[project.slug]), 302)]
    assert response.text.count("No document is waiting for review.") == 1


# The review page


def test_review_page_calls_the_annotators_a1_and_a2_not_by_name(client_for, lead, disputed):
    page = client_for(lead).get(url("review_document", disputed)).text

    assert "annotators A1, A2" in page
    assert "alice" not in page
    assert "bob" not in page
    # Group 0: alice's "Russia" against bob's "Russia struck", each under one pseudonym.
    group = conflict_item(page, 0)
    who = re.findall(r'<span class="who">([^<]*)</span>', group)
    assert sorted(who) == ["A1", "A2"]


def test_review_page_with_names_shows_the_usernames(client_for, lead, disputed):
    page = client_for(lead).get(url("review_document", disputed, names=1)).text

    assert "annotators alice, bob" in page
    group = text_of(conflict_item(page, 0))
    assert "ACTOR “Russia” alice" in group
    assert "ACTOR “Russia struck” bob" in group
    assert "no span: bob" in text_of(conflict_item(page, 1))
    assert "A1" not in page


def test_opening_the_review_page_changes_nothing(client_for, lead, disputed):
    client = client_for(lead)

    for query in ({}, {"names": 1}):
        response = client.get(url("review_document", disputed, **query))
        assert response.status_code == 200

    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()
    # The agreed span is shown as gold all the same.
    assert "“Idlib”" in response.text
    assert 'data-version="0"' in response.text


def test_a_document_not_submitted_by_k_annotators_has_no_review_page(
    client_for, project, lead, team, submit
):
    [document] = add_reports(project, 1)
    submit(team["alice"], FULL)

    assert client_for(lead).get(url("review_document", document)).status_code == 404


def test_a_decision_over_htmx_answers_with_the_review_part_at_the_new_version(
    client_for, lead, disputed
):
    response = decide(client_for(lead), disputed, version=0, action="accept", group=0, variant=1)

    assert response.status_code == 200
    body = response.text.strip()
    assert body.startswith('<div id="review"')  # the part, not a whole page
    assert "<html" not in body
    assert version_of(body) == 1
    assert "version 1" in body
    assert "(1 to decide of 2)" in body
    assert 'class="decided"' in conflict_item(body, 0)
    assert 'class="decided"' not in conflict_item(body, 1)
    assert 'data-current="1"' in body  # on to the next open conflict
    assert gold(disputed) == [("ACTOR", "Russia struck"), ("LOCATION", "Idlib")]


def test_a_decision_from_a_stale_page_gets_409_with_the_current_state(
    client_for, project, make_user, lead, disputed
):
    other = make_user("other_lead")
    membership_set(project=project, username="other_lead", role=Membership.Role.LEAD)
    review_decide(document=disputed, lead=other, version=0, action="reject", group=1)

    # The lead's page still says version 0.
    response = decide(client_for(lead), disputed, version=0, action="accept", group=1, variant=0)

    assert response.status_code == 409
    assert STALE in response.text
    assert version_of(response.text) == 1
    assert 'class="decided"' in conflict_item(response.text, 1)  # the other lead's decision
    assert gold(disputed) == [("LOCATION", "Idlib")]  # Aleppo stays rejected


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"action": "accept", "group": 7, "variant": 0}, "There is no such conflict"),
        ({"action": "reject"}, "There is no such conflict"),
        ({"action": "accept", "group": "first", "variant": 0}, "'group' must be a whole number"),
        ({"action": "accept", "group": 0, "variant": 5}, "The conflict has no such variant"),
        ({"action": "approve", "group": 0}, "Unknown action 'approve'"),
    ],
)
def test_a_refused_decision_gets_400_with_the_reason_and_changes_nothing(
    client_for, lead, disputed, fields, error
):
    response = decide(client_for(lead), disputed, version=0, **fields)

    assert response.status_code == 400
    assert error in html.unescape(response.text)
    assert version_of(response.text) == 0
    assert not Review.objects.exists()
    assert not GoldSpan.objects.exists()


def test_without_htmx_a_decision_goes_back_to_the_review_page_with_the_error(
    client_for, lead, disputed
):
    client = client_for(lead)
    decide(client, disputed, htmx=False, version=0, action="reject", group=1)

    response = client.post(
        url("review_decision", disputed),
        {"version": 0, "action": "reject", "group": 0},
        follow=True,
    )

    assert response.redirect_chain == [(url("review_document", disputed), 302)]
    assert STALE in response.text
    assert gold(disputed) == [("LOCATION", "Idlib")]
    assert Review.objects.get().version == 1


def test_finishing_with_open_conflicts_says_which_and_stays_on_the_page(client_for, lead, disputed):
    response = client_for(lead).post(url("review_finish", disputed), {"version": 0}, follow=True)

    assert response.redirect_chain == [(url("review_document", disputed), 302)]
    # Said once, as an error.
    message = "2 conflicts still to decide: “Russia struck”, “Aleppo”."
    assert response.text.count(message) == 1
    assert f'<li class="message error">{message}</li>' in response.text
    assert not Review.objects.filter(status=Review.Status.DONE).exists()


def decide_all(client, document):
    """Through the page: accept "Russia" (group 0, variant 0), reject Aleppo (group 1)."""
    assert (
        decide(client, document, version=0, action="accept", group=0, variant=0).status_code == 200
    )
    assert decide(client, document, version=1, action="reject", group=1).status_code == 200
    return 2


def test_finishing_a_decided_review_marks_it_done_and_opens_the_next_pending_document(
    client_for, project, lead, team, submit
):
    first, second = add_reports(project, 2)
    submit(team["alice"], FULL)
    submit(team["alice"], FULL)
    submit(team["bob"], PARTIAL)  # first: F1 0.4
    submit(team["bob"], FULL)  # second: agreed throughout
    client = client_for(lead)
    version = decide_all(client, first)

    response = client.post(url("review_finish", first), {"version": version}, follow=True)

    assert response.redirect_chain == [(url("review_document", second), 302)]
    assert response.text.count(f"“{first.title}” is adjudicated.") == 1
    review = Review.objects.get(document=first)
    assert review.status == Review.Status.DONE
    assert review.finished_at is not None
    assert gold(first) == [("ACTOR", "Russia"), ("LOCATION", "Idlib")]
    assert counts(queue(client, project)) == {"pending": 1, "in progress": 0, "done": 1}


def test_finishing_the_last_pending_document_goes_back_to_the_queue(
    client_for, project, lead, disputed
):
    client = client_for(lead)
    version = decide_all(client, disputed)

    response = client.post(url("review_finish", disputed), {"version": version}, follow=True)

    assert response.redirect_chain == [(reverse("review_queue", args=[project.slug]), 302)]
    assert f"“{disputed.title}” is adjudicated." in response.text
    assert counts(response.text) == {"pending": 0, "in progress": 0, "done": 1}


def test_a_done_review_can_be_reopened_and_decided_again(client_for, lead, disputed):
    client = client_for(lead)
    version = decide_all(client, disputed)
    client.post(url("review_finish", disputed), {"version": version})
    done = client.get(url("review_document", disputed)).text
    assert "This review is done" in done
    assert 'data-action="accept"' not in done

    response = client.post(url("review_reopen", disputed), {"version": version + 1}, follow=True)

    assert response.redirect_chain == [(url("review_document", disputed), 302)]
    assert Review.objects.get().status == Review.Status.IN_PROGRESS
    page = response.text
    assert "This review is done" not in page
    assert 'id="finish-form"' in page
    assert gold(disputed) == [("ACTOR", "Russia"), ("LOCATION", "Idlib")]  # the gold stays
    # Decisions are taken again: "Russia struck" as well.
    again = decide(client, disputed, version=version + 2, action="accept", group=0, variant=1)
    assert again.status_code == 200
    assert ("ACTOR", "Russia struck") in gold(disputed)


def test_finishing_from_a_stale_page_gets_409_with_the_current_state(
    client_for, project, make_user, lead, disputed
):
    other = make_user("other_lead")
    membership_set(project=project, username="other_lead", role=Membership.Role.LEAD)
    client = client_for(lead)
    version = decide_all(client, disputed)
    review_decide(document=disputed, lead=other, version=version, action="undo")

    response = client.post(url("review_finish", disputed), {"version": version})

    assert response.status_code == 409
    assert STALE in response.text
    assert version_of(response.text) == version + 1
    assert Review.objects.get().status == Review.Status.IN_PROGRESS


def test_reopening_a_review_that_is_not_done_says_so(client_for, lead, disputed):
    client = client_for(lead)
    decide(client, disputed, version=0, action="reject", group=1)

    response = client.post(url("review_reopen", disputed), {"version": 1}, follow=True)

    assert response.text.count("Only a finished review can be reopened.") == 1
    assert Review.objects.get().status == Review.Status.IN_PROGRESS


def test_history_lists_the_decisions_in_order_and_marks_the_undone_one(client_for, lead, disputed):
    client = client_for(lead)
    decide(client, disputed, version=0, action="accept", group=0, variant=1)
    decide(client, disputed, version=1, action="reject", group=1, reason="guidelines")
    response = decide(client, disputed, version=2, action="undo")

    history = re.search(
        r'<ol class="history" data-testid="history">(.*?)</ol>', response.text, re.S
    )
    entries = [text_of(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", history[1], re.S)]
    assert [re.sub(r"^\S+ \S+ · ", "", entry) for entry in entries] == [
        "lead: Accepted ACTOR “Russia struck”",
        "lead: Rejected: no span at “Aleppo” (guidelines) (undone)",
        "lead: Undid: Rejected: no span at “Aleppo”",
    ]
    assert gold(disputed) == [("ACTOR", "Russia struck"), ("LOCATION", "Idlib")]
    assert "(1 to decide of 2)" in response.text
