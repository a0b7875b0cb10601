import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from annotator.models import AuditEvent, Document

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_documents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seed_folder_imports_five_then_five_duplicates(project):
    out, _ = run("--project", project.slug, str(SEEDS_DIR))
    assert out.strip() == "5 imported, 0 duplicates skipped, 0 rejected"
    out, _ = run("--project", project.slug, str(SEEDS_DIR))
    assert out.strip() == "0 imported, 5 duplicates skipped, 0 rejected"
    assert Document.objects.filter(project=project).count() == 5


def test_seed_titles_are_their_first_lines(project):
    run("--project", project.slug, str(SEEDS_DIR / "000_464490955c4b34cb.txt"))
    assert Document.objects.get().title.startswith("A White Helmets rescuer carries a girl")


def test_bad_line_fails_the_command_names_the_line_and_imports_nothing(project, tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"text": f"doc {i}"}) for i in range(1000)]
    lines.insert(10, "{oops")
    path.write_text("\n".join(lines) + "\n")
    err = StringIO()
    with pytest.raises(CommandError, match="0 imported, 0 duplicates skipped, 1 rejected"):
        call_command("import_documents", "--project", project.slug, str(path), stderr=err)
    assert f"{path}:11: invalid JSON" in err.getvalue()
    assert Document.objects.count() == 0

    out, err = run("--project", project.slug, "--skip-invalid", str(path))
    assert out.strip() == "1000 imported, 0 duplicates skipped, 1 rejected"
    assert f"{path}:11: invalid JSON" in err


def test_csv_file_imports_with_meta(project, tmp_path):
    path = tmp_path / "docs.csv"
    path.write_bytes(b'external_id,text,outlet\r\nx1,"Killed: 3\r\nInjured: 4",SNHR\r\n')
    run("--project", project.slug, str(path))
    document = Document.objects.get(external_id="x1")
    assert (document.text, document.metadata) == ("Killed: 3\r\nInjured: 4", {"outlet": "SNHR"})


def test_missing_path_is_refused_before_anything_is_imported(project, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.txt: no such file or folder"):
        run("--project", project.slug, str(SEEDS_DIR), str(tmp_path / "nowhere.txt"))
    assert Document.objects.count() == 0


def test_folder_without_documents_is_refused(project, tmp_path):
    (tmp_path / "notes.md").write_text("hi")
    with pytest.raises(CommandError, match=r"the folder has no \.txt"):
        run("--project", project.slug, str(tmp_path))


def test_hidden_files_in_folders_are_left_out(project, tmp_path):
    (tmp_path / "a.txt").write_text("visible")
    (tmp_path / ".b.txt").write_text("hidden")
    run("--project", project.slug, str(tmp_path))
    assert list(Document.objects.values_list("text", flat=True)) == ["visible"]


def test_unknown_project_is_refused(db):
    with pytest.raises(CommandError, match="no project with slug 'nope'"):
        run("--project", "nope", str(SEEDS_DIR))


def test_a_200_mb_file_is_refused_by_its_size_and_nothing_is_imported(project, tmp_path):
    (tmp_path / "a.txt").write_text("A good report.")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(200 * 2**20)  # sparse: no disk space, and never read
    err = StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: .*huge\.txt cannot be"):
        call_command(
            "import_documents",
            "--project",
            project.slug,
            "--skip-invalid",
            str(tmp_path),
            stderr=err,
        )
    assert f"{huge}:1: the file is 200 MB; an import file may be at most 100 MB" in err.getvalue()
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("قتل 16 مدنيا".encode("utf-16"), "the file is UTF-16"),
        ("قتل 16 مدنيا في إدلب".encode("cp1256"), "it looks like Windows-1256, Arabic"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary file, not text: it is a zip archive"),
    ],
)
def test_a_file_that_is_not_utf8_text_is_named_with_advice(project, tmp_path, data, reason):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    err = StringIO()
    with pytest.raises(CommandError, match="0 imported"):
        call_command("import_documents", "--project", project.slug, str(path), stderr=err)
    assert f"{path}:1: " in err.getvalue() and reason in err.getvalue()
    assert Document.objects.count() == 0


def test_a_zip_slip_archive_is_refused_and_nothing_is_written(project, tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ok.txt", "A good report.")
        archive.writestr("../../escaped.txt", "Owned.")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_documents", "--project", project.slug, str(path), stderr=err)
    assert "'../../escaped.txt', a path out of the archive ('..'): refused" in err.getvalue()
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not (tmp_path.parent.parent / "escaped.txt").exists()
    assert Document.objects.count() == 0


def test_an_import_by_the_command_line_goes_to_the_audit_log_only_when_it_commits(
    project, tmp_path
):
    (tmp_path / "bad.jsonl").write_text('{"text": "fine"}\n{oops\n')
    with pytest.raises(CommandError):
        run("--project", project.slug, str(tmp_path / "bad.jsonl"))
    run("--project", project.slug, str(SEEDS_DIR))
    [event] = AuditEvent.objects.filter(project=project, action="documents_imported")
    assert (event.actor, event.who) == (None, "command line")
    assert event.details["file_count"] == 5 and event.details["created"] == 5
    assert event.summary.startswith("Imported 000_464490955c4b34cb.txt, ")
    assert str(SEEDS_DIR) not in event.summary
