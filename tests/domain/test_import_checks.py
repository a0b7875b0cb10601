"""Files that are not UTF-8 text, or too large, are refused whole with what they look like."""

import io
import json

import pytest

from annotator.domain.import_checks import (
    MAX_IMPORT_BYTES,
    display_name,
    known_size,
    zip_member_problem,
)
from annotator.domain.importers import DocumentRecord, RowError, read_documents

ARABIC = "قتل 16 مدنيا في قصف على إدلب، بحسب الدفاع المدني.\nوأصيب 30 آخرون.\n"
SUFFIXES = ("txt", "jsonl", "csv", "json", "conll")


def as_file(suffix: str, text: str) -> str:
    """`text` as the content of a valid file of that kind."""
    if suffix == "jsonl":
        return json.dumps({"text": text}, ensure_ascii=False) + "\n"
    if suffix == "csv":
        return "text\n" + json.dumps(text, ensure_ascii=False) + "\n"
    if suffix == "json":
        return json.dumps([{"data": {"text": text}}], ensure_ascii=False)
    if suffix == "conll":
        return "".join(f"{word} O\n" for word in text.split()) + "\n"
    return text


def refusal(name: str, data: bytes, **options) -> RowError:
    rows = list(read_documents(name, io.BytesIO(data), **options))
    assert not any(isinstance(row, DocumentRecord) for row in rows[-1:]), rows
    error = rows[-1]
    assert isinstance(error, RowError) and error.whole_file, rows
    return error


def test_the_arabic_sample_reads_as_utf8_in_every_format():
    for suffix in SUFFIXES:
        data = as_file(suffix, ARABIC).encode()
        rows = list(read_documents(f"ar.{suffix}", io.BytesIO(data)))
        assert [type(row) for row in rows] == [DocumentRecord], (suffix, rows)


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize(
    ("codec", "reason"),
    [
        ("utf-16", "the file is UTF-16 (it starts with a UTF-16 byte order mark)"),
        ("utf-16-be", "the file looks like UTF-16 (big-endian, without a byte order mark)"),
        ("utf-16-le", "the file looks like UTF-16 (little-endian, without a byte order mark)"),
        ("utf-32", "the file is UTF-32"),
    ],
)
def test_utf16_with_and_without_bom_is_refused_with_advice(suffix, codec, reason):
    error = refusal(f"u16.{suffix}", as_file(suffix, ARABIC).encode(codec))
    assert error.line == 1
    assert error.reason.startswith(reason) and "save it as UTF-8" in error.reason


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_windows_arabic_is_named_with_where_it_starts(suffix):
    error = refusal(f"cp1256.{suffix}", as_file(suffix, ARABIC).encode("cp1256"))
    assert "it looks like Windows-1256, Arabic" in error.reason
    assert "save it as UTF-8" in error.reason


def test_invalid_utf8_gives_byte_offset_line_and_column():
    data = b'{"text": "one"}\n{"text": "caf\xc3\xa9 \x80 two"}\n'
    error = refusal("mixed.jsonl", data)
    assert str(error) == (
        "mixed.jsonl:2: the file is not UTF-8: byte 32 (line 2, column 16) is 0x80; save it as "
        "UTF-8 and import it again"
    )
    assert data[32] == 0x80


def test_a_broken_byte_past_the_first_rows_still_refuses_the_whole_file():
    lines = [json.dumps({"text": f"document {n}"}).encode() for n in range(5000)]
    lines.insert(4000, b'{"text": "bad \xff"}')
    rows = list(read_documents("big.jsonl", io.BytesIO(b"\n".join(lines))))
    assert len(rows) == 4001 and rows[-1].whole_file and rows[-1].line == 4001


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "it is a PNG image"),
        (
            b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
            "it is a zip archive (a .zip, or a .docx, .xlsx or .odt document)",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "it is a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "it is a JPEG image"),
        (b"hello\x00\x00\x01\x02\x00\x03\xfe\xff", "it holds NUL bytes (the first at byte 5)"),
    ],
)
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_binary_file_renamed_as_text_is_not_text(suffix, content, kind):
    error = refusal(f"renamed.{suffix}", content)
    assert error.reason == f"binary file, not text: {kind}"


