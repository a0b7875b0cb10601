"""Checks of one field of a backup record each: the value and where it is (a field path) in,
the value to use out, or Bad naming the path and what is wrong."""

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .backups import COUNTS, ID_KINDS, BackupError


class Bad(ValueError):
    """A field that does not fit, named by its path within the record."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}" if where else problem)


# Field checkers: each takes the value and where it is, returns the value to use or raises Bad.
Check = Callable[[Any, str], Any]


def text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise Bad(where, "must be text")
    return value


def optional_text(value: Any, where: str) -> str | None:
    return None if value is None else text(value, where)


def count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Bad(where, "must be a whole number, 0 or more")
    return value


def identifier(value: Any, where: str) -> int:
    if count(value, where) == 0:
        raise Bad(where, "must be an id, 1 or more")
    return value


def optional_identifier(value: Any, where: str) -> int | None:
    return None if value is None else identifier(value, where)


def optional_count(value: Any, where: str) -> int | None:
    return None if value is None else count(value, where)


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise Bad(where, "must be true or false")
    return value


def integer(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Bad(where, "must be a whole number")
    return value


def seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise Bad(where, "must be a number of seconds, 0 or more")
    if not math.isfinite(value):
        raise Bad(where, "must be a finite number")
    return value


def json_object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise Bad(where, "must be a JSON object")
    return value


def anything(value: Any, where: str) -> Any:
    return value


def identifiers(value: Any, where: str) -> list[int]:
    if not isinstance(value, list):
        raise Bad(where, "must be a list of ids")
    return [integer(item, f"{where}[{index}]") for index, item in enumerate(value)]


def moment(value: Any, where: str) -> datetime:
    try:
        when = datetime.fromisoformat(text(value, where))
    except ValueError:
        raise Bad(where, f"'{value}' is not a date and time") from None
    if when.tzinfo is None:
        raise Bad(where, "the date and time must give its UTC offset")
    return when


def optional_moment(value: Any, where: str) -> datetime | None:
    return None if value is None else moment(value, where)


def list_of(fields: dict[str, Check]) -> Check:
    def check(value: Any, where: str) -> list[dict]:
        if not isinstance(value, list):
            raise Bad(where, "must be a list")
        return [fields_of(fields, item, f"{where}[{index}]") for index, item in enumerate(value)]

    return check


def optional_record(fields: dict[str, Check]) -> Check:
    def check(value: Any, where: str) -> dict | None:
        return None if value is None else fields_of(fields, value, where)

    return check


def fields_of(fields: dict[str, Check], value: Any, where: str) -> dict[str, Any]:
    """The record with every field checked: none missing, none unknown."""
    json_object(value, where)
    prefix = f"{where}." if where else ""
    missing = [name for name in fields if name not in value]
    if missing:
        raise Bad(where, f"'{missing[0]}' is missing")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise Bad(where, f"unknown field '{unknown[0][:50]}'")
    return {name: check(value[name], f"{prefix}{name}") for name, check in fields.items()}


def checked(fields: dict[str, Check], value: dict[str, Any], line: int) -> dict[str, Any]:
    try:
        return fields_of(fields, value, "")
    except Bad as bad:
        raise BackupError(str(bad), line) from None


def counts(value: Any, where: str) -> dict[str, int]:
    json_object(value, where)
    if sorted(value) != sorted(COUNTS):
        raise Bad(where, f"must count {', '.join(COUNTS)}")
    return {kind: count(value[kind], f"{where}.{kind}") for kind in COUNTS}


def id_ranges(value: Any, where: str) -> dict[str, tuple[int, int]]:
    json_object(value, where)
    unknown = sorted(set(value) - set(ID_KINDS))
    if unknown:
        raise Bad(where, f"unknown kind of id '{unknown[0][:50]}'")
    ranges = {}
    for kind, bounds in value.items():
        if not (isinstance(bounds, list) and len(bounds) == 2):
            raise Bad(f"{where}.{kind}", "must be [lowest, highest]")
        low, high = (identifier(bound, f"{where}.{kind}") for bound in bounds)
        if low > high:
            raise Bad(f"{where}.{kind}", "must be [lowest, highest]")
        ranges[kind] = (low, high)
    return ranges
