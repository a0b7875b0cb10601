import io
import json

import pytest
from django.urls import reverse

from annotator.models import Assignment, Membership, Span
from annotator.services import (
    assignment_next,
    document_import,
    membership_set,
    span_create,
)

TEXT = "Headline <b>bold</b>\r\nAt least 16 civilians were killed in Idlib 👩‍👧.\r\n"
SENTINEL = "SENTINEL-7f3a-other-annotators-work"


@pytest.fixture
def assignment(project, annotator):
    document_import(project=project, files=[("a.txt", io.BytesIO(TEXT.encode()))])
    return assignment_next(project=project, annotator=annotator)


@pytest.fixture
def as_annotator(client, annotator):
    client.force_login(annotator)
    return client


def url(name, assignment, *extra):
    return reverse(name, args=[assignment.document.project.slug, assignment.id, *extra])


def location(assignment, phrase="Idlib"):
    start = TEXT.index(phrase)
    label = assignment.document.project.labels.get(key="LOCATION")
    return span_create(assignment=assignment, label=label, start=start, end=start + len(phrase))


def htmx(**headers):
    return {"HTTP_HX_REQUEST": "true", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}


# The queue ------------------------------------------------------------------------------------


def test_next_document_opens_the_annotate_page(as_annotator, project, assignment):
    response = as_annotator.post(reverse("annotate_next", args=[project.slug]))
    assert response.status_code == 302
    assert response["Location"] == url("annotate_document", assignment)


def test_next_document_when_none_is_left_says_so(as_annotator, project):
    response = as_annotator.post(reverse("annotate_next", args=[project.slug]), follow=True)
    assert "No documents are waiting for you" in response.text


def test_next_document_needs_a_post(as_annotator, project):
    assert as_annotator.get(reverse("annotate_next", args=[project.slug])).status_code == 405


def test_home_shows_progress_and_the_next_button(as_annotator, project, assignment):
    page = as_annotator.get(reverse("home")).text
    assert "<strong>0</strong> submitted" in page
    assert "<strong>1</strong> in progress" in page
    assert 'data-testid="next-document"' in page
    assert "Continue" in page


def test_leads_do_not_annotate(client, lead, project):
    client.force_login(lead)
    assert client.post(reverse("annotate_next", args=[project.slug])).status_code == 403


# The page -------------------------------------------------------------------------------------


def test_page_draws_text_exactly_with_spans_and_labels(as_annotator, assignment):
    span = location(assignment)
    page = as_annotator.get(url("annotate_document", assignment)).text
    assert "Headline &lt;b&gt;bold&lt;/b&gt;&#13;\nAt least 16 civilians were killed in " in page
    assert (
        f'<mark class="span span-last" data-span-id="{span.id}" data-start="{span.start}" '
        f'data-end="{span.end}" data-label="LOCATION"'
    ) in page
    assert 'data-label="CASUALTY_FIGURE"' in page  # palette
    assert 'data-testid="document-text"' in page and "hx-disable" in page
    assert "Mark <strong>every</strong> figure." in page  # guidelines dialog


def test_page_loads_the_span_list_after_itself(as_annotator, assignment):
    location(assignment)
    page = as_annotator.get(url("annotate_document", assignment)).text
    assert 'hx-trigger="load, spans-changed from:body delay:300ms"' in page
    assert "data-select-span=" not in page


def test_span_list_fragment_for_htmx(as_annotator, assignment):
    location(assignment)
    response = as_annotator.get(url("annotate_document", assignment), **htmx(hx_target="span-list"))
    assert response.text.lstrip().startswith('<section id="span-list"')
    assert "<html" not in response.text
    assert "Idlib" in response.text


def test_closed_assignment_is_read_only(as_annotator, assignment):
    assignment.status = Assignment.Status.SUBMITTED
    assignment.save()
    page = as_annotator.get(url("annotate_document", assignment)).text
    assert 'data-open="false"' in page
    assert "no longer change them" in page
    assert "submit-form" not in page


# Span changes ---------------------------------------------------------------------------------


