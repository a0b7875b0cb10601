import io

from django.urls import reverse

from annotator.services import document_import


def import_text(project, text: str, name: str = "doc.txt"):
    document_import(project=project, files=[(name, io.BytesIO(text.encode()))])
    return project.documents.get(source_name=name)


def test_login_page_is_public_and_other_pages_redirect_to_it(client, db):
    assert client.get(reverse("login")).status_code == 200
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logging_in_with_the_form_lands_on_home(client, lead):
    response = client.post(
        reverse("login"), {"username": "lead", "password": "a-long-test-password"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Demo project" in response.content


def test_home_lists_only_the_users_projects(client_for, project, annotator, outsider):
    assert "Demo project" in client_for(annotator).get(reverse("home")).text
    assert "Demo project" not in client_for(outsider).get(reverse("home")).text


def test_lead_sees_the_documents_and_an_import_link(client_for, project, lead):
    import_text(project, "Headline one\nBody")
    page = client_for(lead).get(reverse("project_detail", args=[project.slug])).text
    assert "Headline one" in page
    assert reverse("document_import", args=[project.slug]) in page


def test_annotator_sees_the_project_and_guidelines_but_no_document_list(
    client_for, project, annotator
):
    import_text(project, "Secret headline\nBody")
    page = client_for(annotator).get(reverse("project_detail", args=[project.slug])).text
    assert "<strong>every</strong>" in page
    assert "Secret headline" not in page
    assert "Import documents" not in page


def test_outsider_gets_404_for_a_project(client_for, project, outsider):
    response = client_for(outsider).get(reverse("project_detail", args=[project.slug]))
    assert response.status_code == 404


def test_guidelines_markdown_is_sanitised(client_for, project, lead):
    project.guidelines = "Hi <script>alert(1)</script> [x](javascript:alert(2)) <b onclick=y>b</b>"
    project.save()
    page = client_for(lead).get(reverse("project_detail", args=[project.slug])).text
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "onclick" not in page


def test_document_list_is_paginated(client_for, project, lead):
    for number in range(55):
        import_text(project, f"Doc {number}", name=f"d{number}.txt")
    first = client_for(lead).get(reverse("project_detail", args=[project.slug])).text
    assert "Page 1 of 2" in first
    second = client_for(lead).get(reverse("project_detail", args=[project.slug]) + "?page=2")
    assert second.text.count("/documents/") >= 5
