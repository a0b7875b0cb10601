"""The audit log through the API: what leads do through the API is in it, with who did it;
leads read it newest first, a cursor page at a time, filtered by action or person."""

from django.core.files.base import ContentFile

from annotator.models import AuditEvent, Export
from annotator.services.audit import audit_record

Action = AuditEvent.Action


def url(project, query=""):
    return f"/api/projects/{project.slug}/audit/{query}"


def record(project, actor, summary, action=Action.EXPORT_REQUESTED):
    return audit_record(project=project, actor=actor, action=action, summary=summary)


def mine(project, *actions):
    return list(
        AuditEvent.objects.filter(project=project, action__in=actions).values_list(
            "actor__username", "action"
        )
    )


def test_imports_and_exports_through_the_api_are_recorded_with_the_lead(
    api_for, lead, project, django_capture_on_commit_callbacks
):
    api = api_for(lead)
    base = f"/api/projects/{project.slug}/"
    imported = api.post(
        base + "documents/import/", {"documents": [{"text": "A report."}]}, format="json"
    )
    assert imported.status_code == 200
    streamed = api.get(base + "export/?file_format=casualty")
    assert streamed.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post(base + "exports/", {"file_format": "jsonl"}, format="json").json()
    downloaded = api.get(api.get(job["status_url"]).json()["download"])
    assert downloaded.status_code == 200
    exporting = (Action.DOCUMENTS_IMPORTED, Action.EXPORT_REQUESTED, Action.EXPORT_DOWNLOADED)
    assert mine(project, *exporting) == [
        ("lead", "export_downloaded"),
        ("lead", "export_requested"),
        ("lead", "export_downloaded"),
        ("lead", "documents_imported"),
    ]
    entries = api.get(url(project)).json()["results"]
    assert entries[0]["summary"] == f"Downloaded export {job['id']}: demo-gold-jsonl.jsonl"
    assert entries[3]["summary"] == "Imported request.jsonl: 1 new, 0 duplicates"


def test_a_refused_api_import_or_export_records_nothing(api_for, lead, project):
    api = api_for(lead)
    base = f"/api/projects/{project.slug}/"
    refused = api.post(
        base + "documents/import/", {"documents": [{"title": "no text"}]}, format="json"
    )
    assert refused.status_code == 400
    assert api.get(base + "export/?file_format=conll").status_code == 400
    unfinished = Export.objects.create(project=project, format="jsonl")
    assert api.get(base + f"exports/{unfinished.pk}/file/").status_code == 404
    exporting = (Action.DOCUMENTS_IMPORTED, Action.EXPORT_REQUESTED, Action.EXPORT_DOWNLOADED)
    assert mine(project, *exporting) == []


def test_a_lead_reads_the_log_newest_first_with_who_and_what(api_for, lead, project):
    record(project, lead, "first")
    record(project, None, "second", Action.DOCUMENTS_IMPORTED)
    response = api_for(lead).get(url(project, "?action=documents_imported"))
    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry["who"] == "command line"
    assert (entry["action"], entry["action_name"], entry["summary"]) == (
        "documents_imported",
        "Documents imported",
        "second",
    )
    assert entry["when"].endswith("Z")
    newest = api_for(lead).get(url(project)).json()["results"][0]
    assert (newest["summary"], newest["who"]) == ("second", "command line")


def test_the_log_comes_a_cursor_page_at_a_time(api_for, lead, project):
    for number in range(5):
        record(project, lead, f"entry {number}")
    api = api_for(lead)
    seen, page = [], api.get(url(project, "?action=export_requested&page_size=2")).json()
    while True:
        seen += [entry["summary"] for entry in page["results"]]
        if not page["next"]:
            break
        page = api.get(page["next"]).json()
    assert seen == [f"entry {number}" for number in range(4, -1, -1)]


def test_filters_keep_one_person(api_for, lead, annotator, project):
    record(project, lead, "by the lead")
    record(project, annotator, "by the annotator")
    record(project, None, "by the command line")
    api = api_for(lead)

    def summaries(query):
        return [entry["summary"] for entry in api.get(url(project, query)).json()["results"]]

    assert summaries("?action=export_requested&person=annotator1") == ["by the annotator"]
    assert summaries("?action=export_requested&person=command line") == ["by the command line"]


def test_a_filter_that_cannot_be_read_is_refused_naming_it(api_for, lead, project):
    api = api_for(lead)
    assert "action" in api.get(url(project, "?action=everything")).json()
    assert "person" in api.get(url(project, "?person=" + "x" * 151)).json()
    assert api.get(url(project, "?who=lead")).json() == {"who": ["Unknown query parameter."]}


def test_only_the_projects_leads_read_the_log(api_for, annotator, outsider, project):
    record(project, None, "secret")
    assert api_for(annotator).get(url(project)).status_code == 403
    assert api_for(outsider).get(url(project)).status_code == 404


def test_an_export_file_downloaded_through_the_api_is_recorded(api_for, lead, project):
    export = Export.objects.create(
        project=project, format="jsonl", status=Export.Status.DONE, file_name="gold.jsonl"
    )
    export.file.save("gold.jsonl", ContentFile(b"{}\n"))
    response = api_for(lead).get(f"/api/projects/{project.slug}/exports/{export.pk}/file/")
    assert b"".join(response.streaming_content) == b"{}\n"
    assert mine(project, Action.EXPORT_DOWNLOADED) == [("lead", "export_downloaded")]
