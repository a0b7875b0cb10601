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


# Hostile files -------------------------------------------------------------------------------

HOSTILE_FILES = {
    "UTF-16": ("u16.txt", "قتل 16 مدنيا".encode("utf-16"), "the file is UTF-16"),
    "UTF-16 without BOM": ("u16.jsonl", '{"text": "x y"}\n'.encode("utf-16-le"), "UTF-16"),
    "cp1256": ("ar.csv", "text\nقتل 16 مدنيا\n".encode("cp1256"), "Windows-1256, Arabic"),
    "binary": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
    "invalid UTF-8": ("bad.jsonl", b'{"text": "ok"}\n{"text": "\x81"}\n', "byte 25 (line 2"),
    "CSV field over 1 MB": (
        "big.csv",
        b'text\nfine\n"' + b"x" * 1_000_001 + b'"\nafter\n',
        "invalid CSV: a field is longer than 1,000,000 characters",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_a_hostile_file_imports_nothing_even_when_skipping_bad_rows(project, case):
    name, data, reason = HOSTILE_FILES[case]
    report = document_import(
        project=project,
        files=[("good.txt", io.BytesIO(b"A good report.")), (name, io.BytesIO(data))],
        skip_invalid=True,
    )
    assert not report.committed and report.imported == 0
    [error] = report.errors
    assert error.source == name and error.whole_file and reason in error.reason, error.reason
    assert report.summary().startswith(
        f"0 imported, 0 duplicates skipped, 1 rejected. Nothing was imported: {name} cannot be "
        "imported at all"
    )
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "a", "meta": {"x": NaN}}', "NaN is not a JSON number"),
        (b'{"text": "a", "meta": {"n": ' + b"1" * 5000 + b"}}", "a number with 5,000 digits"),
        (b"[" * 100_000, "nested more than 64 levels deep"),
        (b'{"text": "a", "text": "b"}', "the key 'text' appears twice in one object"),
    ],
)
def test_a_hostile_jsonl_line_imports_nothing_and_names_its_line(project, line, reason):
    name, data = jsonl_file("in.jsonl", [*good_lines(3), line])
    report = document_import(project=project, files=[(name, data)])
    [error] = report.errors
    assert error.line == 4 and error.reason.startswith(f"invalid JSON: {reason}")
    assert Document.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(project, tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.truncate(200 * 2**20)  # sparse: takes no disk space and is never read
    with path.open("rb") as stream:
        report = document_import(project=project, files=[("huge.jsonl", stream)])
        assert stream.tell() == 0
    assert [str(error) for error in report.errors] == [
        "huge.jsonl:1: the file is 200 MB; an import file may be at most 100 MB (split it into "
        "smaller files)"
    ]
    assert Document.objects.count() == 0


def test_the_size_limit_is_a_setting(project, settings):
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 10
    report = document_import(project=project, files=[("a.txt", io.BytesIO(b"Eleven byte"))])
    assert "the file is 11 bytes; an import file may be at most 10 bytes" in report.errors[0].reason
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 11
    assert document_import(project=project, files=[("a.txt", io.BytesIO(b"Eleven byte"))]).committed


def test_a_name_with_control_characters_is_stored_and_reported_escaped(project):
    name = "../<img src=x onerror=alert(1)>\x1b[2J\u202e.txt"
    document_import(project=project, files=[(name, io.BytesIO(b"Text"))])
    assert Document.objects.get().source_name == "<img src=x onerror=alert(1)>\\u001b[2J\\u202e.txt"