def test_create_returns_the_item_and_announces_the_change(as_annotator, assignment):
    start = TEXT.index("Idlib")
    response = as_annotator.post(
        url("span_create", assignment),
        {"label": "LOCATION", "start": start, "end": start + 5},
        **htmx(),
    )
    assert response.status_code == 201
    span = Span.objects.get()
    assert f'id="span-{span.id}"' in response.text
    assert json.loads(response["HX-Trigger"]) == {
        "spans-changed": {
            "action": "created",
            "id": span.id,
            "start": start,
            "end": start + 5,
            "label": "LOCATION",
            "incomplete": False,
        }
    }


def test_create_twice_is_one_span(as_annotator, assignment):
    start = TEXT.index("Idlib")
    data = {"label": "LOCATION", "start": start, "end": start + 5}
    first = as_annotator.post(url("span_create", assignment), data)
    second = as_annotator.post(url("span_create", assignment), data)
    assert first.status_code == 201 and second.status_code == 200  # 200: it was already there
    assert json.loads(first["HX-Trigger"]) == json.loads(second["HX-Trigger"])
    assert Span.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": "LOCATION", "start": 5, "end": 999}, "end", "past the end of the text"),
        ({"label": "LOCATION", "start": "x", "end": 3}, "start", "whole number"),
        ({"label": "NOPE", "start": 0, "end": 3}, "label", "Choose one of this project"),
        ({"label": "LOCATION", "start": 0, "end": 3, "attributes": "{"}, "attributes", "JSON"),
    ],
)
def test_bad_span_is_a_400_naming_the_field(as_annotator, assignment, data, field, message):
    response = as_annotator.post(url("span_create", assignment), data)
    assert response.status_code == 400
    assert response["X-Error-Field"] == field
    assert message in response.text
    assert Span.objects.count() == 0


def test_overlap_is_refused_with_a_clear_message(as_annotator, assignment):
    location(assignment, "Idlib")
    start = TEXT.index("in Idlib")
    response = as_annotator.post(
        url("span_create", assignment), {"label": "ACTOR", "start": start, "end": start + 8}
    )
    assert response.status_code == 400
    assert "overlaps the Location span “Idlib”" in response.text


def test_changes_after_submit_are_409(as_annotator, assignment):
    span = location(assignment)
    assignment.status = Assignment.Status.SUBMITTED
    assignment.save()
    responses = [
        as_annotator.post(url("span_create", assignment), {"label": "ACTOR", "start": 0, "end": 8}),
        as_annotator.post(url("span_update", assignment, span.id), {"label": "ACTOR"}),
        as_annotator.post(url("span_delete", assignment, span.id)),
        as_annotator.post(url("span_attributes", assignment, span.id), {"role": "other"}),
    ]
    assert [r.status_code for r in responses] == [409, 409, 409, 409]
    assert "submitted" in responses[0].text
    assert Span.objects.get().label.key == "LOCATION"


def test_relabel(as_annotator, assignment):
    span = location(assignment)
    response = as_annotator.post(url("span_update", assignment, span.id), {"label": "ACTOR"})
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"])["spans-changed"]["label"] == "ACTOR"
    assert Span.objects.get().label.key == "ACTOR"


def test_delete_returns_what_undo_needs_and_repeats_harmlessly(as_annotator, assignment):
    span = location(assignment)
    response = as_annotator.post(url("span_delete", assignment, span.id))
    change = json.loads(response["HX-Trigger"])["spans-changed"]
    assert (change["action"], change["start"], change["label"]) == (
        "deleted",
        span.start,
        "LOCATION",
    )
    assert Span.objects.count() == 0
    assert as_annotator.post(url("span_delete", assignment, span.id)).status_code == 200


def test_undo_of_a_deleted_figure_recreates_its_attributes(as_annotator, assignment):
    start = TEXT.index("At least 16 civilians")
    data = {
        "label": "CASUALTY_FIGURE",
        "start": start,
        "end": start + 21,
        "attributes": json.dumps({"outcome": "killed", "qualifier": "at_least", "value": 16}),
    }
    assert as_annotator.post(url("span_create", assignment), data).status_code == 201
    assert Span.objects.get().attributes["value_low"] == 16


