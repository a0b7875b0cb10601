import re

import pytest
from django.test import Client
from django.urls import reverse

from annotator.models import AuditEvent, Invitation, Membership
from annotator.services import invitation_create, membership_set, project_create

LINK = re.compile(r'value="(http://testserver/invite/([-\w]+)/)"')


def members_url(project):
    return reverse("member_list", args=[project.slug])


def invite(client, project, **fields):
    return client.post(
        reverse("invitation_create", args=[project.slug]),
        {"role": "annotator", "valid_days": "7", **fields},
    )


def membership(user):
    return Membership.objects.get(user=user)


def test_the_page_lists_members_with_their_roles(client_for, project, lead, annotator):
    page = client_for(lead).get(members_url(project)).text
    rows = re.findall(r'<tr data-username="(\w+)">.*?<option value="(\w+)" selected', page, re.S)
    assert rows == [("annotator1", "annotator"), ("lead", "lead")]


def test_the_project_page_links_to_it_for_leads_only(client_for, project, lead, annotator):
    assert members_url(project) in client_for(lead).get(f"/projects/{project.slug}/").text
    assert members_url(project) not in client_for(annotator).get(f"/projects/{project.slug}/").text


def test_annotators_are_refused_and_outsiders_do_not_see_it(
    client_for, project, annotator, outsider
):
    assert client_for(annotator).get(members_url(project)).status_code == 403
    assert Client().get(members_url(project)).status_code == 302
    other = Client()
    other.force_login(outsider)
    assert other.get(members_url(project)).status_code == 404
    assert invite(other, project).status_code == 404
    assert not Invitation.objects.exists()


def test_a_new_invitation_link_is_shown_once_and_works(client_for, project, lead):
    client = client_for(lead)
    response = invite(client, project, note="Rima from the Aleppo group", role="lead")
    assert response.status_code == 200
    link, token = LINK.search(response.text).groups()
    assert "It is shown only now" in response.text
    # The link is not in the database, nor on the page when it is shown again.
    assert Invitation.objects.get().token_hash != token
    again = client.get(members_url(project)).text
    assert token not in again
    assert "Rima from the Aleppo group" in again and "Lead" in again
    invitation_page = Client().get(link)
    assert invitation_page.status_code == 200
    assert "Join Demo project" in invitation_page.text


@pytest.mark.parametrize(
    ("fields", "named"),
    [({"valid_days": "365"}, "The link works for"), ({"role": "owner"}, "Role")],
)
def test_a_bad_invitation_form_names_the_field_and_makes_nothing(
    client_for, project, lead, fields, named
):
    response = invite(client_for(lead), project, **fields)
    assert response.status_code == 400
    assert f"{named}: Select a valid choice." in response.text
    assert not Invitation.objects.exists()
    assert not LINK.search(response.text)


def test_withdrawing_an_invitation_stops_its_link(client_for, project, lead):
    invitation, token = invitation_create(project=project, role="annotator", created_by=lead)
    client = client_for(lead)
    response = client.post(
        reverse("invitation_revoke", args=[project.slug, invitation.pk]), follow=True
    )
    assert "its link no longer works" in response.text
    assert "None." in response.text  # no pending invitation left
    refused = Client().get(reverse("invitation_accept", args=[token]))
    assert refused.status_code == 410
    assert "withdrawn" in refused.text


def test_a_lead_changes_a_role(client_for, project, lead, annotator):
    response = client_for(lead).post(
        reverse("member_role", args=[project.slug, membership(annotator).pk]),
        {"role": "lead"},
        follow=True,
    )
    assert "annotator1 is now lead." in response.text
    assert membership(annotator).role == "lead"
    event = project.audit_events.get(action=AuditEvent.Action.ROLE_CHANGED)
    assert event.actor == lead


def test_the_last_lead_keeps_the_role_and_is_told_why(client_for, project, lead):
    client = client_for(lead)
    response = client.post(
        reverse("member_role", args=[project.slug, membership(lead).pk]),
        {"role": "annotator"},
        follow=True,
    )
    assert "the project&#x27;s only lead" in response.text
    response = client.post(
        reverse("member_remove", args=[project.slug, membership(lead).pk]), follow=True
    )
    assert "the project&#x27;s only lead and cannot leave" in response.text
    assert membership(lead).role == "lead"


def test_a_removed_member_loses_the_project(client_for, project, lead, annotator):
    target = membership(annotator).pk
    response = client_for(lead).post(reverse("member_remove", args=[project.slug, target]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=annotator).exists()
    former = Client()
    former.force_login(annotator)
    assert former.get(f"/projects/{project.slug}/").status_code == 404


def test_a_member_of_another_project_cannot_be_changed_from_here(
    client_for, project, lead, make_user
):
    elsewhere = project_create(slug="elsewhere", name="Elsewhere")
    make_user("stranger")
    theirs = membership_set(project=elsewhere, username="stranger", role="annotator")
    url = reverse("member_remove", args=[project.slug, theirs.pk])
    assert client_for(lead).post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()
