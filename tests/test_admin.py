import pytest
from django.urls import reverse

from annotator.models import AuditEvent
from annotator.services.audit import audit_record


@pytest.mark.parametrize("model", ["project", "document", "assignment", "span"])
def test_site_admin_can_open_every_changelist(client, make_user, project, model):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get(reverse(f"admin:annotator_{model}_changelist")).status_code == 200


def test_project_page_in_admin_lists_labels(client, make_user, project):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:annotator_project_change", args=[project.pk])).text
    assert "CASUALTY_FIGURE" in page


def test_non_staff_cannot_use_the_admin(client, lead):
    client.force_login(lead)
    assert client.get(reverse("admin:annotator_project_changelist")).status_code == 302


def test_the_audit_log_is_read_only_even_for_site_admins(client, make_user, project, lead):
    event = audit_record(project=project, actor=lead, action="export_requested", summary="x <b>")
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    listed = client.get(reverse("admin:annotator_auditevent_changelist")).text
    assert "x &lt;b&gt;" in listed
    assert client.get(reverse("admin:annotator_auditevent_add")).status_code == 403
    change = reverse("admin:annotator_auditevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.post(change, {"summary": "rewritten"}).status_code == 403
    delete = reverse("admin:annotator_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.summary == "x <b>" and AuditEvent.objects.filter(pk=event.pk).exists()
