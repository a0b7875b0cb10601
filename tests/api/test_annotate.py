import pytest

from annotator.domain.labels import LabelSpec
from annotator.models import Assignment, Span
from annotator.services import project_create

from .conftest import REPORT, at


@pytest.fixture
def api(api_for, annotator):
    return api_for(annotator)


@pytest.fixture
def assignment(api, project, document):
    response = api.post(f"/api/projects/{project.slug}/next/")
    assert response.status_code == 200
    return Assignment.objects.get(pk=response.json()["id"])


def spans_url(assignment):
    return f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.id}/spans/"


def test_next_gives_the_document_with_its_text(api, project, document):
    body = api.post(f"/api/projects/{project.slug}/next/").json()
    assert body["document"]["text"] == REPORT
    assert body["status"] == "assigned"
    assert body["spans"] == []


def test_next_when_nothing_is_left_is_204(api, project):
    assert api.post(f"/api/projects/{project.slug}/next/").status_code == 204


def test_create_list_update_delete_a_span(api, assignment):
    created = api.post(
        spans_url(assignment),
        {"label": "CASUALTY_FIGURE", **at("at least 16 civilians")},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["text"], body["label"]) == ("at least 16 civilians", "CASUALTY_FIGURE")
    assert body["attributes"]["value"] == 16
    listed = api.get(spans_url(assignment)).json()
    assert [span["id"] for span in listed["results"]] == [body["id"]]
    detail = f"{spans_url(assignment)}{body['id']}/"
    patched = api.patch(
        detail,
        {"attributes": {"outcome": "killed", "qualifier": "at_least", "value": 16}},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["attributes"]["value_low"] == 16
    relabelled = api.patch(detail, {"label": "ACTOR"}, format="json").json()
    assert relabelled["label"] == "ACTOR"
    assert api.delete(detail).status_code == 204
    assert Span.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "LOCATION", "start": "five", "end": 10}, "start"),
        ({"label": "LOCATION", "start": 1.5, "end": 10}, "start"),
        ({"label": "LOCATION", "start": -1, "end": 10}, "start"),
        ({"label": "LOCATION", "start": 10, "end": 10}, "end"),
        ({"label": "LOCATION", "start": 10, "end": 5}, "end"),
        ({"label": "LOCATION", "start": 0, "end": len(REPORT) + 1}, "end"),
        ({"label": "NOT_A_LABEL", "start": 0, "end": 3}, "label"),
        ({"label": "LOCATION", "start": 0, "end": 3, "colour": "red"}, "colour"),
        ({"start": 0, "end": 3}, "label"),
        ({"label": "LOCATION", "start": 0, "end": 3, "attributes": [1]}, "attributes"),
        ({"label": "LOCATION", "start": 0, "end": 3, "attributes": {"role": "x"}}, "attributes"),
        ({"label": "LOC\u0000ATION", "start": 0, "end": 3}, "label"),
    ],
)
def test_bad_span_is_a_400_naming_the_field(api, assignment, body, field):
    response = api.post(spans_url(assignment), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Span.objects.count() == 0


def test_a_label_of_another_project_is_refused(api, assignment):
    weapon = LabelSpec(key="WEAPON", name="Weapon", shortcut="w", colour="#333333", description="")
    project_create(slug="other", name="Other", labels=[weapon])
    response = api.post(
        spans_url(assignment), {"label": "WEAPON", "start": 0, "end": 3}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"label": ["Not a label of this project."]}


def test_non_json_body_is_415(api, assignment):
    response = api.post(
        spans_url(assignment),
        "label=LOCATION&start=0&end=3",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415


def test_server_side_fields_cannot_be_set(api, assignment):
    response = api.post(
        spans_url(assignment),
        {"label": "LOCATION", **at("Idlib"), "id": 999, "assignment": 1},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"id", "assignment"}


def test_the_same_span_again_is_200_with_that_span(api, assignment):
    data = {"label": "LOCATION", **at("Idlib")}
    first = api.post(spans_url(assignment), data, format="json")
    again = api.post(spans_url(assignment), data, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()


def test_submit_then_changes_are_409(api, assignment):
    submit = f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.id}/submit/"
    assert api.post(submit).json()["status"] == "submitted"
    again = api.post(submit)
    assert again.status_code == 409
    assert "already submitted" in again.json()["detail"]
    response = api.post(spans_url(assignment), {"label": "LOCATION", **at("Idlib")}, format="json")
    assert response.status_code == 409
    assert "submitted" in response.json()["detail"]


def test_submit_with_an_incomplete_figure_is_409(api, assignment):
    api.post(
        spans_url(assignment),
        {"label": "CASUALTY_FIGURE", **at("at least 16 civilians")},
        format="json",
    )
    submit = f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.id}/submit/"
    response = api.post(submit)
    assert response.status_code == 409
    assert "required attributes" in response.json()["detail"]


def test_skip_needs_a_reason(api, assignment):
    skip = f"/api/projects/{assignment.document.project.slug}/assignments/{assignment.id}/skip/"
    assert api.post(skip, {}, format="json").json() == {"reason": ["This field is required."]}
    assert api.post(skip, {"reason": "duplicate"}, format="json").json()["status"] == "skipped"


def test_assignment_list_filters_by_status_from_an_allowlist(api, assignment):
    base = f"/api/projects/{assignment.document.project.slug}/assignments/"
    assert len(api.get(base + "?status=assigned").json()["results"]) == 1
    assert api.get(base + "?status=submitted").json()["results"] == []
    assert api.get(base + "?status=everything").status_code == 400
    assert api.get(base + "?document__text__icontains=x").json() == {
        "document__text__icontains": ["Unknown query parameter."]
    }


def test_another_annotators_assignment_and_spans_are_404(
    api_for, assignment, second_annotator, project
):
    span = (
        api_for(assignment.annotator)
        .post(spans_url(assignment), {"label": "LOCATION", **at("Idlib")}, format="json")
        .json()
    )
    other = api_for(second_annotator)
    detail = f"/api/projects/{project.slug}/assignments/{assignment.id}/"
    for response in (
        other.get(detail),
        other.get(spans_url(assignment)),
        other.get(f"{spans_url(assignment)}{span['id']}/"),
        other.patch(f"{spans_url(assignment)}{span['id']}/", {"label": "ACTOR"}, format="json"),
        other.delete(f"{spans_url(assignment)}{span['id']}/"),
        other.post(detail + "submit/"),
    ):
        assert response.status_code == 404
    assert Span.objects.get().label.key == "LOCATION"
