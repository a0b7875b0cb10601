import gzip
import io
import json

import pytest
from django.contrib.auth import get_user_model

from annotator.domain.backups import BackupError
from annotator.models import AuditEvent, Document, GoldSpan, PassageCluster, Project, Span
from annotator.services import ServiceError, document_import, review_decide, review_state
from annotator.services.backups import project_backup, project_restore

from .. import backing_up
from ..conftest import PASSWORD


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def built(project, lead, annotators, commit):
    return backing_up.build(project, lead, annotators, commit)


@pytest.fixture
def backup(project, built, tmp_path):
    path = tmp_path / "demo.jsonl.gz"
    project_backup(project=project, path=path)
    return path


def delete(project) -> None:
    project.documents.all().delete()  # first: labels are protected while spans use them
    project.delete()


def test_a_project_restored_where_it_was_deleted_exports_the_same_bytes_and_looks_the_same(
    project, backup, tmp_path
):
    exported = backing_up.exports(project, tmp_path / "before")
    seen = backing_up.observed("demo")
    delete(project)

    restored = project_restore(path=backup)

    assert restored.ids_kept
    assert backing_up.exports(restored.project, tmp_path / "after") == exported
    assert backing_up.observed("demo") == seen
    assert seen["documents"]["r2"]["status"] == "in_progress"  # the test covers every state
    assert {state["status"] for state in seen["documents"].values()} == {
        "done",
        "in_progress",
        "pending",
    }


def test_a_copy_beside_the_original_gets_new_ids_and_its_undo_brings_back_the_same_span(
    project, lead, built, backup
):
    seen = backing_up.observed("demo")

    copy = project_restore(path=backup, slug="demo-copy").project

    assert backing_up.observed("demo-copy") == seen
    originals = set(Document.objects.filter(project=project).values_list("pk", flat=True))
    assert originals.isdisjoint(copy.documents.values_list("pk", flat=True))
    # Report 2's last decisions accepted a span, then removed it. Undone one by one, the
    # copy must bring the span back and take it away again as the original does.
    copied = copy.documents.get(external_id="r2")
    for _ in range(2):
        for document in (built[2], copied):
            version = review_state(document).version
            review_decide(document=document, lead=lead, version=version, action="undo")
        assert gold_of(copied) == gold_of(built[2])
        assert set(
            GoldSpan.objects.filter(document=copied).values_list("label__project", flat=True)
        ) == {copy.pk}
    assert len(gold_of(copied)) == len(seen["documents"]["r2"]["gold"])


def gold_of(document):
    spans = GoldSpan.objects.filter(document=document).select_related("label")
    return sorted((span.label.key, span.start, span.end, span.decision) for span in spans)


def test_accounts_made_by_a_restore_cannot_log_in_unless_the_hashes_were_kept(
    project, backup, tmp_path
):
    with_hashes = tmp_path / "with-hashes.jsonl.gz"
    project_backup(project=project, path=with_hashes, include_password_hashes=True)
    delete(project)
    get_user_model().objects.filter(username__startswith="ann_").delete()

    project_restore(path=backup)
    assert not user("ann_a").check_password(PASSWORD)
    assert not user("ann_a").has_usable_password()
    assert user("lead").check_password(PASSWORD)  # an account of that name: kept, not remade

    get_user_model().objects.filter(username__startswith="ann_").delete()
    project_restore(path=with_hashes, slug="again")
    assert user("ann_a").check_password(PASSWORD)
    assert not get_user_model().objects.filter(is_staff=True).exists()


def user(name):
    return get_user_model().objects.get(username=name)


def test_a_restore_finds_the_shared_passages_again(project, lead, tmp_path, commit):
    shared = "More than 30 medical facilities and at least 31 schools have been hit in the area."
    files = [
        (f"{n}.txt", io.BytesIO(f"Report {n}.\n{shared}\nClosing line {n}.".encode()))
        for n in (1, 2)
    ]
    with commit(execute=True):
        document_import(project=project, files=files)
    assert PassageCluster.objects.filter(project=project).count() == 1
    path = tmp_path / "demo.jsonl.gz"
    project_backup(project=project, path=path)

    with commit(execute=True):
        copy = project_restore(path=path, slug="copy").project

    cluster = PassageCluster.objects.get(project=copy)
    assert {member.document.project_id for member in cluster.members.all()} == {copy.pk}
    assert cluster.members.count() == 2


def test_making_and_restoring_a_backup_are_in_the_audit_log(project, backup):
    made = AuditEvent.objects.get(project=project, action=AuditEvent.Action.BACKUP_MADE)
    assert (made.actor, made.details["counts"]["documents"]) == (None, 6)

    copy = project_restore(path=backup, slug="copy").project

    restored = AuditEvent.objects.filter(project=copy).first()
    assert restored.action == AuditEvent.Action.BACKUP_RESTORED
    assert "a backup of 'demo'" in restored.summary
    # The log came along: the restored project's history is the original's before it.
    history = AuditEvent.objects.filter(project=copy).exclude(pk=restored.pk)
    assert history.count() == AuditEvent.objects.filter(project=project).count() - 1


