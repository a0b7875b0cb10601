"""The content note before a volunteer's first document, the annotate page's welfare hooks,
and the lead's settings form that sets them."""

import io

import pytest
from django.urls import reverse

from annotator.models import Membership, Project
from annotator.services import document_import

NOTE = "These reports describe **killings of children**."


@pytest.fixture
def noted(project):
    project.content_note = NOTE
    project.save(update_fields=["content_note"])
    document_import(project=project, files=[("a.txt", io.BytesIO(b"At least 16 civilians."))])
    return project


@pytest.fixture
def as_annotator(client, annotator):
    client.force_login(annotator)
    return client


def seen_at(project, user):
    return Membership.objects.get(project=project, user=user).content_note_seen_at


# The content note -----------------------------------------------------------------------------


def test_the_first_document_waits_for_the_content_note(as_annotator, noted, annotator):
    response = as_annotator.post(reverse("annotate_next", args=[noted.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("content_note", args=[noted.slug])
    page = response.content.decode()
    assert "<strong>killings of children</strong>" in page  # Markdown, rendered
    assert "I understand, continue" in page
    assert not noted.documents.get().assignments.exists()  # no document handed out yet


def test_accepting_the_note_records_it_and_hands_out_the_document(as_annotator, noted, annotator):
    response = as_annotator.post(reverse("content_note", args=[noted.slug]))
    assignment = noted.documents.get().assignments.get()
    assert response.url == reverse("annotate_document", args=[noted.slug, assignment.id])
    assert seen_at(noted, annotator) is not None


def test_after_accepting_the_note_is_not_shown_again(as_annotator, noted, annotator):
    as_annotator.post(reverse("content_note", args=[noted.slug]))
    first = seen_at(noted, annotator)
    response = as_annotator.post(reverse("annotate_next", args=[noted.slug]))
    assert "/assignments/" in response.url
    page = as_annotator.get(response.url).content.decode()
    assert "killings of children" not in page
    # Opening the note page again does not move the time it was read.
    assert as_annotator.get(reverse("content_note", args=[noted.slug])).status_code == 302
    assert seen_at(noted, annotator) == first


def test_no_note_no_interruption(as_annotator, project, annotator):
    document_import(project=project, files=[("a.txt", io.BytesIO(b"At least 16 civilians."))])
    response = as_annotator.post(reverse("annotate_next", args=[project.slug]))
    assert "/assignments/" in response.url
    assert seen_at(project, annotator) is None


def test_a_blank_note_is_no_note(as_annotator, project):
    Project.objects.filter(pk=project.pk).update(content_note="  \n ")
    document_import(project=project, files=[("a.txt", io.BytesIO(b"At least 16 civilians."))])
    response = as_annotator.post(reverse("annotate_next", args=[project.slug]))
    assert "/assignments/" in response.url


def test_the_annotate_page_opened_directly_shows_the_note_first(
    as_annotator, noted, annotator, client
):
    # An assignment made before the note was written (e.g. a bookmark to it).
    Project.objects.filter(pk=noted.pk).update(content_note="")
    as_annotator.post(reverse("annotate_next", args=[noted.slug]))
    Project.objects.filter(pk=noted.pk).update(content_note=NOTE)
    assignment = noted.documents.get().assignments.get()
    page_url = reverse("annotate_document", args=[noted.slug, assignment.id])

    response = as_annotator.get(page_url, follow=True)
    assert "killings of children" in response.content.decode()
    assert f'name="next" value="{page_url}"' in response.content.decode()
    back = as_annotator.post(reverse("content_note", args=[noted.slug]), {"next": page_url})
    assert back.url == page_url
    assert as_annotator.get(page_url).status_code == 200


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_accepting_never_sends_the_volunteer_off_the_site(as_annotator, noted, elsewhere):
    response = as_annotator.get(reverse("content_note", args=[noted.slug]), {"next": elsewhere})
    assert elsewhere not in response.content.decode()
    response = as_annotator.post(reverse("content_note", args=[noted.slug]), {"next": elsewhere})
    assert response.url.startswith(f"/projects/{noted.slug}/assignments/")


def test_leads_do_not_get_the_note_page(client, lead, noted):
    client.force_login(lead)
    assert client.get(reverse("content_note", args=[noted.slug])).status_code == 403


# The annotate page's welfare hooks ------------------------------------------------------------


def test_the_annotate_page_carries_the_break_reminder_and_the_blur_toggle(as_annotator, project):
    Project.objects.filter(pk=project.pk).update(break_reminder_minutes=25)
    document_import(project=project, files=[("a.txt", io.BytesIO(b"At least 16 civilians."))])
    response = as_annotator.post(reverse("annotate_next", args=[project.slug]), follow=True)
    page = response.content.decode()
    assert 'data-break-reminder-minutes="25"' in page
    assert "data-blur-toggle" in page
    assert "js/welfare.js" in page


# The lead's settings --------------------------------------------------------------------------


def test_leads_see_the_settings_form(client, lead, project):
    client.force_login(lead)
    page = client.get(reverse("project_settings", args=[project.slug])).content.decode()
    assert 'name="content_note"' in page
    assert 'name="break_reminder_minutes"' in page
    assert (
        reverse("project_settings", args=[project.slug])
        in client.get(reverse("project_detail", args=[project.slug])).content.decode()
    )


def test_leads_edit_the_note_and_the_reminder(client, lead, project):
    client.force_login(lead)
    response = client.post(
        reverse("project_settings", args=[project.slug]),
        {"content_note": NOTE, "break_reminder_minutes": "0"},
        follow=True,
    )
    assert "Settings saved." in response.content.decode()
    project.refresh_from_db()
    assert (project.content_note, project.break_reminder_minutes) == (NOTE, 0)


def test_a_bad_reminder_changes_nothing(client, lead, project):
    client.force_login(lead)
    response = client.post(
        reverse("project_settings", args=[project.slug]),
        {"content_note": NOTE, "break_reminder_minutes": "-5"},
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert (project.content_note, project.break_reminder_minutes) == ("", 45)


def test_annotators_cannot_change_the_settings(as_annotator, project):
    response = as_annotator.post(
        reverse("project_settings", args=[project.slug]),
        {"content_note": "", "break_reminder_minutes": "0"},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.break_reminder_minutes == 45
