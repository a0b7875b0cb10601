import csv
import io
import json
import zipfile


def url(project, query=""):
    return f"/api/projects/{project.slug}/export/{query}"


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_a_lead_gets_the_gold_streamed_as_jsonl(api_for, lead, project, reviewed):
    response = api_for(lead).get(url(project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"] == 'attachment; filename="demo-gold-jsonl.jsonl"'
    records = [json.loads(line) for line in body(response).splitlines()]
    assert [record["id"] for record in records] == [d.pk for d in reviewed[:2]]
    assert all("annotations" not in record for record in records)


def test_layers_and_splits_come_when_asked(api_for, lead, project, reviewed):
    response = api_for(lead).get(url(project, "?file_format=layers&splits=1,1,0&seed=2"))
    records = [json.loads(line) for line in body(response).splitlines()]
    assert sorted(record["split"] for record in records) == ["dev", "train"]
    assert all(set(record["annotations"]) == {"annotator-1", "annotator-2"} for record in records)


def test_the_casualty_table_streams_as_csv(api_for, lead, project, reviewed):
    response = api_for(lead).get(url(project, "?file_format=casualty"))
    assert response["Content-Type"] == "text/csv"
    [header] = list(csv.reader(io.StringIO(body(response))))
    assert header[:3] == ["document_id", "external_id", "title"]


def test_formats_that_are_files_and_bad_splits_are_refused(api_for, lead, project):
    response = api_for(lead).get(url(project, "?file_format=conll"))
    assert response.status_code == 400 and "file_format" in response.json()
    response = api_for(lead).get(url(project, "?splits=lots"))
    assert response.status_code == 400 and "splits" in response.json()
    response = api_for(lead).get(url(project, "?file_format=casualty&splits=1,1,1"))
    assert response.status_code == 400


def test_an_annotator_gets_no_gold(api_for, annotator, project, reviewed):
    assert api_for(annotator).get(url(project)).status_code == 403


def jobs_url(project, suffix=""):
    return f"/api/projects/{project.slug}/exports/{suffix}"


def test_any_format_exports_in_the_background_and_downloads_when_done(
    api_for, lead, project, reviewed, django_capture_on_commit_callbacks
):
    client = api_for(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(jobs_url(project), {"file_format": "brat"}, format="json")
    assert response.status_code == 202
    started = response.json()
    assert started["file_format"] == "brat"
    status = client.get(started["status_url"]).json()
    assert (status["status"], status["done"], status["total"]) == ("done", 2, 2)
    assert status["download"] == jobs_url(project, f"{started['id']}/file/")
    download = client.get(status["download"])
    assert download["Content-Disposition"] == 'attachment; filename="demo-gold-brat.zip"'
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert len(names) == 4  # a .txt and a .ann for each of the two documents
    [listed] = client.get(jobs_url(project)).json()["results"]
    assert listed["id"] == started["id"]


def test_an_unfinished_export_has_no_download(api_for, lead, project):
    from annotator.models import Export

    export = Export.objects.create(project=project, format="spacy")
    status = api_for(lead).get(jobs_url(project, f"{export.pk}/")).json()
    assert (status["status"], status["download"]) == ("queued", None)
    assert api_for(lead).get(jobs_url(project, f"{export.pk}/file/")).status_code == 404


def test_an_export_that_cannot_be_made_is_refused_before_it_starts(api_for, lead, project):
    client = api_for(lead)
    response = client.post(
        jobs_url(project), {"file_format": "conll", "splits": "0.8,0.1,0.1"}, format="json"
    )
    assert response.status_code == 400
    assert "Only the jsonl, layers and hf formats carry splits." in response.content.decode()
    response = client.post(jobs_url(project), {"file_format": "xml"}, format="json")
    assert response.json() == {
        "file_format": ["Not a format: use one of jsonl, layers, conll, brat, casualty, spacy, hf."]
    }
    assert client.get(jobs_url(project)).json()["results"] == []
