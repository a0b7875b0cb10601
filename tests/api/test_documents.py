import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.models import Document
from annotator.services import document_import, project_create

from .conftest import at


def url(project, suffix=""):
    return f"/api/projects/{project.slug}/documents/{suffix}"


def test_import_a_json_list_with_the_cli_report(api_for, lead, project):
    api = api_for(lead)
    body = {
        "documents": [
            {"text": "First report", "external_id": "a-1"},
            {"text": "Second report", "meta": {"outlet": "SNHR"}},
        ]
    }
    response = api.post(url(project, "import/"), body, format="json")
    assert response.status_code == 200
    assert response.json()["summary"] == "2 imported, 0 duplicates skipped, 0 rejected"
    again = api.post(url(project, "import/"), body, format="json").json()
    assert (again["imported"], again["duplicates"]) == (0, 2)


def test_import_with_a_bad_document_imports_nothing_and_names_it(api_for, lead, project):
    body = {"documents": [{"text": "Good"}, {"text": "Bad", "labels": []}, {"text": ""}]}
    response = api_for(lead).post(url(project, "import/"), body, format="json")
    assert response.status_code == 400
    report = response.json()
    assert report["committed"] is False
    assert [(e["line"], e["reason"][:20]) for e in report["errors"]] == [
        (2, "unknown field 'label"),
        (3, "field 'text': the do"),
    ]
    assert Document.objects.count() == 0
    body["skip_invalid"] = True
    assert api_for(lead).post(url(project, "import/"), body, format="json").json()["imported"] == 1


def test_import_files_as_multipart(api_for, lead, project):
    lines = b"\n".join(json.dumps({"text": f"doc {i}"}).encode() for i in range(3))
    response = api_for(lead).post(
        url(project, "import/"),
        {"files": [SimpleUploadedFile("a.jsonl", lines), SimpleUploadedFile("b.txt", b"Text")]},
        format="multipart",
    )
    assert response.json()["summary"] == "4 imported, 0 duplicates skipped, 0 rejected"


def test_document_list_filters_and_cursor_pages(api_for, lead, project):
    api = api_for(lead)
    documents = [
        {"text": f"Report {i}", "external_id": f"r{i}", "title": f"Title {i}"} for i in range(7)
    ]
    api.post(url(project, "import/"), {"documents": documents}, format="json")
    first = api.get(url(project) + "?page_size=3").json()
    assert [d["external_id"] for d in first["results"]] == ["r0", "r1", "r2"]
    second = api.get(first["next"]).json()
    assert [d["external_id"] for d in second["results"]] == ["r3", "r4", "r5"]
    assert "text" not in first["results"][0]
    assert [
        d["external_id"] for d in api.get(url(project) + "?external_id=r4").json()["results"]
    ] == ["r4"]
    assert len(api.get(url(project) + "?title_contains=title 6").json()["results"]) == 1
    assert api.get(url(project) + "?ordering=text").status_code == 400


def test_document_detail_and_what_every_annotator_did(api_for, lead, annotator, project, document):
    mine = api_for(annotator).post(f"/api/projects/{project.slug}/next/").json()
    api_for(annotator).post(
        f"/api/projects/{project.slug}/assignments/{mine['id']}/spans/",
        {"label": "LOCATION", **at("Idlib")},
        format="json",
    )
    api = api_for(lead)
    assert api.get(url(project, f"{document.id}/")).json()["text"] == document.text
    [assignment] = api.get(url(project, f"{document.id}/assignments/")).json()["results"]
    assert (assignment["annotator"], assignment["status"]) == ("annotator1", "assigned")
    [span] = api.get(url(project, f"{document.id}/spans/")).json()["results"]
    assert (span["annotator"], span["text"], span["label"]) == ("annotator1", "Idlib", "LOCATION")


def test_document_of_another_project_is_404(api_for, lead, project):
    other = project_create(slug="other", name="Other")
    document_import(project=other, files=[("x.txt", io.BytesIO(b"Elsewhere"))])
    document = other.documents.get()
    assert api_for(lead).get(url(project, f"{document.id}/")).status_code == 404


def test_a_multipart_upload_that_is_not_text_is_refused_whole(api_for, lead, project):
    response = api_for(lead).post(
        url(project, "import/"),
        {
            "files": [
                SimpleUploadedFile("a.txt", b"A good report."),
                SimpleUploadedFile("ar.csv", "text\nقتل 16 مدنيا في إدلب\n".encode("cp1256")),
            ],
            "skip_invalid": "true",
        },
        format="multipart",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["source"], error["line"], error["whole_file"]) == ("ar.csv", 2, True)
    assert "it looks like Windows-1256, Arabic" in error["reason"]
    assert Document.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_by_its_size(api_for, lead, project, settings):
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 1000
    response = api_for(lead).post(
        url(project, "import/"),
        {"files": [SimpleUploadedFile("big.jsonl", b"x" * 5000)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["reason"].startswith(
        "the file is 5,000 bytes; an import file may be at most 1,000 bytes"
    )


def test_a_json_body_nested_100000_deep_is_a_400_not_a_crash(api_for, lead, project):
    response = api_for(lead).post(
        url(project, "import/"), b"[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested more than 64 levels deep" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"documents": [{"text": "a", "text": "b"}]}', "the key 'text' appears twice"),
        (b'{"documents": [{"text": "a", "meta": {"x": NaN}}]}', "NaN is not a JSON number"),
        (b'{"documents": [{"text": "a", "meta": {"x": 1e999}}]}', "1e999 is too large"),
        (b'{"documents": [{"text": "a", "meta": {"x": ' + b"7" * 5000 + b"}}]}", "5,000 digits"),
    ],
)
def test_a_json_body_with_values_json_should_not_hold_is_refused(
    api_for, lead, project, body, reason
):
    response = api_for(lead).post(url(project, "import/"), body, content_type="application/json")
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert Document.objects.count() == 0
