"""Finding and opening input files for the CLI commands."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.core.management.base import CommandError

from annotator.domain.importers import SUPPORTED_SUFFIXES, file_kind


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders as the supported files inside them (sorted, hidden ones left out).
    Every path is checked before anything is imported."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                item
                for item in path.rglob("*")
                if item.is_file()
                and file_kind(item.name)
                and not any(part.startswith(".") for part in item.relative_to(path).parts)
            )
            if not found:
                suffixes = ", ".join(SUPPORTED_SUFFIXES)
                raise CommandError(f"{raw}: the folder has no {suffixes} files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder")
    return files


def open_each(
    files: list[Path], wrap: Callable[[BinaryIO], BinaryIO] = lambda stream: stream
) -> Iterator[tuple[str, BinaryIO]]:
    """(name, stream) pairs, each file open only while it is being read."""
    for path in files:
        with path.open("rb") as stream:
            yield str(path), wrap(stream)
