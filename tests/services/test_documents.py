import io
import json
from pathlib import Path

import pytest
from django.conf import settings

from annotator.models import Document
from annotator.services import document_import
from annotator.services import documents as services

SEEDS = sorted((Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("*.txt"))


def seed_files():
    return [(path.name, io.BytesIO(path.read_bytes())) for path in SEEDS]


def jsonl_file(name: str, lines: list[bytes]) -> tuple[str, io.BytesIO]:
    return name, io.BytesIO(b"\n".join(lines) + b"\n")


def good_lines(count: int) -> list[bytes]:
    return [
        json.dumps({"text": f"Report number {i}: 3 civilians killed."}).encode()
        for i in range(count)
    ]


def test_seeds_import_once_then_are_duplicates(project):
    first = document_import(project=project, files=seed_files())
    assert (first.imported, first.duplicates, first.rejected) == (5, 0, 0)
    second = document_import(project=project, files=seed_files())
    assert (second.imported, second.duplicates, second.rejected) == (0, 5, 0)
    assert Document.objects.filter(project=project).count() == 5


def test_text_is_stored_byte_for_byte(project):
    text = "Title 👩‍👧 \ufeff mid-text BOM kept\r\nقتل 16 مدنيا\r\ncafe\u0301 ’quoted’\n"
    document_import(project=project, files=[("x.txt", io.BytesIO(text.encode()))])
    stored = Document.objects.get(project=project)
    assert stored.text == text
    assert stored.title == "Title 👩‍👧 \ufeff mid-text BOM kept"
    assert stored.source_name == "x.txt"


def test_one_malformed_line_among_a_thousand_imports_nothing_and_names_the_line(project):
    lines = good_lines(1000)
    lines.insert(500, b'{"text": "unterminated')
    report = document_import(project=project, files=[jsonl_file("big.jsonl", lines)])
    assert not report.committed
    assert report.imported == 0
    assert [str(error).split(": invalid JSON")[0] for error in report.errors] == ["big.jsonl:501"]
    assert Document.objects.count() == 0


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(project):
    lines = good_lines(1000)
    lines.insert(500, b'{"text": "unterminated')
    report = document_import(
        project=project, files=[jsonl_file("big.jsonl", lines)], skip_invalid=True
    )
    assert (report.imported, report.rejected) == (1000, 1)
    assert Document.objects.count() == 1000


def test_duplicates_are_found_across_batches_and_files(project, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH_SIZE", 3)
    lines = good_lines(7)
    report = document_import(
        project=project,
        files=[jsonl_file("a.jsonl", lines), jsonl_file("b.jsonl", [lines[0], lines[6]])],
    )
    assert (report.imported, report.duplicates) == (7, 2)


def test_known_external_id_with_same_text_is_a_duplicate_with_other_text_a_reject(project):
    document_import(
        project=project, files=[jsonl_file("a.jsonl", [b'{"text": "one", "external_id": "e1"}'])]
    )
    report = document_import(
        project=project,
        files=[
            jsonl_file(
                "b.jsonl",
                [
                    b'{"text": "one", "external_id": "e1"}',
                    b'{"text": "changed", "external_id": "e1"}',
                ],
            )
        ],
        skip_invalid=True,
    )
    assert (report.imported, report.duplicates) == (0, 1)
    assert [str(error) for error in report.errors] == [
        "b.jsonl:2: external id 'e1' is already used by a different text"
    ]
    assert Document.objects.get(external_id="e1").text == "one"


def test_same_external_id_twice_in_one_file_with_different_text_is_a_reject(project):
    report = document_import(
        project=project,
        files=[
            jsonl_file(
                "a.jsonl",
                [b'{"text": "one", "external_id": "e1"}', b'{"text": "two", "external_id": "e1"}'],
            )
        ],
    )
    assert not report.committed
    assert [error.line for error in report.errors] == [2]


def test_errors_from_every_file_are_reported_in_order(project):
    report = document_import(
        project=project,
        files=[("b.txt", io.BytesIO(b"")), ("a.jsonl", io.BytesIO(b"{}\n[]\n"))],
    )
    assert [f"{e.source}:{e.line}" for e in report.errors] == ["a.jsonl:1", "a.jsonl:2", "b.txt:1"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_import_leaves_earlier_batches_rolled_back(project, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH_SIZE", 10)
    lines = [*good_lines(95), b"not json"]
    report = document_import(project=project, files=[jsonl_file("a.jsonl", lines)])
    assert report.created == 95
    assert Document.objects.count() == 0


def test_gold_with_a_label_the_project_lacks_is_refused_and_nothing_is_imported(project):
    import io
    import json

    from annotator.domain.documents import text_sha256
    from annotator.models import Document, GoldSpan

    text = "Russia struck Idlib."
    line = {
        "text": text,
        "sha256": text_sha256(text),
        "spans": [{"start": 14, "end": 19, "label": "WEAPON"}],
    }
    report = document_import(
        project=project, files=[("gold.jsonl", io.BytesIO(json.dumps(line).encode()))]
    )
    assert not report.committed
    assert [str(error) for error in report.errors] == [
        "gold.jsonl:1: spans[1].label: the project has no label 'WEAPON' (add it, or let the "
        "import create missing labels)"
    ]
    assert not Document.objects.filter(project=project).exists()
    assert not GoldSpan.objects.exists()
