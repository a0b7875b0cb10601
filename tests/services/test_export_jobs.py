import json
import re
import threading
from dataclasses import replace

import pytest
from django.db import connection

from annotator.models import Export, GoldSpan
from annotator.services import ServiceError, export_files, export_jobs, exports
from annotator.services.export_files import gold_export
from annotator.services.export_jobs import export_request, export_run


def request(project, lead, commit, **options):
    with commit(execute=True):
        export = export_request(project=project, user=lead, **options)
    export.refresh_from_db()
    return export


def in_another_connection(work):
    """What another request or worker would do or see, on a connection of its own."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result.get("value")


def test_an_export_runs_once_its_request_commits_and_stores_its_file(
    project, lead, reviewed, django_capture_on_commit_callbacks
):
    export = request(project, lead, django_capture_on_commit_callbacks, format="conll")
    assert (export.status, export.done, export.total, export.problem_count) == ("done", 2, 2, 0)
    assert export.file_name == "demo-gold-conll.conll" and export.size > 0
    assert export.file.read().decode().count("-DOCSTART-") == 2
    assert export.started_at <= export.finished_at


def test_a_refused_export_is_never_queued(project, lead):
    with pytest.raises(ServiceError, match="Only the jsonl, layers and hf formats carry splits"):
        export_request(project=project, user=lead, format="brat", ratios=(0.8, 0.1, 0.1))
    with pytest.raises(ServiceError, match="Unknown format 'xml'"):
        export_request(project=project, user=lead, format="xml")
    assert not Export.objects.exists()


def test_a_crash_is_stored_for_the_lead_without_its_details(
    project, lead, reviewed, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise OSError("/srv/secret/path: no space left")

    monkeypatch.setattr(export_jobs, "export_download", broken)
    export = Export.objects.create(project=project, format="jsonl")
    export_run(export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and not export.file
    assert export.error == "The export failed on the server; the error is in its log."
    assert "no space left" in caplog.text


def test_an_export_another_worker_took_is_not_run_twice(project, lead, reviewed):
    export = Export.objects.create(project=project, format="jsonl", status="running")
    assert export_run(export.pk) is None
    assert Export.objects.get().status == "running"


def test_an_export_removed_while_it_runs_stays_removed_and_leaves_no_file(
    project, lead, reviewed, monkeypatch, files_folder
):
    export = Export.objects.create(project=project, format="jsonl")
    real = export_jobs._progress

    def removed_midway(export_id, done, total):
        real(export_id, done, total)
        Export.objects.filter(pk=export_id).delete()

    monkeypatch.setattr(export_jobs, "_progress", removed_midway)
    assert export_run(export.pk) is None
    assert not Export.objects.exists()
    assert not any(path.is_file() for path in files_folder.rglob("*"))


def test_only_the_newest_exports_are_kept(project, lead, monkeypatch):
    monkeypatch.setattr(export_jobs, "KEPT", 2)
    made = [export_request(project=project, user=lead, format="jsonl") for _ in range(3)]
    assert list(Export.objects.values_list("pk", flat=True)) == [made[2].pk, made[1].pk]


def test_an_export_reads_one_snapshot_while_others_write(
    transactional_db, project, reviewed, monkeypatch, tmp_path
):
    """A lead changes the gold of a document the export has not reached yet: the export still
    holds the gold as it was when it started, and the change is in the next export."""
    monkeypatch.setattr(exports, "BATCH", 1)  # one document read at a time
    second = reviewed[1]
    before = GoldSpan.objects.filter(document=second).count()
    assert before > 0

    def change_the_gold(done, total):
        if done == 1:
            in_another_connection(lambda: GoldSpan.objects.filter(document=second).delete())

    path = tmp_path / "gold.jsonl"
    gold_export(project=project, format="jsonl", path=path, progress=change_the_gold)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records[1]["spans"]) == before
    gold_export(project=project, format="jsonl", path=path)
    assert [json.loads(line) for line in path.read_text().splitlines()][1]["spans"] == []


def test_progress_is_seen_by_others_while_the_export_reads_its_snapshot(
    transactional_db, project, lead, reviewed, monkeypatch
):
    monkeypatch.setattr(exports, "BATCH", 1)
    export = Export.objects.create(project=project, format="jsonl")
    seen = []
    real = export_jobs._progress

    def watched(export_id, done, total):
        real(export_id, done, total)
        seen.append(in_another_connection(lambda: Export.objects.get(pk=export_id).done))

    monkeypatch.setattr(export_jobs, "_progress", watched)
    export_run(export.pk)
    assert seen == [1, 2]
    assert Export.objects.get().status == "done"


@pytest.mark.parametrize("file_format", ["jsonl", "layers"])
def test_a_value_json_cannot_hold_fails_the_export_saying_where_it_is(
    project, lead, reviewed, django_capture_on_commit_callbacks, monkeypatch, file_format
):
    # PostgreSQL refuses to store NaN at all; SQLite, or a bug, may still hand one over.
    stored = export_files.gold_documents

    def with_nan(*args, **kwargs):
        for document in stored(*args, **kwargs):
            yield replace(document, metadata={**document.metadata, "score": float("nan")})

    monkeypatch.setattr(export_files, "gold_documents", with_nan)
    export = request(project, lead, django_capture_on_commit_callbacks, format=file_format)
    assert export.status == "failed" and not export.file
    assert re.fullmatch(
        r"document \d+: metadata\.score is NaN, which JSON cannot hold; correct the value and "
        r"export again",
        export.error,
    )
