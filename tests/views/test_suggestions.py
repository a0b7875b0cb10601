import pytest
from django.urls import reverse

from annotator.domain.suggest import STARTER_GAZETTEER
from annotator.models import GazetteerEntry
from annotator.services import gazetteer_entry_save


@pytest.fixture
def as_lead(client_for, lead):
    return client_for(lead)


def url(name, project, *extra):
    return reverse(name, args=[project.slug, *extra])


@pytest.fixture
def russia(project):
    return gazetteer_entry_save(
        project=project,
        label=project.labels.get(key="ACTOR"),
        name="Russia",
        aliases=["Russian forces"],
        attributes={"actor_type": "foreign_state"},
    )


def test_the_page_lists_the_gazetteer_by_label(as_lead, project, russia):
    page = as_lead.get(url("suggestions_settings", project)).text
    assert 'data-testid="gazetteer-ACTOR"' in page
    assert "Russian forces" in page and "actor_type=foreign_state" in page
    assert 'data-testid="gazetteer-LOCATION"' not in page
    assert "No document has been reviewed yet" in page


def test_the_project_page_links_to_it_for_leads_only(client_for, project, lead, annotator):
    link = url("suggestions_settings", project)
    assert link in client_for(lead).get(url("project_detail", project)).text
    assert link not in client_for(annotator).get(url("project_detail", project)).text


def test_annotators_are_refused(client_for, project, annotator):
    assert client_for(annotator).get(url("suggestions_settings", project)).status_code == 403
    response = client_for(annotator).post(url("gazetteer_starter_add", project))
    assert response.status_code == 403
    assert not GazetteerEntry.objects.exists()


def test_leads_turn_suggestions_off_and_on(as_lead, project):
    response = as_lead.post(url("suggestions_switch", project), {}, follow=True)
    assert "Suggestions are turned off." in response.text
    project.refresh_from_db()
    assert not project.suggestions_enabled
    as_lead.post(url("suggestions_switch", project), {"enabled": "on"})
    project.refresh_from_db()
    assert project.suggestions_enabled


def test_an_entry_is_added_with_its_aliases_and_attributes(as_lead, project):
    response = as_lead.post(
        url("gazetteer_entry_add", project),
        {
            "label": "LOCATION",
            "name": "Maarat al-Numan",
            "aliases": "Maaret al-Numan, Ma'arrat al-Nu'man",
            "attributes": "feature_type=populated_place",
        },
    )
    assert response.status_code == 302
    entry = GazetteerEntry.objects.get()
    assert entry.aliases == ["Maaret al-Numan", "Ma'arrat al-Nu'man"]
    assert entry.attributes == {"feature_type": "populated_place"}


def test_a_bad_attribute_value_is_shown_and_nothing_saved(as_lead, project):
    response = as_lead.post(
        url("gazetteer_entry_add", project),
        {"label": "ACTOR", "name": "Wagner", "attributes": "actor_type=mercenary"},
    )
    assert response.status_code == 400
    assert "&#x27;mercenary&#x27; is not one of" in response.text
    assert 'value="Wagner"' in response.text  # what the lead typed is kept
    assert not GazetteerEntry.objects.exists()


def test_an_entry_is_edited(as_lead, project, russia):
    page = as_lead.get(url("gazetteer_entry_edit", project, russia.pk)).text
    assert 'value="Russian forces"' in page
    response = as_lead.post(
        url("gazetteer_entry_edit", project, russia.pk),
        {"label": "ACTOR", "name": "Russia", "aliases": "Moscow", "attributes": ""},
    )
    assert response.status_code == 302
    russia.refresh_from_db()
    assert (russia.aliases, russia.attributes) == (["Moscow"], {})


def test_an_entry_is_deleted(as_lead, project, russia):
    response = as_lead.post(url("gazetteer_entry_remove", project, russia.pk))
    assert response.status_code == 302
    assert not GazetteerEntry.objects.exists()


def test_the_starter_list_is_added_once(as_lead, project):
    first = as_lead.post(url("gazetteer_starter_add", project), follow=True)
    assert f"Added {len(STARTER_GAZETTEER)} entries" in first.text
    again = as_lead.post(url("gazetteer_starter_add", project), follow=True)
    assert "every entry of the starter list" in again.text
    assert GazetteerEntry.objects.count() == len(STARTER_GAZETTEER)


def test_the_page_shows_quality_against_gold_and_accepted_spans(as_lead, project, reviewed):
    as_lead.post(url("gazetteer_starter_add", project))
    page = as_lead.get(url("suggestions_settings", project)).text
    assert "gold of 2 reviewed documents" in page
    assert '<tr data-label="LOCATION">' in page
    assert "0 of 15 spans in this project were accepted from a suggestion" in page
