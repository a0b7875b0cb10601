"""import_documents with other tools' exports: Label Studio's JSON and doccano's zip."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.models import Assignment, Document, DocumentAgreement, GoldSpan, Label

INTEROP = settings.BASE_DIR / "fixtures" / "interop"
LABEL_STUDIO = str(INTEROP / "label-studio-export-50.json")
DOCCANO = str(INTEROP / "doccano-export-50.zip")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_documents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_label_studio_export_as_annotators_work(project):
    out, err = run("--project", project.slug, "--annotations", "annotators", LABEL_STUDIO)
    assert out.strip() == (
        "50 imported, 0 duplicates skipped, 0 rejected, with 100 annotations by annotators"
    )
    assert err == ""
    usernames = set(Assignment.objects.values_list("annotator__username", flat=True))
    assert usernames == {"imported-label-studio-1", "imported-label-studio-2"}
    assert DocumentAgreement.objects.filter(project=project).count() == 50

    out, _ = run("--project", project.slug, "--annotations", "annotators", LABEL_STUDIO)
    assert out.strip() == "0 imported, 50 duplicates skipped, 0 rejected"


def test_label_studio_export_as_gold_by_default_names_the_ground_truth_problem(project):
    err = StringIO()
    with pytest.raises(CommandError, match="0 imported, 0 duplicates skipped, 50 rejected"):
        call_command("import_documents", "--project", project.slug, LABEL_STUDIO, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 50
    assert lines[0].startswith(
        f"{LABEL_STUDIO}:1: document '51': 2 annotations, 2 of them marked as ground truth"
    )
    assert Document.objects.count() == 0


def test_annotator_mapped_to_an_unknown_user_is_refused(project):
    with pytest.raises(CommandError, match="--annotator: there is no user 'nosuchuser'"):
        run(
            "--project",
            project.slug,
            "--annotations",
            "annotators",
            "--annotator",
            "label-studio-1=nosuchuser",
            LABEL_STUDIO,
        )
    with pytest.raises(CommandError, match="is not SOURCE=USERNAME"):
        run("--project", project.slug, "--annotator", "label-studio-1", LABEL_STUDIO)
    assert Document.objects.count() == 0
    assert not get_user_model().objects.filter(username="nosuchuser").exists()


def test_annotator_mapped_to_an_existing_user(project, lead):
    out, _ = run(
        "--project",
        project.slug,
        "--annotations",
        "annotators",
        "--annotator",
        "label-studio-2=lead",
        LABEL_STUDIO,
    )
    assert "with 100 annotations by annotators" in out
    assert Assignment.objects.filter(annotator=lead).count() == 50


def test_doccano_zip_through_the_command(project):
    # The command reads through a progress-counting stream that cannot seek.
    out, err = run("--project", project.slug, "--annotations", "annotators", DOCCANO)
    assert out.strip() == (
        "50 imported, 0 duplicates skipped, 0 rejected, with 100 annotations by annotators"
    )
    assert err == ""
    usernames = set(Assignment.objects.values_list("annotator__username", flat=True))
    assert usernames == {"imported-doccano-admin", "imported-doccano-annb"}
    out, _ = run("--project", project.slug, "--annotations", "annotators", DOCCANO)
    assert out.strip() == "0 imported, 100 duplicates skipped, 0 rejected"


def test_documents_only_and_created_labels(project, tmp_path):
    out, _ = run("--project", project.slug, "--annotations", "none", DOCCANO)
    # Without its annotator's work, the second file's lines are the same texts again.
    assert out.strip() == "50 imported, 50 duplicates skipped, 0 rejected"
    assert not Assignment.objects.exists() and not GoldSpan.objects.exists()

    path = tmp_path / "weapons.jsonl"
    path.write_text('{"id": 1, "text": "A barrel bomb fell.", "label": [[2, 13, "WEAPON"]]}\n')
    with pytest.raises(CommandError, match="1 rejected"):
        run("--project", project.slug, "--annotations", "annotators", str(path))
    assert not Label.objects.filter(key="WEAPON").exists()
    out, _ = run(
        "--project", project.slug, "--annotations", "annotators", "--create-labels", str(path)
    )
    assert out.strip() == (
        "1 imported, 0 duplicates skipped, 0 rejected, with 1 annotation by annotators"
    )
    assert Label.objects.get(project=project, key="WEAPON").spans.count() == 1


def test_format_reads_a_file_whose_name_does_not_say_what_it_is(project, tmp_path):
    renamed = tmp_path / "export.txt"
    renamed.write_bytes((INTEROP / "label-studio-export-50.json").read_bytes())
    out, _ = run("--project", project.slug, "--annotations", "none", str(renamed))
    assert out.startswith("1 imported")  # read by its name: one plain text document
    other = tmp_path / "again.txt"
    other.write_bytes(renamed.read_bytes())
    project.documents.all().delete()
    out, _ = run(
        "--project", project.slug, "--format", "label-studio", "--annotations", "none", str(other)
    )
    assert out.startswith("50 imported")
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        run("--project", project.slug, "--format", "xml", str(other))
