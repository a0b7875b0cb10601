import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from annotator.models import Document

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
