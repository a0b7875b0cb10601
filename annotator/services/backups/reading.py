"""Reading a backup file: its lines, and a first pass that checks it whole before a restore
writes anything."""

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path

from ...domain.backup_records import header_check, trailer_check
from ...domain.backups import BackupError, record_load

# The longest line a restore reads: far more than any document with its annotations, far less
# than a file made to exhaust memory.
MAX_LINE_BYTES = 256 * 1024 * 1024


def backup_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of the uncompressed file, a line at a time, with a BackupError
    naming what is wrong with a file that is not gzip, is cut short, or has a monstrous line."""
    try:
        with gzip.open(path, "rb") as file:
            number = 0
            while data := file.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(data) > MAX_LINE_BYTES:
                    raise BackupError(f"longer than {MAX_LINE_BYTES:,} bytes", number)
                yield number, data
    except gzip.BadGzipFile as error:
        raise BackupError(f"not a gzip'd backup file ({error})") from None
    except EOFError:
        raise BackupError("the file is truncated: it ends inside its compressed data") from None
    except zlib.error as error:
        raise BackupError(f"the compressed data is damaged ({error})") from None


def backup_verify(path: Path) -> tuple[dict, dict]:
    """Read the whole file once, before anything is written: its header and its end record,
    or a BackupError if it is not a complete, unchanged backup of a version this reads."""
    header, last, records = None, None, -1
    digest = hashlib.sha256()
    for number, data in backup_lines(path):
        if last is not None:
            digest.update(last[1])
            records += 1
        if number == 1:
            header = header_check(backup_record(data, 1))
        last = (number, data)
    if header is None or last is None or last[0] == 1:
        raise BackupError("the file ends before its first record: it is truncated")
    trailer = trailer_check(backup_record(last[1], last[0]), last[0])
    if trailer["records"] != records:
        raise BackupError(
            f"the end record counts {trailer['records']:,} records but the file holds "
            f"{records:,}: lines were taken out or added",
            last[0],
        )
    if trailer["sha256"] != digest.hexdigest():
        raise BackupError(
            "the checksum does not match: the file was changed or damaged after it was made",
            last[0],
        )
    return header, trailer


def backup_record(data: bytes, number: int) -> dict:
    """A line of the file as its JSON object; BackupError naming the line if it is none."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BackupError(f"not UTF-8 text (byte {error.start})", number) from None
    return record_load(text, number)
