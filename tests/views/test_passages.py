import pytest
from django.urls import reverse

from annotator.models import GoldSpan
from annotator.services import assignment_next, assignment_submit, span_create
from annotator.services.ignored import ignored_region_add
from annotator.services.passages import passages_refresh

from ..annotating import adjudicate, import_texts, mark, phrase_at

SHARED = "Pro-Assad warplanes struck the town of Maarat al-Numan, killing at least 16 civilians."
SECRET = "SENTINEL-a-colleagues-span"


@pytest.fixture
def documents(project):
    documents = import_texts(
        project,
        [
            f"Monday\n{SHARED}\nThe White Helmets said rescuers were still searching.",
            f"Tuesday\n{SHARED}\nNothing else was said about {SECRET} that day.",
            "An unrelated report about the weather in Damascus that shares nothing.",
        ],
    )
    passages_refresh(project=project)
    return documents


def test_leads_see_each_cluster_with_its_documents_and_first_words(
    client, lead, project, documents
):
    client.force_login(lead)
    response = client.get(reverse("passage_list", args=[project.slug]))
    assert response.status_code == 200
    page = response.text
    assert 'Shared passages <span class="muted">(1)</span>' in page
    assert "“Pro-Assad warplanes struck the town of Maarat al-Numan, killing at least 16 …”" in page
    assert "word for word" in page
    for document in documents[:2]:
        assert reverse("document_detail", args=[project.slug, document.pk]) in page
    assert reverse("document_detail", args=[project.slug, documents[2].pk]) not in page


def test_the_project_page_links_to_the_clusters(client, lead, project):
    client.force_login(lead)
    page = client.get(reverse("project_detail", args=[project.slug])).text
    assert reverse("passage_list", args=[project.slug]) in page


def test_annotators_cannot_see_the_clusters(client, annotator, project):
    client.force_login(annotator)
    assert client.get(reverse("passage_list", args=[project.slug])).status_code == 403


def annotate_page(client, user, project):
    client.force_login(user)
    assignment = assignment_next(project=project, annotator=user)
    response = client.get(reverse("annotate_document", args=[project.slug, assignment.pk]))
    assert response.status_code == 200
    return assignment, response.text


def test_the_annotate_page_marks_a_shared_paragraph(client, annotator, project, documents):
    assignment, page = annotate_page(client, annotator, project)
    other = documents[1] if assignment.document == documents[0] else documents[0]
    assert f'<span class="shared-passage" data-also-in="Also in document {other.pk}">' in page
    assert f"also in document {other.pk}" in page
    # An annotator learns where else the paragraph is, not what is there or who marked it.
    assert reverse("document_detail", args=[project.slug, other.pk]) not in page
    assert SECRET not in page.replace(assignment.document.text, "")


def test_the_shared_mark_leaves_the_text_as_it_is(client, annotator, project, documents):
    assignment, page = annotate_page(client, annotator, project)
    start, end = phrase_at(assignment.document, "16 civilians")
    span_create(
        assignment=assignment,
        label=project.labels.get(key="CASUALTY_FIGURE"),
        start=start,
        end=end,
    )
    page = client.get(reverse("annotate_document", args=[project.slug, assignment.pk])).text
    # The span's mark sits inside the paragraph's wrapper, with the same offsets.
    wrapper = page.index('class="shared-passage"')
    assert page.index(f'data-start="{start}" data-end="{end}"', wrapper) > wrapper


# Review: gold decided in another copy of the paragraph ---------------------------------------

REPORT_A = f"Monday\n{SHARED} Russia denied it.\nRescuers searched in Idlib."
REPORT_B = f"Tuesday\n{SHARED} Russia denied it.\nMore strikes hit Aleppo overnight."


@pytest.fixture
def copies(project, team, lead, django_capture_on_commit_callbacks):
    """Reports A (Russia agreed) and B (a conflict of its own), both submitted by the same
    two annotators and waiting for review."""
    first, second = import_texts(project, [REPORT_A, REPORT_B])
    passages_refresh(project=project)
    marks = {
        first.pk: {"alice": [("ACTOR", "Russia")], "bob": [("ACTOR", "Russia")]},
        second.pk: {"alice": [("LOCATION", "Aleppo")], "bob": []},
    }
    for name in ("alice", "bob"):
        for _ in range(2):
            assignment = assignment_next(project=project, annotator=team[name])
            mark(project, assignment, marks[assignment.document.pk][name])
            with django_capture_on_commit_callbacks(execute=True):
                assignment_submit(assignment=assignment)
    return first, second


def test_review_offers_the_gold_decided_in_another_copy(client, lead, project, copies):
    first, second = copies
    adjudicate(first, lead)
    client.force_login(lead)
    page = client.get(reverse("review_document", args=[project.slug, second.pk])).text
    start, end = phrase_at(second, "Russia")
    assert f"decided in document {first.pk}" in page
    assert f'data-action="add" data-start="{start}" data-end="{end}"' in page
    assert 'data-label="ACTOR"' in page


def test_accepting_the_offer_makes_it_gold_and_withdraws_it(client, lead, project, copies):
    first, second = copies
    adjudicate(first, lead)
    client.force_login(lead)
    start, end = phrase_at(second, "Russia")
    response = client.post(
        reverse("review_decision", args=[project.slug, second.pk]),
        {"action": "add", "start": start, "end": end, "label": "ACTOR", "version": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert GoldSpan.objects.filter(document=second, start=start, end=end).exists()
    assert f"decided in document {first.pk}" not in response.text


def test_a_copy_still_in_review_offers_nothing(client, lead, project, copies):
    _, second = copies
    client.force_login(lead)
    page = client.get(reverse("review_document", args=[project.slug, second.pk])).text
    assert "Decided elsewhere" not in page


def test_nothing_is_offered_in_text_ignored_in_this_copy(client, lead, project, copies):
    first, second = copies
    adjudicate(first, lead)
    start, _ = phrase_at(second, SHARED)
    _, end = phrase_at(second, "Russia denied it.")
    ignored_region_add(document=second, start=start, end=end, reason="link")
    client.force_login(lead)
    page = client.get(reverse("review_document", args=[project.slug, second.pk])).text
    assert "Decided elsewhere" not in page
