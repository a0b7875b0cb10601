import pytest
from django.urls import reverse


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
