"""An annotator never receives another annotator's spans through the API: not in a list, a
detail, an error body or a count. The other annotator's span carries a unique sentinel."""

from annotator.models import Span

from .conftest import at

SENTINEL = "SENTINEL-api-4c1d-other-annotators-work"


def test_no_api_response_to_an_annotator_contains_another_annotators_work(
    api_for, project, document, annotator, second_annotator
):
    theirs_api = api_for(second_annotator)
    theirs = theirs_api.post(f"/api/projects/{project.slug}/next/").json()
    their_span = Span.objects.create(
        assignment_id=theirs["id"],
        label=project.labels.get(key="ACTOR"),
        attributes={"note": SENTINEL},
        **at("Pro-Assad"),
    )

    api = api_for(annotator)
    base = f"/api/projects/{project.slug}"
    mine = api.post(f"{base}/next/")
    assert mine.json()["document"]["id"] == theirs["document"]["id"]  # the same document
    own = f"{base}/assignments/{mine.json()['id']}"
    created = api.post(f"{own}/spans/", {"label": "LOCATION", **at("Idlib")}, format="json")
    their_assignment = f"{base}/assignments/{theirs['id']}"
    responses = [
        mine,
        created,
        api.get("/api/projects/"),
        api.get(f"{base}/"),
        api.get(f"{base}/labels/"),
        api.get(f"{base}/assignments/"),
        api.get(f"{own}/"),
        api.get(f"{own}/spans/"),
        api.get(f"{own}/spans/{created.json()['id']}/"),
        # Overlapping their span is allowed: it is not there for this annotator.
        api.post(f"{own}/spans/", {"label": "ACTOR", **at("Pro-Assad")}, format="json"),
        # Their objects, addressed directly: 404, nothing revealed.
        api.get(f"{their_assignment}/"),
        api.get(f"{their_assignment}/spans/"),
        api.get(f"{own}/spans/{their_span.id}/"),
        api.patch(f"{own}/spans/{their_span.id}/", {"label": "LOCATION"}, format="json"),
        api.delete(f"{own}/spans/{their_span.id}/"),
        # Lead-only views of the document: refused without detail.
        api.get(f"{base}/documents/{theirs['document']['id']}/spans/"),
        api.get(f"{base}/documents/{theirs['document']['id']}/assignments/"),
        api.get(f"{base}/members/"),
    ]
    statuses = [response.status_code for response in responses]
    assert statuses[:10] == [200, 201, 200, 200, 200, 200, 200, 200, 200, 201]
    assert statuses[10:15] == [404, 404, 404, 404, 404]
    assert statuses[15:] == [403, 403, 403]
    for response in responses:
        body = response.content.decode()
        assert SENTINEL not in body
        assert "annotator2" not in body
    assert [span["id"] for span in responses[7].json()["results"]] == [created.json()["id"]]
    assert Span.objects.filter(pk=their_span.pk, label__key="ACTOR").exists()
