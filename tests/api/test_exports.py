import csv
import io
import json


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
