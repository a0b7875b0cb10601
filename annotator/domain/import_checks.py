"""Whether an imported file is UTF-8 text at all, checked before and while it is parsed.

Files come from strangers' machines: saved by Excel as UTF-16, by an old Windows tool in an
Arabic code page, renamed from .png or .docx, or too large to parse in a request. Each is
refused as a whole file, with what it looks like and how to fix it; a file that is not text
is never half-imported. Names are shown, never used as paths, and without the characters
that would break a report line or reorder it (control and bidi characters).
"""

import codecs
import io
import os
import re
import unicodedata
from typing import BinaryIO

MAX_IMPORT_BYTES = 100 * 2**20  # the default of settings.ANNOTATOR_MAX_IMPORT_BYTES
HEAD_BYTES = 64 * 2**10  # what is looked at to tell what a file is


class FileRefused(Exception):
    """The whole file cannot be imported; `line` is where the reader found out."""

    def __init__(self, line: int, reason: str, source: str | None = None):
        super().__init__(reason)
        self.line, self.reason, self.source = line, reason, source


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (a .zip, or a .docx, .xlsx or .odt document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
SAVE_AS_UTF8 = "save it as UTF-8 and import it again"


def head_problem(head: bytes) -> str | None:
    """Why a file starting with `head` is not UTF-8 text, when its first bytes tell."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return f"the file is {name} (it starts with a {name} byte order mark); {SAVE_AS_UTF8}"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return f"binary file, not text: it is {kind}"
    if b"\x00" not in head:
        return None
    endian = _utf16_without_bom(head)
    if endian:
        return f"the file looks like UTF-16 ({endian}, without a byte order mark); {SAVE_AS_UTF8}"
    at = head.index(b"\x00")
    return f"binary file, not text: it holds NUL bytes (the first at byte {at:,})"


def _utf16_without_bom(head: bytes) -> str | None:
    """Which UTF-16 the bytes are, when every other byte is the NUL of ASCII text (spaces and
    digits at least, in Arabic text) and they decode to readable text that way."""
    sample = head[: min(len(head), 4096) // 2 * 2]
    if len(sample) < 16:  # too short to tell from a few bytes of binary
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, others, codec, name in (
        (odd, even, "utf-16-le", "little-endian"),
        (even, odd, "utf-16-be", "big-endian"),
    ):
        if nuls >= half * 0.1 and others == 0:
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:
                return None
            readable = sum(char.isprintable() or char in "\t\r\n" for char in text)
            return name if readable >= 0.95 * len(text) else None
    return None


def utf8_text(raw: bytes, *, offset: int = 0, line: int = 1) -> str:
    """`raw` decoded; FileRefused naming the byte, line and column where it stops being UTF-8
    text. `offset` and `line` say where `raw` starts in its file."""
    nul = raw.find(b"\x00")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
    else:
        bad = -1
    if bad != -1 and (nul == -1 or nul > bad):
        raise FileRefused(*_not_utf8(raw, bad, offset, line))
    if nul != -1:
        where, column = _line_and_column(raw, nul, line)
        raise FileRefused(
            where,
            f"binary file, not text: a NUL byte at byte {offset + nul:,} "
            f"(line {where}, column {column})",
        )
    return text


def _not_utf8(raw: bytes, start: int, offset: int, line: int) -> tuple[int, str]:
    where, column = _line_and_column(raw, start, line)
    position = f"byte {offset + start:,} (line {where}, column {column}) is 0x{raw[start]:02x}"
    guess = encoding_guess(raw[max(start - HEAD_BYTES // 2, 0) : start + HEAD_BYTES // 2])
    looks = f" (it looks like {guess})" if guess else ""
    return where, f"the file is not UTF-8{looks}: {position}; {SAVE_AS_UTF8}"


def _line_and_column(raw: bytes, at: int, line: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, at) + 1
    before = raw[line_start:at].decode("utf-8", errors="replace")
    return line + raw.count(b"\n", 0, at), len(before) + 1


# Letters of the Arabic script (U+0600..U+06FF) that Windows-1256 encodes.
_ARABIC = re.compile("[\u0621-\u064a\u0660-\u0669\u067e\u0686\u0698\u06af]")


def encoding_guess(raw: bytes) -> str | None:
    """The legacy encoding that non-UTF-8 bytes most likely are, for the error message."""
    high = sum(1 for byte in raw if byte >= 0x80)
    if not high:
        return None
    arabic = len(_ARABIC.findall(raw.decode("cp1256", errors="replace")))
    if arabic >= max(3, 0.6 * high):
        return "Windows-1256, Arabic"
    latin = raw.decode("cp1252", errors="replace")
    letters = sum(1 for char in latin if ord(char) >= 0x80 and char.isalpha())
    if letters >= 0.6 * high:
        return "Windows-1252 or Latin-1, Western European"
    return None


def known_size(stream: BinaryIO) -> int | None:
    """The stream's length in bytes, when it can be told without reading it."""
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    seekable = getattr(stream, "seekable", None)
    if seekable is None or not seekable():
        return None
    here = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(here)
    return size - here


def too_large(limit: int, size: int | None = None) -> str:
    """Why a file of `size` bytes (None: of more than `limit`) is refused."""
    shown = f"larger than {megabytes(limit)}" if size is None else megabytes(size)
    return (
        f"the file is {shown}; an import file may be at most {megabytes(limit)} "
        "(split it into smaller files)"
    )


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size:,} bytes"


class SizeLimited(io.RawIOBase):
    """A stream of unknown length, refused once more than `limit` bytes have been read from it,
    so a file too large is never read whole."""

    def __init__(self, stream: BinaryIO, limit: int):
        self._stream, self._limit, self._read = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), self._limit + 1 - self._read))
        self._read += len(data)
        if self._read > self._limit:
            raise FileRefused(1, too_large(self._limit))
        buffer[: len(data)] = data
        return len(data)


class Replayed(io.RawIOBase):
    """A stream whose first bytes were read to look at; they are read again first."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count], self._head = self._head[:count], self._head[count:]
            return count
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# C0 and C1 controls, and the characters that reorder or hide text (bidi overrides and
# isolates, zero-width ones): in a name they would break or disguise a report line.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp"}


def display_name(name: str) -> str:
    """A file name as it may be shown and stored: its invisible characters as escapes."""
    if name.isprintable():
        return name
    return "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in _HIDDEN else char
        for char in name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


def zip_member_problem(name: str) -> str | None:
    """Why a zip member's name is refused: one that would leave the folder it is unpacked in."""
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    if ".." in parts:
        return "a path out of the archive ('..')"
    if "\x00" in name:
        return "a NUL character in its name"
    return None