def test_the_file_is_versioned_counted_and_checksummed_jsonl(backup):
    header, *records, end = backing_up.lines_of(backup)
    assert (header["format"], header["version"], header["project"]) == (
        "annotator-backup",
        1,
        "demo",
    )
    assert header["counts"]["documents"] == sum(r["type"] == "document" for r in records)
    assert header["counts"]["spans"] == Span.objects.count()
    assert (end["type"], end["records"]) == ("end", len(records))
    assert all(r["password"] is None for r in records if r["type"] == "user")


def change_document(number, change):
    def apply(records):
        documents = [r for r in records if r["type"] == "document"]
        change(documents[number])
        return records

    return apply


def past_the_end(document):
    document["assignments"][0]["spans"][0]["end"] = len(document["text"]) + 5


BAD_RECORDS = {
    "a span past the end of its text": (
        change_document(1, past_the_end),
        "assignments[0].spans[0].end: 'end' is past the end of the text",
    ),
    "a changed text": (
        change_document(0, lambda d: d.update(text=d["text"] + "!")),
        "sha256: does not match the text",
    ),
    "an unknown label": (
        change_document(0, lambda d: d["review"]["gold"][0].update(label="WEAPON")),
        "review.gold[0].label: the project has no label 'WEAPON'",
    ),
    "a missing field": (
        change_document(2, lambda d: d["assignments"][1].pop("status")),
        "assignments[1]: 'status' is missing",
    ),
    "records out of order": (
        lambda records: [*records[:3], records[4], records[3], *records[5:]],
        "a label record cannot come after a user",
    ),
}


@pytest.mark.parametrize("fault", BAD_RECORDS, ids=list(BAD_RECORDS))
def test_a_record_that_does_not_fit_is_named_by_line_and_nothing_is_restored(
    project, backup, tmp_path, fault
):
    change, message = BAD_RECORDS[fault]
    bad = tmp_path / "bad.jsonl.gz"
    backing_up.rewritten(backup, change, bad)
    delete(project)
    before = (Project.objects.count(), get_user_model().objects.count(), Span.objects.count())

    with pytest.raises(BackupError, match=r"^line \d+: ") as refusal:
        project_restore(path=bad)

    assert message in str(refusal.value)
    assert backing_up.lines_of(bad)[refusal.value.line - 1]["type"] in ("document", "label")
    after = (Project.objects.count(), get_user_model().objects.count(), Span.objects.count())
    assert after == before


def corrupt(path, target):
    data = bytearray(gzip.decompress(path.read_bytes()))
    data[data.index(b"Russia")] = ord("P")
    target.write_bytes(gzip.compress(bytes(data)))


BAD_FILES = {
    "not gzip": (lambda path, target: target.write_text("hello"), "not a gzip'd backup file"),
    "truncated": (
        lambda path, target: target.write_bytes(path.read_bytes()[:-200]),
        "the file is truncated",
    ),
    "changed after it was made": (corrupt, "the checksum does not match"),
    "without its end": (
        lambda path, target: target.write_bytes(
            gzip.compress(b"".join(gzip.decompress(path.read_bytes()).splitlines(True)[:-1]))
        ),
        "without its end record: it is truncated",
    ),
    "another format": (
        lambda path, target: target.write_bytes(gzip.compress(b'{"format": "doccano"}\n')),
        "line 1: not an annotator backup",
    ),
    "a later version": (
        lambda path, target: target.write_bytes(
            gzip.compress(json.dumps({"format": "annotator-backup", "version": 2}).encode())
        ),
        "line 1: backup format version 2; this version reads 1",
    ),
    "a NaN": (
        lambda path, target: backing_up.rewritten(
            path, lambda records: [*records[:-1], {"type": "audit", "x": float("nan")}], target
        ),
        "NaN is not a JSON number",
    ),
}


@pytest.mark.parametrize("fault", BAD_FILES, ids=list(BAD_FILES))
def test_a_damaged_or_foreign_file_is_refused_before_anything_changes(
    project, backup, tmp_path, fault
):
    make, message = BAD_FILES[fault]
    bad = tmp_path / "bad.jsonl.gz"
    make(backup, bad)
    delete(project)

    with pytest.raises(BackupError, match=message):
        project_restore(path=bad)

    assert not Project.objects.exists()


def test_a_taken_slug_is_refused(project, backup):
    with pytest.raises(ServiceError, match="There is already a project 'demo'"):
        project_restore(path=backup)
    assert Project.objects.count() == 1


def test_a_backup_that_fails_leaves_no_file(project, built, tmp_path, monkeypatch):
    def fail(ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("annotator.services.backups.writing._document_records", fail)
    with pytest.raises(RuntimeError):
        project_backup(project=project, path=tmp_path / "demo.jsonl.gz")
    assert list(tmp_path.iterdir()) == []
