import io
import json
import zipfile

from django.urls import reverse


def export_url(project):
    return reverse("export_gold", args=[project.slug])


def test_the_export_page_counts_the_gold(client_for, project, lead, reviewed):
    page = client_for(lead).get(export_url(project)).content.decode()
    assert "<strong>2</strong> adjudicated documents" in page


def test_a_jsonl_download_holds_the_adjudicated_documents(client_for, project, lead, reviewed):
    response = client_for(lead).post(export_url(project), {"format": "jsonl"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="demo-gold-jsonl.jsonl"'
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [record["id"] for record in records] == [d.pk for d in reviewed[:2]]


def test_the_hugging_face_download_is_a_zip_with_its_card(client_for, project, lead, reviewed):
    response = client_for(lead).post(
        export_url(project), {"format": "hf", "train": "1", "dev": "1", "test": "0"}
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "demo-gold/README.md",
        "demo-gold/train.jsonl",
        "demo-gold/validation.jsonl",
    ]


def test_splits_without_any_share_are_refused_on_the_page(client_for, project, lead, reviewed):
    response = client_for(lead).post(
        export_url(project), {"format": "jsonl", "train": "0", "dev": "0", "test": "0"}
    )
    assert response.status_code == 400
    assert "ratios are three shares" in response.content.decode()


def test_an_unknown_format_is_refused_with_the_field_named(client_for, project, lead):
    response = client_for(lead).post(export_url(project), {"format": "xml"})
    assert response.status_code == 400
    assert "Format: Select a valid choice." in response.content.decode()
