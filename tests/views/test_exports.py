import io
import json
import zipfile

from django.urls import reverse

from annotator.models import Export


def export_url(project):
    return reverse("export_gold", args=[project.slug])


def start(client, project, commit, **fields):
    """Post the export form as the page does; the export runs when the request commits."""
    with commit(execute=True):
        response = client.post(export_url(project), fields)
    return response


def downloaded(client, project, export) -> bytes:
    response = client.get(reverse("export_file", args=[project.slug, export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_export_page_counts_the_gold(client_for, project, lead, reviewed):
    page = client_for(lead).get(export_url(project)).content.decode()
    assert "<strong>2</strong> adjudicated documents" in page
    assert "No exports yet." in page


def test_an_export_runs_in_the_background_and_its_file_downloads(
    client_for, project, lead, reviewed, django_capture_on_commit_callbacks
):
    client = client_for(lead)
    response = start(client, project, django_capture_on_commit_callbacks, format="jsonl")
    assert response.status_code == 302 and response["Location"] == export_url(project)
    [export] = Export.objects.all()
    assert (export.status, export.done, export.requested_by) == ("done", 2, lead)
    page = client.get(export_url(project)).content.decode()
    assert f"Export {export.pk} (jsonl) has started." in page
    assert "Done: 2 documents" in page and "demo-gold-jsonl.jsonl" in page
    response = client.get(reverse("export_file", args=[project.slug, export.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="demo-gold-jsonl.jsonl"'
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [record["id"] for record in records] == [d.pk for d in reviewed[:2]]


def test_the_hugging_face_download_is_a_zip_with_its_card(
    client_for, project, lead, reviewed, django_capture_on_commit_callbacks
):
    client = client_for(lead)
    start(
        client,
        project,
        django_capture_on_commit_callbacks,
        format="hf",
        train="1",
        dev="1",
        test="0",
    )
    archive = zipfile.ZipFile(io.BytesIO(downloaded(client, project, Export.objects.get())))
    assert sorted(archive.namelist()) == [
        "demo-gold/README.md",
        "demo-gold/train.jsonl",
        "demo-gold/validation.jsonl",
    ]


def test_splits_without_any_share_are_refused_and_nothing_starts(
    client_for, project, lead, reviewed
):
    response = client_for(lead).post(
        export_url(project), {"format": "jsonl", "train": "0", "dev": "0", "test": "0"}
    )
    assert response.status_code == 400
    assert "ratios are three shares" in response.content.decode()
    assert not Export.objects.exists()


def test_an_unknown_format_is_refused_with_the_field_named(client_for, project, lead):
    response = client_for(lead).post(export_url(project), {"format": "xml"})
    assert response.status_code == 400
    assert "Format: Select a valid choice." in response.content.decode()


def test_a_running_export_shows_its_progress_and_the_list_polls(client_for, project, lead):
    Export.objects.create(project=project, format="conll", status="running", done=500, total=2000)
    page = client_for(lead).get(export_url(project)).content.decode()
    assert "Writing: 500 of 2000 documents" in page
    assert f'hx-get="{reverse("export_list", args=[project.slug])}"' in page
    listed = client_for(lead).get(reverse("export_list", args=[project.slug])).content.decode()
    assert "Writing: 500 of 2000 documents" in listed and "<html" not in listed


def test_the_list_stops_polling_when_every_export_has_ended(client_for, project, lead):
    Export.objects.create(project=project, format="conll", status="failed", error="Disk full.")
    page = client_for(lead).get(export_url(project)).content.decode()
    assert "Failed: Disk full." in page and "every 2s" not in page


def test_a_removed_export_loses_its_file(
    client_for, project, lead, reviewed, django_capture_on_commit_callbacks, files_folder
):
    client = client_for(lead)
    start(client, project, django_capture_on_commit_callbacks, format="casualty")
    export = Export.objects.get()
    stored = files_folder / export.file.name
    assert stored.exists()
    client.post(reverse("export_remove", args=[project.slug, export.pk]))
    assert not Export.objects.exists() and not stored.exists()
    missing = client.get(reverse("export_file", args=[project.slug, export.pk]))
    assert missing.status_code == 404


def test_another_projects_export_is_not_found(client_for, project, lead, reviewed):
    from annotator.services import project_create

    elsewhere = project_create(slug="elsewhere", name="Elsewhere")
    export = Export.objects.create(project=elsewhere, format="jsonl", status="done")
    response = client_for(lead).get(reverse("export_file", args=[project.slug, export.pk]))
    assert response.status_code == 404


def test_each_format_is_a_labelled_radio_button(client_for, project, lead):
    page = client_for(lead).get(export_url(project)).content.decode()
    assert page.count('type="radio" name="format"') == 7
    assert '<label for="id_format_0">JSONL: gold spans' in page
    assert 'value="jsonl" id="id_format_0" required checked' in page
