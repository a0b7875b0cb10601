import csv
import io
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotator.models import Assignment, AuditEvent, Export
from annotator.services import project_create
from annotator.services.audit import audit_record

from ..annotating import annotate

Action = AuditEvent.Action


def log_url(project, query=""):
    return reverse("audit_log", args=[project.slug]) + query


def rows(page: str) -> list[tuple[str, str, str]]:
    """The log's rows as (when, who, what), each cell's text without its tags."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return [
        tuple(" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells)
        for cells in (re.findall(r"<td>(.*?)</td>", row, flags=re.S) for row in body.split("<tr>"))
        if cells
    ]


def record(project, actor, summary, action=Action.EXPORT_REQUESTED):
    return audit_record(project=project, actor=actor, action=action, summary=summary)


def test_what_leads_do_on_the_pages_shows_in_the_log_with_who_and_when(
    client_for, project, lead, pair, disputed, django_capture_on_commit_callbacks
):
    client = client_for(lead)
    upload = SimpleUploadedFile("reports.txt", b"Shelling hit Douma on Friday.")
    client.post(reverse("document_import", args=[project.slug]), {"files": [upload]})
    annotate(project, pair[0], (), submit=False)
    Assignment.objects.filter(status="assigned").update(
        assigned_at=timezone.now() - project.assignment_timeout - timedelta(hours=1)
    )
    client.post(reverse("assignments_release", args=[project.slug]))
    decide = reverse("review_decision", args=[project.slug, disputed.pk])
    client.post(decide, {"version": 0, "action": "accept", "group": 0, "variant": 0})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_gold", args=[project.slug]), {"format": "jsonl"})
    export = Export.objects.get()
    client.get(reverse("export_file", args=[project.slug, export.pk]))

    page = client.get(log_url(project)).content.decode()
    shown = rows(page)
    assert [who for _, who, _ in shown[:5]] == ["lead"] * 5
    whats = [what for _, _, what in shown]
    assert whats[0].startswith(f"Export downloaded Downloaded export {export.pk}")
    assert whats[1].startswith(f"Export requested Requested export {export.pk}: jsonl")
    assert whats[2].startswith(f"Review decision Document {disputed.pk}")
    assert whats[3].startswith("Assignments released Released 1 assignment older than")
    assert whats[4] == "Documents imported Imported reports.txt: 1 new, 0 duplicates"
    review = reverse("review_document", args=[project.slug, disputed.pk])
    assert f'href="{review}"' in page
    newest = AuditEvent.objects.first().created_at.strftime("%Y-%m-%d %H:%M:%S")
    assert shown[0][0] == newest
    assert "When (UTC)" in page


def test_the_command_line_is_named_as_such(client_for, project, lead):
    record(project, None, "Exported 3 documents as jsonl to gold.jsonl")
    page = client_for(lead).get(log_url(project, "?action=export_requested")).text
    [(_, who, what)] = rows(page)
    assert (who, what) == (
        "command line",
        "Export requested Exported 3 documents as jsonl to gold.jsonl",
    )


def test_filters_keep_one_action_or_one_person(client_for, project, lead, pair):
    record(project, lead, "by the lead")
    record(project, pair[0], "by ann_a", Action.REVIEW_DECIDED)
    record(project, None, "by the command line", Action.DOCUMENTS_IMPORTED)
    client = client_for(lead)

    def shown(query):
        return [(who, what) for _, who, what in rows(client.get(log_url(project, query)).text)]

    assert len(shown("")) == AuditEvent.objects.filter(project=project).count()
    assert shown("?action=review_decided") == [("ann_a", "Review decision by ann_a")]
    assert ("lead", "Export requested by the lead") in shown("?person=lead")
    assert {who for who, _ in shown("?person=lead")} == {"lead"}
    only_cli = shown("?person=command+line&action=documents_imported")
    assert only_cli == [("command line", "Documents imported by the command line")]


def test_the_filter_offers_the_members_and_the_command_line(client_for, project, lead, pair):
    page = client_for(lead).get(log_url(project, "?person=ann_b")).content.decode()
    assert '<option value="ann_a" >ann_a</option>' in page
    assert '<option value="ann_b" selected>ann_b</option>' in page
    assert '<option value="command line" >The command line</option>' in page


def test_a_filter_that_cannot_be_read_is_refused_and_shows_nothing(client_for, project, lead):
    record(project, lead, "something")
    response = client_for(lead).get(log_url(project, "?action=everything"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "action: Select a valid choice. everything is not one of the available choices." in page
    assert rows(page) == []


def test_pages_go_back_from_the_newest_and_forward_again(client_for, project, lead):
    for number in range(120):
        record(project, lead, f"entry {number}")
    client = client_for(lead)

    def page_at(query):
        page = client.get(log_url(project, f"?action=export_requested{query}")).text
        older = re.search(r'href="\?action=export_requested&amp;before=(\d+)" rel="next"', page)
        newer = re.search(r'href="\?action=export_requested&amp;after=(\d+)" rel="prev"', page)
        summaries = [int(what.rsplit(" ", 1)[1]) for _, _, what in rows(page)]
        return summaries, older and older.group(1), newer and newer.group(1)

    first, older, newer = page_at("")
    assert first == list(range(119, 69, -1)) and newer is None
    second, older, newer = page_at(f"&before={older}")
    assert second == list(range(69, 19, -1))
    third, last_older, _ = page_at(f"&before={older}")
    assert third == list(range(19, -1, -1)) and last_older is None
    back, _, _ = page_at(f"&after={newer}")
    assert back == first


def test_a_page_reads_a_page_of_the_log_never_the_whole_of_it(client_for, project, lead):
    for number in range(120):
        record(project, lead, f"entry {number}")
    anchor = AuditEvent.objects.filter(project=project).order_by("id")[60]
    with CaptureQueriesContext(connection) as captured:
        page = client_for(lead).get(log_url(project, f"?before={anchor.pk}"))
    assert page.status_code == 200
    reads = [q["sql"] for q in captured if 'FROM "annotator_auditevent"' in q["sql"]]
    assert reads and all("LIMIT" in sql and "COUNT(" not in sql for sql in reads), reads


def test_an_entry_of_another_project_is_not_a_place_to_page_from(client_for, project, lead):
    elsewhere = record(project_create(slug="elsewhere", name="Elsewhere"), None, "theirs")
    response = client_for(lead).get(log_url(project, f"?before={elsewhere.pk}"))
    assert response.status_code == 400
    assert "This log has no such entry" in response.content.decode()
    assert "theirs" not in response.content.decode()


def test_what_users_named_shows_as_text_never_as_markup(client_for, project, lead):
    record(project, lead, 'Imported <img src=x onerror="alert(1)">.txt: 1 new')
    page = client_for(lead).get(log_url(project)).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.txt" in page
    assert "<img src=x" not in page


def test_the_csv_holds_the_filtered_log_with_formulas_kept_as_text(client_for, project, lead):
    record(project, lead, '=HYPERLINK("http://evil")', Action.DOCUMENTS_IMPORTED)
    record(project, lead, "not this one")
    url = reverse("audit_log_csv", args=[project.slug]) + "?action=documents_imported"
    response = client_for(lead).get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="demo-audit-log.csv"'
    header, *lines = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert header == ["when_utc", "who", "action", "summary", "details"]
    imported = [line for line in lines if line[3].startswith("'=")]
    assert [line[1:4] for line in imported] == [
        ["lead", "documents_imported", '\'=HYPERLINK("http://evil")']
    ]
    assert not any("not this one" in line[3] for line in lines)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", imported[0][0])


def test_the_csv_refuses_a_filter_it_cannot_read(client_for, project, lead):
    url = reverse("audit_log_csv", args=[project.slug]) + "?person=" + "x" * 200
    response = client_for(lead).get(url)
    assert response.status_code == 400
    assert "person: Ensure this value has at most 150 characters" in response.content.decode()


def test_annotators_cannot_read_the_log_and_outsiders_do_not_see_it(
    client_for, project, annotator, outsider
):
    assert client_for(annotator).get(log_url(project)).status_code == 403
    assert client_for(outsider).get(log_url(project)).status_code == 404


def test_the_project_page_links_leads_to_the_log(client_for, project, lead, annotator):
    link = f'href="{log_url(project)}"'
    assert link in client_for(lead).get(reverse("project_detail", args=[project.slug])).text
    assert (
        link not in client_for(annotator).get(reverse("project_detail", args=[project.slug])).text
    )