def test_attributes_panel_fragment_and_save(as_annotator, assignment):
    start = TEXT.index("At least 16 civilians")
    figure = assignment.document.project.labels.get(key="CASUALTY_FIGURE")
    span = span_create(assignment=assignment, label=figure, start=start, end=start + 21)
    panel = as_annotator.get(url("span_attributes", assignment, span.id), **htmx())
    assert panel.text.lstrip().startswith('<section id="span-detail"')
    assert "Required: outcome" in panel.text
    assert 'value="16"' in panel.text
    saved = as_annotator.post(
        url("span_attributes", assignment, span.id),
        {
            "outcome": "killed",
            "qualifier": "at_least",
            "value": "16",
            "victim_subgroup[]": ["women", "children"],
        },
        **htmx(),
    )
    assert saved.status_code == 200
    assert "Attributes saved." in saved.text
    assert json.loads(saved["HX-Trigger"])["spans-changed"]["incomplete"] is False
    assert Span.objects.get().attributes["victim_subgroup"] == ["children", "women"]


def test_bad_attributes_come_back_with_the_error_and_what_was_typed(as_annotator, assignment):
    span = location(assignment)
    label = assignment.document.project.labels.get(key="CASUALTY_FIGURE")
    span.label = label
    span.save()
    response = as_annotator.post(
        url("span_attributes", assignment, span.id),
        {"outcome": "killed", "value": "lots"},
        **htmx(),
    )
    assert response.status_code == 400
    assert "&#x27;lots&#x27; is not a whole number" in response.text
    assert 'value="lots"' in response.text
    assert "Attributes saved" not in response.text


# Submit and skip ------------------------------------------------------------------------------


def test_submit_goes_straight_to_the_next_document(as_annotator, project, assignment):
    document_import(project=project, files=[("b.txt", io.BytesIO(b"Second document"))])
    response = as_annotator.post(url("assignment_submit", assignment))
    following = Assignment.objects.exclude(pk=assignment.pk).get()
    assert response["Location"] == url("annotate_document", following)
    assignment.refresh_from_db()
    assert assignment.status == "submitted"


def test_a_second_submit_is_409_saying_it_was_already_submitted(as_annotator, assignment):
    as_annotator.post(url("assignment_submit", assignment))
    again = as_annotator.post(url("assignment_submit", assignment))
    assert again.status_code == 409
    assert "already submitted" in again.text
    assert "no longer change them" in again.text  # the page shows the submitted work
    assert Assignment.objects.filter(status="submitted").count() == 1


def test_a_change_to_a_span_deleted_in_another_tab_is_404_saying_so(as_annotator, assignment):
    span = location(assignment)
    as_annotator.post(url("span_delete", assignment, span.id))
    responses = [
        as_annotator.post(url("span_update", assignment, span.id), {"label": "ACTOR"}),
        as_annotator.post(url("span_attributes", assignment, span.id), {"role": "other"}),
    ]
    assert [r.status_code for r in responses] == [404, 404]
    assert all("deleted meanwhile" in r.text for r in responses)
    assert not Span.objects.exists()


def test_submit_with_an_incomplete_figure_stays_with_a_message(as_annotator, assignment):
    figure = assignment.document.project.labels.get(key="CASUALTY_FIGURE")
    start = TEXT.index("At least")
    span_create(assignment=assignment, label=figure, start=start, end=start + 21)
    response = as_annotator.post(url("assignment_submit", assignment), follow=True)
    assert "still lacks required attributes: “At least 16 civilians”" in response.text
    assignment.refresh_from_db()
    assert assignment.status == "assigned"


def test_skip_with_a_reason(as_annotator, assignment):
    response = as_annotator.post(
        url("assignment_skip", assignment),
        {"reason": "duplicate", "detail": "same as #4"},
        follow=True,
    )
    assert "Skipped." in response.text or "last document" in response.text
    assignment.refresh_from_db()
    assert (assignment.status, assignment.skip_reason) == (
        "skipped",
        "A duplicate of another document: same as #4",
    )


def test_skip_without_a_reason_is_refused(as_annotator, assignment):
    as_annotator.post(url("assignment_skip", assignment), {})
    assignment.refresh_from_db()
    assert assignment.status == "assigned"


