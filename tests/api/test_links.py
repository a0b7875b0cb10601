import pytest

from annotator.models import SpanLink

from .conftest import at


@pytest.fixture
def marked(project, document, annotator, api_for):
    """The annotator's assignment with a figure, a place and an actor: (api, base, span ids)."""
    api = api_for(annotator)
    assignment = api.post(f"/api/projects/{project.slug}/next/").json()
    base = f"/api/projects/{project.slug}/assignments/{assignment['id']}/"
    ids = {}
    for label, phrase in (
        ("CASUALTY_FIGURE", "at least 16 civilians"),
        ("LOCATION", "Idlib"),
        ("ACTOR", "Pro-Assad"),
    ):
        ids[phrase] = api.post(
            base + "spans/", {"label": label, **at(phrase)}, format="json"
        ).json()["id"]
    return api, base, ids


def test_a_link_is_made_listed_and_removed(marked):
    api, base, ids = marked
    made = api.post(
        base + "links/",
        {"source": ids["at least 16 civilians"], "target": ids["Pro-Assad"], "kind": "perpetrator"},
        format="json",
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["source"], body["target"], body["kind"]) == (
        ids["at least 16 civilians"],
        ids["Pro-Assad"],
        "perpetrator",
    )
    listed = api.get(base + "links/").json()["results"]
    assert [link["id"] for link in listed] == [body["id"]]
    assert api.delete(base + f"links/{body['id']}/").status_code == 204
    assert not SpanLink.objects.exists()
    assert api.delete(base + f"links/{body['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("source", "target", "kind", "field"),
    [
        ("Idlib", "at least 16 civilians", "located_at", "source"),
        ("at least 16 civilians", "Pro-Assad", "located_at", "target"),
        ("at least 16 civilians", "Idlib", "nearby", "kind"),
    ],
)
def test_a_wrong_link_is_a_400_naming_the_field(marked, source, target, kind, field):
    api, base, ids = marked
    response = api.post(
        base + "links/", {"source": ids[source], "target": ids[target], "kind": kind}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not SpanLink.objects.exists()


def test_a_duplicate_is_refused_and_another_annotators_span_is_a_404(
    marked, project, second_annotator, api_for
):
    api, base, ids = marked
    link = {"source": ids["at least 16 civilians"], "target": ids["Idlib"], "kind": "located_at"}
    assert api.post(base + "links/", link, format="json").status_code == 201
    again = api.post(base + "links/", link, format="json")
    assert again.status_code == 400
    assert "already linked" in again.json()["target"][0]
    other = api_for(second_annotator)
    theirs = other.post(f"/api/projects/{project.slug}/next/").json()
    their_span = other.post(
        f"/api/projects/{project.slug}/assignments/{theirs['id']}/spans/",
        {"label": "LOCATION", **at("Idlib")},
        format="json",
    ).json()["id"]
    foreign = {**link, "target": their_span}
    assert api.post(base + "links/", foreign, format="json").status_code == 404
    assert other.get(base + "links/").status_code == 404
