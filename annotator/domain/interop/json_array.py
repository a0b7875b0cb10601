"""The items of a JSON array one at a time, each with the line it starts on, so that a
problem in one item of a large export names its line and the rest can still be read."""

import re
from collections.abc import Iterator
from typing import Any

from ..strict_json import strict_raw_decode

_SPACE = re.compile(r"[ \t\n\r]*")


class ArrayError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


def array_items(text: str) -> Iterator[tuple[int, Any]]:
    """(line, item) for each item of the top-level array in `text`; raises ArrayError where
    the text stops being one."""
    lines = _Lines(text)
    at = _SPACE.match(text, 0).end()
    if not text.startswith("[", at):
        raise ArrayError(lines.at(at), "expected a JSON array of tasks")
    at = _SPACE.match(text, at + 1).end()
    if text.startswith("]", at):
        return
    while True:
        try:
            item, end = strict_raw_decode(text, at)
        except ValueError as error:
            raise ArrayError(lines.at(at), f"invalid JSON: {error}") from None
        yield lines.at(at), item
        at = _SPACE.match(text, end).end()
        if text.startswith("]", at):
            return
        if not text.startswith(",", at):
            raise ArrayError(lines.at(at), "expected ',' or ']' after an item of the array")
        at = _SPACE.match(text, at + 1).end()


class _Lines:
    """Line numbers of increasing positions, counted once."""

    def __init__(self, text: str):
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line
