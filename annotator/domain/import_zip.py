"""Reading a .zip of files to import, refusing the archives made to harm the reader.

Members are read in memory, never unpacked to disk; still, a member named to climb out of a
folder ("../", "/etc/...", "C:\\...") is what a zip-slip attack looks like, and is refused
rather than trusted to the next tool that unpacks the same file. A zip bomb (a small archive
that unpacks to gigabytes, or to more files than anyone imports) is refused from its
directory, before any member is decompressed: the sizes there bound what zipfile will read.
"""

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from .import_checks import FileRefused, display_name, megabytes, zip_member_problem
from .import_records import ImportRow, RowError

MAX_ZIP_MEMBERS = 10_000
UNPACKED_FACTOR = 10  # a zip may unpack to ten times the size an import file may be
# What reading a damaged, encrypted or oddly compressed member raises.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def read_zip(source: str, stream: BinaryIO, *, max_bytes: int) -> Iterator[ImportRow]:
    if getattr(stream, "seekable", lambda: False)():
        yield from _read_archive(source, stream, max_bytes)
        return
    # A zip's directory is at its end; a stream that cannot seek is spooled to disk first.
    with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as spooled:
        shutil.copyfileobj(stream, spooled)
        spooled.seek(0)
        yield from _read_archive(source, spooled, max_bytes)


def _read_archive(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[ImportRow]:
    from .importers import SUPPORTED_SUFFIXES, file_kind, read_documents
    from .interop.brat import read_brat_pair

    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        yield RowError(source, 1, "not a zip archive")
        return
    with archive:
        infos = archive.infolist()
        _check_directory(infos, max_bytes)
        members = sorted((info for info in infos if not info.is_dir()), key=lambda i: i.filename)
        # brat standoff: a .txt and its .ann make one document with its spans.
        standoff = {info.filename[:-4] for info in members if info.filename.endswith(".ann")}
        in_zip = ", ".join([*(s for s in SUPPORTED_SUFFIXES if s != ".zip"), ".ann (brat)"])
        for info in members:
            name = f"{source}/{display_name(info.filename)}"
            stem = info.filename[:-4]
            try:
                if stem in standoff and info.filename.endswith((".txt", ".ann")):
                    if info.filename.endswith(".txt"):
                        text, ann = archive.read(info), archive.read(f"{stem}.ann")
                        yield from read_brat_pair(source, display_name(stem), text, ann)
                    continue
                if info.filename.startswith("__MACOSX/") or PurePosixPath(
                    info.filename
                ).name.startswith("."):
                    continue  # the archiver's own files
                if file_kind(info.filename) in (None, "zip"):
                    yield RowError(
                        name, 1, f"unsupported file type in the zip (it may hold {in_zip})"
                    )
                    continue
                with archive.open(info) as member:
                    yield from read_documents(name, member)
            except _UNREADABLE as error:
                reason = f"the zip is damaged or cannot be read: {error}"
                raise FileRefused(1, reason, name) from None


def _check_directory(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse the archive for its names and sizes, before anything in it is read."""
    for info in infos:
        problem = zip_member_problem(info.filename)
        if problem:
            raise FileRefused(
                1, f"the zip holds '{display_name(info.filename)}', {problem}: refused as unsafe"
            )
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FileRefused(
            1, f"the zip holds {len(infos):,} files; it may hold at most {MAX_ZIP_MEMBERS:,}"
        )
    for info in infos:
        if info.file_size > max_bytes:
            raise FileRefused(
                1,
                f"'{display_name(info.filename)}' in the zip unpacks to "
                f"{megabytes(info.file_size)}; a file may be at most {megabytes(max_bytes)}",
            )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > UNPACKED_FACTOR * max_bytes:
        raise FileRefused(
            1,
            f"the zip unpacks to {megabytes(unpacked)}; it may unpack to at most "
            f"{megabytes(UNPACKED_FACTOR * max_bytes)}",
        )