def test_lead_releases_stale_assignments(client, lead, project, assignment):
    Assignment.objects.update(assigned_at=assignment.assigned_at.replace(year=2000))
    client.force_login(lead)
    response = client.post(reverse("assignments_release", args=[project.slug]), follow=True)
    assert "Released 1 assignment older than 7 days." in response.text
    assert Assignment.objects.get().status == "released"


# Blindness ------------------------------------------------------------------------------------


@pytest.fixture
def other_annotators_work(project, assignment, make_user):
    """Annotator 2 on the same document, whose span carries a unique sentinel."""
    other = make_user("annotator2")
    membership_set(project=project, username="annotator2", role=Membership.Role.ANNOTATOR)
    theirs = assignment_next(project=project, annotator=other)
    assert theirs.document == assignment.document
    start = TEXT.index("civilians")
    return Span.objects.create(
        assignment=theirs,
        label=project.labels.get(key="ACTOR"),
        start=start,
        end=start + 9,
        attributes={"note": SENTINEL},
    )


def test_an_annotator_never_receives_another_annotators_spans(
    as_annotator, project, assignment, other_annotators_work
):
    theirs = other_annotators_work
    own = location(assignment)
    responses = [
        as_annotator.get(reverse("home")),
        as_annotator.get(reverse("project_detail", args=[project.slug])),
        as_annotator.get(url("annotate_document", assignment)),
        as_annotator.get(url("annotate_document", assignment), **htmx(hx_target="span-list")),
        as_annotator.get(url("span_attributes", assignment, own.id), **htmx()),
        as_annotator.post(
            url("span_create", assignment),
            {"label": "ACTOR", "start": theirs.start, "end": theirs.end},
        ),
        # Their assignment and their span, addressed directly: 404, nothing revealed.
        as_annotator.get(url("annotate_document", theirs.assignment)),
        as_annotator.get(url("span_attributes", assignment, theirs.id)),
        as_annotator.post(url("span_delete", theirs.assignment, theirs.id)),
        as_annotator.post(url("span_update", assignment, theirs.id), {"label": "LOCATION"}),
    ]
    statuses = [response.status_code for response in responses]
    assert statuses[6:] == [404, 404, 404, 404]
    for response in responses:
        assert SENTINEL not in response.content.decode()
    page = responses[2].text
    assert f'data-span-id="{theirs.id}"' not in page
    assert 'Your spans <span class="muted">(1)' in responses[3].text
    assert Span.objects.filter(pk=theirs.pk).exists()


# Suggestions ----------------------------------------------------------------------------------


def test_page_outlines_suggestions_apart_from_the_span_list(as_annotator, assignment):
    page = as_annotator.get(url("annotate_document", assignment)).text
    start = TEXT.index("At least 16 civilians")
    assert f'data-start="{start}" data-end="{start + 21}" data-label="CASUALTY_FIGURE"' in page
    assert "&quot;value&quot;: 16" in page  # the attributes it pre-fills, escaped
    assert "js/suggestions.js" in page
    assert not Span.objects.exists()


def test_no_suggestions_when_the_project_turned_them_off(as_annotator, assignment, project):
    project.suggestions_enabled = False
    project.save()
    page = as_annotator.get(url("annotate_document", assignment)).text
    assert 'id="suggestions"' not in page


def test_no_suggestions_over_the_annotators_own_spans(as_annotator, assignment):
    start = TEXT.index("16 civilians")
    label = assignment.document.project.labels.get(key="CASUALTY_FIGURE")
    span_create(assignment=assignment, label=label, start=start, end=start + 2)
    page = as_annotator.get(url("annotate_document", assignment)).text
    assert 'data-label="CASUALTY_FIGURE" data-attributes' not in page


def test_an_accepted_suggestion_is_saved_as_such(as_annotator, assignment):
    start = TEXT.index("At least 16 civilians")
    response = as_annotator.post(
        url("span_create", assignment),
        {
            "label": "CASUALTY_FIGURE",
            "start": start,
            "end": start + 21,
            "attributes": json.dumps({"outcome": "killed", "value": 16}),
            "from_suggestion": "1",
        },
    )
    assert response.status_code == 201
    span = Span.objects.get()
    assert span.from_suggestion
    assert span.attributes["outcome"] == "killed"
    location(assignment)
    assert not Span.objects.get(label__key="LOCATION").from_suggestion
