"""One annotator, two tabs (or a page and a script) saving at the same moment: the same span,
spans that overlap, and a change to a span the other tab deletes. Exactly one result; the
other request is told why, never a 500 and never a second span."""

import json

import pytest
from django.urls import reverse

from annotator.models import Span
from annotator.services import assignment_next

from ..annotating import mark
from .conftest import STAGGER, at_once, phrase


def page_create(client, assignment, label, words):
    url = reverse("span_create", args=[assignment.document.project.slug, assignment.pk])
    data = {"label": label, **phrase(assignment.document.text, words)}
    return lambda: client.post(url, data)


def api_create(client, assignment, label, words):
    url = f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.pk}/spans/"
    data = {"label": label, **phrase(assignment.document.text, words)}
    return lambda: client.post(url, data, format="json")


def span_id(response, channel) -> int:
    if channel == "api":
        return response.json()["id"]
    return json.loads(response["HX-Trigger"])["spans-changed"]["id"]


@pytest.fixture
def tabs(browser_for, api_for, annotator):
    def make(channel):
        client_for = browser_for if channel == "page" else api_for
        return client_for(annotator), client_for(annotator)

    return make


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_same_span_from_two_tabs_is_one_span(project, annotator, documents, tabs, channel):
    create = page_create if channel == "page" else api_create
    assignment = assignment_next(project=project, annotator=annotator)
    first_tab, second_tab = tabs(channel)
    for stagger, label in zip(STAGGER, ["LOCATION", "ACTOR"] * 3, strict=False):
        first, second = at_once(
            create(first_tab, assignment, label, "Idlib"),
            create(second_tab, assignment, label, "Idlib"),
            delays=stagger,
        )
        assert first.error is None and second.error is None, (first.error, second.error)
        # The first to arrive made it (201); the other is given that same span (200).
        assert sorted([first.value.status_code, second.value.status_code]) == [200, 201]
        assert span_id(first.value, channel) == span_id(second.value, channel)
        assert list(assignment.spans.values_list("label__key", flat=True)) == [label]
        assignment.spans.all().delete()


@pytest.mark.parametrize("channel", ["page", "api"])
def test_overlapping_spans_from_two_tabs_one_is_kept_the_other_told_why(
    project, annotator, documents, tabs, channel
):
    create = page_create if channel == "page" else api_create
    assignment = assignment_next(project=project, annotator=annotator)
    first_tab, second_tab = tabs(channel)
    for stagger in STAGGER:
        first, second = at_once(
            create(first_tab, assignment, "LOCATION", "Idlib"),
            create(second_tab, assignment, "LOCATION", "Idlib and Aleppo"),
            delays=stagger,
        )
        assert first.error is None and second.error is None, (first.error, second.error)
        statuses = sorted([first.value.status_code, second.value.status_code])
        assert statuses == [201, 400]
        loser = first.value if first.value.status_code == 400 else second.value
        message = loser.json()["start"][0] if channel == "api" else loser.text
        assert "overlaps the Location span" in message
        assert assignment.spans.count() == 1
        assignment.spans.all().delete()


def span_url(name, assignment, span):
    return reverse(name, args=[assignment.document.project.slug, assignment.pk, span.pk])


# A change in one tab to the span the other tab deletes: (the change, what it looks like).
CHANGES = {
    "relabel": lambda client, assignment, span: client.post(
        span_url("span_update", assignment, span), {"label": "ACTOR"}
    ),
    "attributes": lambda client, assignment, span: client.post(
        span_url("span_attributes", assignment, span), {"feature_type": "region"}
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_a_span_the_other_tab_deletes_is_told_it_is_gone(
    project, annotator, documents, browser_for, change
):
    assignment = assignment_next(project=project, annotator=annotator)
    first_tab, second_tab = browser_for(annotator), browser_for(annotator)
    for stagger in STAGGER:
        mark(project, assignment, [("LOCATION", "Idlib")])
        span = assignment.spans.get()
        changed, deleted = at_once(
            lambda span=span: CHANGES[change](first_tab, assignment, span),
            lambda span=span: second_tab.post(span_url("span_delete", assignment, span)),
            delays=stagger,
        )
        assert changed.error is None and deleted.error is None, (changed.error, deleted.error)
        assert deleted.value.status_code == 200
        assert not Span.objects.filter(pk=span.pk).exists()
        if changed.value.status_code != 200:  # the delete came first
            assert changed.value.status_code == 404
            assert "deleted meanwhile" in changed.value.text