def test_a_nul_byte_after_the_first_bytes_looked_at_is_found_where_it_is():
    data = b'{"text": "padding"}\n' * 5000 + b'{"text": "a\x00b"}\n'
    error = refusal("late.jsonl", data)
    assert error.line == 5001
    assert error.reason.startswith("binary file, not text: a NUL byte at byte 100,011")


class Unreadable(io.RawIOBase):
    """A stream of known size that must not be read."""

    def __init__(self, size: int):
        self.size = size

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        return self.size if whence == io.SEEK_END else offset

    def tell(self):
        return 0

    def readinto(self, buffer):
        raise AssertionError("a file too large must be refused before it is read")


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read():
    [error] = read_documents("huge.jsonl", Unreadable(200 * 2**20), max_bytes=MAX_IMPORT_BYTES)
    assert error.whole_file and error.line == 1
    assert error.reason == (
        "the file is 200 MB; an import file may be at most 100 MB (split it into smaller files)"
    )


def test_a_sparse_200_mb_file_on_disk_is_refused_by_its_size(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(200 * 2**20)  # sparse: no disk space, no memory
    with path.open("rb") as stream:
        [error] = read_documents("huge.txt", stream, max_bytes=MAX_IMPORT_BYTES)
        assert stream.tell() == 0
    assert "the file is 200 MB" in error.reason


class Endless(io.RawIOBase):
    """A stream of unknown length (a pipe, a wrapped reader), counting what is read of it."""

    def __init__(self, line: bytes):
        self.line, self.given = line, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = (self.line * (len(buffer) // len(self.line) + 1))[: len(buffer)]
        buffer[: len(chunk)] = chunk
        self.given += len(chunk)
        return len(chunk)


def test_a_stream_of_unknown_length_is_cut_off_just_past_the_limit():
    stream = Endless(b'{"text": "again"}\n')
    rows = list(read_documents("pipe.jsonl", stream, max_bytes=1_000_000))
    assert rows[-1].whole_file
    assert rows[-1].reason.startswith("the file is larger than 1,000,000 bytes")
    assert stream.given <= 1_000_001 + 64 * 2**10


def test_within_the_limit_a_file_reads_as_usual():
    data = as_file("jsonl", "A report.").encode()
    [record] = read_documents("ok.jsonl", io.BytesIO(data), max_bytes=len(data))
    assert record.text == "A report."


def test_known_size_counts_from_where_the_stream_is():
    stream = io.BytesIO(b"0123456789")
    stream.read(4)
    assert known_size(stream) == 6 and stream.tell() == 4


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("<img src=x onerror=alert(1)>.txt", "<img src=x onerror=alert(1)>.txt"),
        ("line\nbreak.txt", "line\\u000abreak.txt"),
        ("nul\x00.txt", "nul\\u0000.txt"),
        ("evil\u202etxt.exe.txt", "evil\\u202etxt.exe.txt"),
        ("zero\u200bwidth.txt", "zero\\u200bwidth.txt"),
        ("تقرير.txt", "تقرير.txt"),
    ],
)
def test_names_are_shown_with_their_invisible_characters_escaped(name, shown):
    assert display_name(name) == shown
    [error] = read_documents(name, io.BytesIO(b""))
    assert error.source == shown


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/passwd.txt", "..\\evil.txt", "C:\\x.txt"]
)
def test_zip_member_names_that_leave_the_folder_are_refused(name):
    assert zip_member_problem(name)


@pytest.mark.parametrize("name", ["docs/a.txt", "a..b.txt", "..hidden/x.txt", "x/y/z.jsonl"])
def test_ordinary_zip_member_names_are_accepted(name):
    assert zip_member_problem(name) is None
