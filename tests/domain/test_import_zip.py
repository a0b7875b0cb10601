import io
import json
import os
import zipfile

import pytest

from annotator.domain import import_zip
from annotator.domain.importers import DocumentRecord, RowError, read_documents


def zipped(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def read(data: io.BytesIO, **options) -> list:
    return list(read_documents("upload.zip", data, **options))


def document(text: str) -> bytes:
    return json.dumps({"text": text}).encode() + b"\n"


@pytest.mark.parametrize(
    "name", ["../evil.txt", "docs/../../evil.txt", "/etc/cron.d/evil.txt", "..\\..\\evil.txt"]
)
def test_a_zip_slip_member_refuses_the_whole_archive(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = zipped({"a.txt": b"A fine report.", name: b"Owned."})
    rows = read(data)
    assert [type(row) for row in rows] == [RowError]
    [error] = rows
    assert error.whole_file and error.source == "upload.zip"
    assert "refused as unsafe" in error.reason and "'" + name + "'" in error.reason
    assert os.listdir(tmp_path) == []  # members are read, never unpacked to disk


def test_a_member_too_large_unpacked_is_refused_from_the_directory():
    rows = read(zipped({"big.jsonl": document("x" * 5000)}), max_bytes=4000)
    [error] = rows
    assert error.whole_file
    assert error.reason == (
        "'big.jsonl' in the zip unpacks to 5,013 bytes; a file may be at most 4,000 bytes"
    )


def test_a_zip_bomb_of_zeros_is_refused_before_it_is_decompressed():
    buffer = io.BytesIO()
    zeros = bytes(2**20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("bomb.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(101):
            member.write(zeros)
    assert buffer.tell() < 2**20  # a small archive that unpacks to 101 MB
    buffer.seek(0)
    [error] = read(buffer)
    assert error.reason == "'bomb.txt' in the zip unpacks to 101 MB; a file may be at most 100 MB"


def test_many_members_together_too_large_unpacked_are_refused():
    members = {f"{n}.jsonl": document("y" * 4900) for n in range(11)}
    [error] = read(zipped(members), max_bytes=5000)
    assert error.reason == "the zip unpacks to 54,043 bytes; it may unpack to at most 50,000 bytes"


def test_a_zip_of_too_many_files_is_refused(monkeypatch):
    monkeypatch.setattr(import_zip, "MAX_ZIP_MEMBERS", 3)
    [error] = read(zipped({f"{n}.txt": b"text" for n in range(4)}))
    assert error.reason == "the zip holds 4 files; it may hold at most 3"


def test_a_damaged_member_refuses_the_archive_instead_of_crashing():
    data = zipped({"a.jsonl": document("A report about Idlib.") * 50}).getvalue()
    start = data.index(b"PK\x03\x04") + 30 + len("a.jsonl")
    damaged = data[: start + 10] + bytes(b ^ 0xFF for b in data[start + 10 : start + 20])
    damaged += data[start + 20 :]
    rows = read(io.BytesIO(damaged))
    assert rows and rows[-1].whole_file
    assert rows[-1].source == "upload.zip/a.jsonl"
    assert "the zip is damaged or cannot be read" in rows[-1].reason


def test_a_binary_member_is_named_and_refuses_the_archive():
    rows = read(zipped({"a.txt": b"A fine report.", "b.txt": b"\x89PNG\r\n\x1a\n\x00\x00"}))
    assert isinstance(rows[0], DocumentRecord)
    assert str(rows[-1]) == "upload.zip/b.txt:1: binary file, not text: it is a PNG image"
    assert rows[-1].whole_file


def test_a_brat_pair_that_is_not_utf8_names_its_member():
    rows = read(zipped({"doc.txt": "قتل 16".encode("cp1256"), "doc.ann": b""}))
    [error] = rows
    assert error.source == "upload.zip/doc.txt" and error.whole_file
    assert "the file is not UTF-8" in error.reason


def test_member_names_with_markup_and_control_characters_are_shown_escaped():
    [error] = read(zipped({"<b>x</b>\x1b[31m.pdf": b"%PDF"}))
    assert error.source == "upload.zip/<b>x</b>\\u001b[31m.pdf"
    assert not error.whole_file  # an unsupported member is one row error, as before
