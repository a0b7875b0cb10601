"""The checks a backup's lines must pass to be restored: every field there, of its type, and
nothing else (a field path names what does not fit); then what a document must also be.
"""

import math
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from .backups import COUNTS, FORMAT, ID_KINDS, VERSION, BackupError, is_pair, whole
from .documents import text_sha256
from .links import KINDS as LINK_KINDS
from .spans import span_problem


class _Bad(ValueError):
    """A field that does not fit, named by its path within the record."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}" if where else problem)


# Field checkers: each takes the value and where it is, returns the value to use or raises _Bad.
Check = Callable[[Any, str], Any]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Bad(where, "must be text")
    return value


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Bad(where, "must be a whole number, 0 or more")
    return value


def _id(value: Any, where: str) -> int:
    if _count(value, where) == 0:
        raise _Bad(where, "must be an id, 1 or more")
    return value


def _optional_id(value: Any, where: str) -> int | None:
    return None if value is None else _id(value, where)


def _optional_count(value: Any, where: str) -> int | None:
    return None if value is None else _count(value, where)


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _Bad(where, "must be true or false")
    return value


def _integer(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad(where, "must be a whole number")
    return value


def _seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise _Bad(where, "must be a number of seconds, 0 or more")
    if not math.isfinite(value):
        raise _Bad(where, "must be a finite number")
    return value


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Bad(where, "must be a JSON object")
    return value


def _any(value: Any, where: str) -> Any:
    return value


def _ids(value: Any, where: str) -> list[int]:
    if not isinstance(value, list):
        raise _Bad(where, "must be a list of ids")
    return [_integer(item, f"{where}[{index}]") for index, item in enumerate(value)]


def _moment(value: Any, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(value, where))
    except ValueError:
        raise _Bad(where, f"'{value}' is not a date and time") from None
    if moment.tzinfo is None:
        raise _Bad(where, "the date and time must give its UTC offset")
    return moment


def _optional_moment(value: Any, where: str) -> datetime | None:
    return None if value is None else _moment(value, where)


def _list_of(fields: dict[str, Check]) -> Check:
    def check(value: Any, where: str) -> list[dict]:
        if not isinstance(value, list):
            raise _Bad(where, "must be a list")
        return [_fields(fields, item, f"{where}[{index}]") for index, item in enumerate(value)]

    return check


def _optional_record(fields: dict[str, Check]) -> Check:
    def check(value: Any, where: str) -> dict | None:
        return None if value is None else _fields(fields, value, where)

    return check


def _fields(fields: dict[str, Check], value: Any, where: str) -> dict[str, Any]:
    """The record with every field checked: none missing, none unknown."""
    _object(value, where)
    prefix = f"{where}." if where else ""
    missing = [name for name in fields if name not in value]
    if missing:
        raise _Bad(where, f"'{missing[0]}' is missing")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise _Bad(where, f"unknown field '{unknown[0][:50]}'")
    return {name: check(value[name], f"{prefix}{name}") for name, check in fields.items()}


def _checked(fields: dict[str, Check], value: dict[str, Any], line: int) -> dict[str, Any]:
    try:
        return _fields(fields, value, "")
    except _Bad as bad:
        raise BackupError(str(bad), line) from None


def _counts(value: Any, where: str) -> dict[str, int]:
    _object(value, where)
    if sorted(value) != sorted(COUNTS):
        raise _Bad(where, f"must count {', '.join(COUNTS)}")
    return {kind: _count(value[kind], f"{where}.{kind}") for kind in COUNTS}


def _id_ranges(value: Any, where: str) -> dict[str, tuple[int, int]]:
    _object(value, where)
    unknown = sorted(set(value) - set(ID_KINDS))
    if unknown:
        raise _Bad(where, f"unknown kind of id '{unknown[0][:50]}'")
    ranges = {}
    for kind, bounds in value.items():
        if not (isinstance(bounds, list) and len(bounds) == 2):
            raise _Bad(f"{where}.{kind}", "must be [lowest, highest]")
        low, high = (_id(bound, f"{where}.{kind}") for bound in bounds)
        if low > high:
            raise _Bad(f"{where}.{kind}", "must be [lowest, highest]")
        ranges[kind] = (low, high)
    return ranges


HEADER = {
    "format": _text,
    "version": _count,
    "project": _text,
    "made_at": _moment,
    "counts": _counts,
}
TRAILER = {"type": _text, "records": _count, "sha256": _text, "ids": _id_ranges}
PROJECT = {
    "type": _text,
    "id": _id,
    "name": _text,
    "slug": _text,
    "description": _text,
    "guidelines": _text,
    "annotators_per_document": _count,
    "auto_accept_unanimous": _flag,
    "allow_overlapping_spans": _flag,
    "assignment_order": _text,
    "suggestions_enabled": _flag,
    "content_note": _text,
    "break_reminder_minutes": _count,
    "assignment_timeout": _seconds,
    "created_at": _moment,
}
LABEL = {
    "type": _text,
    "id": _id,
    "key": _text,
    "name": _text,
    "colour": _text,
    "shortcut": _text,
    "description": _text,
    "attribute_schema": _any,
    "position": _count,
}
USER = {
    "type": _text,
    "id": _id,
    "username": _text,
    "first_name": _text,
    "last_name": _text,
    "email": _text,
    "is_active": _flag,
    "password": _optional_text,
}
MEMBER = {
    "type": _text,
    "user": _id,
    "role": _text,
    "content_note_seen_at": _optional_moment,
    "created_at": _moment,
}
SPAN = {
    "label": _text,
    "start": _count,
    "end": _count,
    "attributes": _object,
    "from_suggestion": _flag,
    "created_at": _moment,
    "updated_at": _moment,
}
# A link between two spans of its assignment, named by their places in its list of spans.
SPAN_LINK = {"source": _count, "target": _count, "kind": _text, "created_at": _moment}
COMPARISON = {"matched": _count, "extra": _count, "missed": _count, "compared_at": _moment}
ASSIGNMENT = {
    "id": _id,
    "annotator": _id,
    "status": _text,
    "assigned_at": _moment,
    "updated_at": _moment,
    "submitted_at": _optional_moment,
    "skip_reason": _text,
    "spans": _list_of(SPAN),
    "links": _list_of(SPAN_LINK),
    "gold_comparison": _optional_record(COMPARISON),
}
GOLD = {
    "id": _id,
    "label": _text,
    "start": _count,
    "end": _count,
    "attributes": _object,
    "decision": _text,
    "decided_by": _optional_id,
    "decided_at": _moment,
    "reason": _text,
    "note": _text,
    "exact_annotators": _ids,
    "variant_annotators": _ids,
}
# A gold link, its ends named by their gold spans' ids.
GOLD_LINK = {"source": _id, "target": _id, "kind": _text, "annotators": _ids}
EVENT = {
    "id": _id,
    "lead": _optional_id,
    "at": _moment,
    "action": _text,
    "start": _optional_count,
    "end": _optional_count,
    "summary": _text,
    "reason": _text,
    "note": _text,
    "changes": _object,
    "undone": _flag,
}
REVIEW = {
    "status": _text,
    "lead": _optional_id,
    "version": _count,
    "started_at": _moment,
    "finished_at": _optional_moment,
    "updated_at": _moment,
    "gold": _list_of(GOLD),
    "links": _list_of(GOLD_LINK),
    "events": _list_of(EVENT),
}
IGNORED = {
    "start": _count,
    "end": _count,
    "reason": _text,
    "created_by": _optional_id,
    "created_at": _moment,
}
DOCUMENT = {
    "type": _text,
    "id": _id,
    "external_id": _optional_text,
    "title": _text,
    "text": _text,
    "sha256": _text,
    "metadata": _object,
    "source_name": _text,
    "shuffle_key": _integer,
    "places_taken": _count,
    "created_at": _moment,
    "assignments": _list_of(ASSIGNMENT),
    "review": _optional_record(REVIEW),
    "ignored": _list_of(IGNORED),
}
AUDIT = {
    "type": _text,
    "actor": _optional_id,
    "actor_name": _text,
    "action": _text,
    "summary": _text,
    "details": _any,
    "created_at": _moment,
}
GAZETTEER = {
    "type": _text,
    "label": _text,
    "name": _text,
    "aliases": _any,
    "attributes": _object,
}
RECORDS = {
    "project": PROJECT,
    "label": LABEL,
    "user": USER,
    "member": MEMBER,
    "gazetteer": GAZETTEER,
    "document": DOCUMENT,
    "audit": AUDIT,
}


def record_check(value: dict[str, Any], line: int) -> dict[str, Any]:
    """The record with its fields checked and its dates read; BackupError naming the field."""
    kind = value.get("type")
    if kind == "end":
        raise BackupError("an end record before the last line", line)
    if kind not in RECORDS:
        raise BackupError(f"unknown record type {str(kind)[:50]!r}", line)
    return _checked(RECORDS[kind], value, line)


def document_check(
    document: dict[str, Any], *, labels: set[str], users: set[int], choices: dict, line: int
) -> None:
    """What a checked document record must also be: its text matching its hash, every span
    inside the text with a label of the project, every person one the file names, every
    status one there is."""
    try:
        _document_fits(document, labels, users, choices)
    except _Bad as bad:
        raise BackupError(str(bad), line) from None


def _document_fits(document, labels, users, choices) -> None:
    text = document["text"]
    if text_sha256(text) != document["sha256"]:
        raise _Bad("sha256", "does not match the text: the text was changed")
    annotators = set()
    for index, assignment in enumerate(document["assignments"]):
        where = f"assignments[{index}]"
        _known(assignment["annotator"], users, f"{where}.annotator")
        if assignment["annotator"] in annotators:
            raise _Bad(f"{where}.annotator", "has a second assignment of this document")
        annotators.add(assignment["annotator"])
        _one_of(assignment["status"], choices["assignment"], f"{where}.status")
        _spans_fit(assignment["spans"], text, labels, f"{where}.spans")
        _links_fit(assignment["links"], range(len(assignment["spans"])), f"{where}.links")
    _ignored_fit(document["ignored"], text, users)
    review = document["review"]
    if review is None:
        return
    _one_of(review["status"], choices["review"], "review.status")
    _known(review["lead"], users, "review.lead")
    _spans_fit(review["gold"], text, labels, "review.gold")
    for index, gold in enumerate(review["gold"]):
        _one_of(gold["decision"], choices["gold"], f"review.gold[{index}].decision")
        _known(gold["decided_by"], users, f"review.gold[{index}].decided_by")
    _links_fit(review["links"], {gold["id"] for gold in review["gold"]}, "review.links")
    for index, event in enumerate(review["events"]):
        _known(event["lead"], users, f"review.events[{index}].lead")
        _changes_fit(event["changes"], f"review.events[{index}].changes")


def _spans_fit(spans: list[dict], text: str, labels: set[str], where: str) -> None:
    seen = set()
    for index, span in enumerate(spans):
        problem = span_problem(span["start"], span["end"], text)
        if problem:
            raise _Bad(f"{where}[{index}].{problem[0]}", problem[1])
        if span["label"] not in labels:
            raise _Bad(f"{where}[{index}].label", f"the project has no label '{span['label']}'")
        key = (span["label"], span["start"], span["end"])
        if key in seen:
            raise _Bad(f"{where}[{index}]", "the same span is there twice")
        seen.add(key)


def _links_fit(links: list[dict], ends, where: str) -> None:
    """Each link of a known kind between two of the spans it may name, once."""
    seen = set()
    for index, link in enumerate(links):
        _one_of(link["kind"], LINK_KINDS, f"{where}[{index}].kind")
        for end in ("source", "target"):
            if link[end] not in ends:
                raise _Bad(f"{where}[{index}].{end}", f"there is no span {link[end]} to link")
        if link["source"] == link["target"]:
            raise _Bad(f"{where}[{index}]", "links a span to itself")
        key = (link["source"], link["target"], link["kind"])
        if key in seen:
            raise _Bad(f"{where}[{index}]", "the same link is there twice")
        seen.add(key)


def _ignored_fit(regions: list[dict], text: str, users: set[int]) -> None:
    seen = set()
    for index, region in enumerate(regions):
        where = f"ignored[{index}]"
        problem = span_problem(region["start"], region["end"], text)
        if problem:
            raise _Bad(f"{where}.{problem[0]}", problem[1])
        if (region["start"], region["end"]) in seen:
            raise _Bad(where, "the same region is there twice")
        seen.add((region["start"], region["end"]))
        _known(region["created_by"], users, f"{where}.created_by")


def _known(user: int | None, users: set[int], where: str) -> None:
    if user is not None and user not in users:
        raise _Bad(where, f"user {user} is not among the file's users")


def _one_of(value: str, allowed: Iterable[str], where: str) -> None:
    if value not in allowed:
        raise _Bad(where, f"'{value[:50]}' is not one of {', '.join(sorted(allowed))}")


def _changes_fit(changes: dict[str, Any], where: str) -> None:
    """The shape undo relies on (see ReviewEvent.changes): a list of gold span ids added, of
    snapshots of spans removed, and of [id, snapshot] pairs changed."""
    added, removed, changed = (changes.get(key, []) for key in ("added", "removed", "changed"))
    if not (
        isinstance(added, list)
        and all(whole(item) for item in added)
        and isinstance(removed, list)
        and all(isinstance(item, dict) for item in removed)
        and isinstance(changed, list)
        and all(is_pair(pair) for pair in changed)
    ):
        raise _Bad(where, "not the changes of a review event")


def header_check(value: dict[str, Any]) -> dict[str, Any]:
    """The checked header (line 1), with its counts of each kind of record."""
    if value.get("format") != FORMAT:
        raise BackupError(f"not an annotator backup (its first line names no '{FORMAT}')", 1)
    if value.get("version") != VERSION:
        raise BackupError(
            f"backup format version {value.get('version')!r}; this version reads {VERSION}", 1
        )
    return _checked(HEADER, value, 1)


def trailer_check(value: dict[str, Any], line: int) -> dict[str, Any]:
    """The checked end record: the number of records, their checksum and the id ranges."""
    if value.get("type") != "end":
        raise BackupError(f"the file ends at line {line} without its end record: it is truncated")
    return _checked(TRAILER, value, line)
