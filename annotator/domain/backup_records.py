"""The checks a backup's lines must pass to be restored: every field there, of its type, and
nothing else (a field path names what does not fit); then what a document must also be.
"""

from collections.abc import Iterable
from typing import Any

from . import backup_fields as field
from .backups import FORMAT, VERSION, BackupError, is_pair, whole
from .documents import text_sha256
from .links import KINDS as LINK_KINDS
from .spans import span_problem

HEADER = {
    "format": field.text,
    "version": field.count,
    "project": field.text,
    "made_at": field.moment,
    "counts": field.counts,
}
TRAILER = {"type": field.text, "records": field.count, "sha256": field.text, "ids": field.id_ranges}
PROJECT = {
    "type": field.text,
    "id": field.identifier,
    "name": field.text,
    "slug": field.text,
    "description": field.text,
    "guidelines": field.text,
    "annotators_per_document": field.count,
    "auto_accept_unanimous": field.flag,
    "allow_overlapping_spans": field.flag,
    "assignment_order": field.text,
    "suggestions_enabled": field.flag,
    "content_note": field.text,
    "break_reminder_minutes": field.count,
    "assignment_timeout": field.seconds,
    "created_at": field.moment,
}
LABEL = {
    "type": field.text,
    "id": field.identifier,
    "key": field.text,
    "name": field.text,
    "colour": field.text,
    "shortcut": field.text,
    "description": field.text,
    "attribute_schema": field.anything,
    "position": field.count,
}
USER = {
    "type": field.text,
    "id": field.identifier,
    "username": field.text,
    "first_name": field.text,
    "last_name": field.text,
    "email": field.text,
    "is_active": field.flag,
    "password": field.optional_text,
}
MEMBER = {
    "type": field.text,
    "user": field.identifier,
    "role": field.text,
    "content_note_seen_at": field.optional_moment,
    "created_at": field.moment,
}
SPAN = {
    "label": field.text,
    "start": field.count,
    "end": field.count,
    "attributes": field.json_object,
    "from_suggestion": field.flag,
    "created_at": field.moment,
    "updated_at": field.moment,
}
# A link between two spans of its assignment, named by their places in its list of spans.
SPAN_LINK = {
    "source": field.count,
    "target": field.count,
    "kind": field.text,
    "created_at": field.moment,
}
COMPARISON = {
    "matched": field.count,
    "extra": field.count,
    "missed": field.count,
    "compared_at": field.moment,
}
ASSIGNMENT = {
    "id": field.identifier,
    "annotator": field.identifier,
    "status": field.text,
    "assigned_at": field.moment,
    "updated_at": field.moment,
    "submitted_at": field.optional_moment,
    "skip_reason": field.text,
    "spans": field.list_of(SPAN),
    "links": field.list_of(SPAN_LINK),
    "gold_comparison": field.optional_record(COMPARISON),
}
GOLD = {
    "id": field.identifier,
    "label": field.text,
    "start": field.count,
    "end": field.count,
    "attributes": field.json_object,
    "decision": field.text,
    "decided_by": field.optional_identifier,
    "decided_at": field.moment,
    "reason": field.text,
    "note": field.text,
    "exact_annotators": field.identifiers,
    "variant_annotators": field.identifiers,
}
# A gold link, its ends named by their gold spans' ids.
GOLD_LINK = {
    "source": field.identifier,
    "target": field.identifier,
    "kind": field.text,
    "annotators": field.identifiers,
}
EVENT = {
    "id": field.identifier,
    "lead": field.optional_identifier,
    "at": field.moment,
    "action": field.text,
    "start": field.optional_count,
    "end": field.optional_count,
    "summary": field.text,
    "reason": field.text,
    "note": field.text,
    "changes": field.json_object,
    "undone": field.flag,
}
REVIEW = {
    "status": field.text,
    "lead": field.optional_identifier,
    "version": field.count,
    "started_at": field.moment,
    "finished_at": field.optional_moment,
    "updated_at": field.moment,
    "gold": field.list_of(GOLD),
    "links": field.list_of(GOLD_LINK),
    "events": field.list_of(EVENT),
}
IGNORED = {
    "start": field.count,
    "end": field.count,
    "reason": field.text,
    "created_by": field.optional_identifier,
    "created_at": field.moment,
}
DOCUMENT = {
    "type": field.text,
    "id": field.identifier,
    "external_id": field.optional_text,
    "title": field.text,
    "text": field.text,
    "sha256": field.text,
    "metadata": field.json_object,
    "source_name": field.text,
    "shuffle_key": field.integer,
    "places_taken": field.count,
    "created_at": field.moment,
    "assignments": field.list_of(ASSIGNMENT),
    "review": field.optional_record(REVIEW),
    "ignored": field.list_of(IGNORED),
}
AUDIT = {
    "type": field.text,
    "actor": field.optional_identifier,
    "actor_name": field.text,
    "action": field.text,
    "summary": field.text,
    "details": field.anything,
    "created_at": field.moment,
}
GAZETTEER = {
    "type": field.text,
    "label": field.text,
    "name": field.text,
    "aliases": field.anything,
    "attributes": field.json_object,
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
    return field.checked(RECORDS[kind], value, line)


def document_check(
    document: dict[str, Any], *, labels: set[str], users: set[int], choices: dict, line: int
) -> None:
    """What a checked document record must also be: its text matching its hash, every span
    inside the text with a label of the project, every person one the file names, every
    status one there is."""
    try:
        _document_fits(document, labels, users, choices)
    except field.Bad as bad:
        raise BackupError(str(bad), line) from None


def _document_fits(document, labels, users, choices) -> None:
    text = document["text"]
    if text_sha256(text) != document["sha256"]:
        raise field.Bad("sha256", "does not match the text: the text was changed")
    annotators = set()
    for index, assignment in enumerate(document["assignments"]):
        where = f"assignments[{index}]"
        _known(assignment["annotator"], users, f"{where}.annotator")
        if assignment["annotator"] in annotators:
            raise field.Bad(f"{where}.annotator", "has a second assignment of this document")
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
            raise field.Bad(f"{where}[{index}].{problem[0]}", problem[1])
        if span["label"] not in labels:
            raise field.Bad(
                f"{where}[{index}].label", f"the project has no label '{span['label']}'"
            )
        key = (span["label"], span["start"], span["end"])
        if key in seen:
            raise field.Bad(f"{where}[{index}]", "the same span is there twice")
        seen.add(key)


def _links_fit(links: list[dict], ends, where: str) -> None:
    """Each link of a known kind between two of the spans it may name, once."""
    seen = set()
    for index, link in enumerate(links):
        _one_of(link["kind"], LINK_KINDS, f"{where}[{index}].kind")
        for end in ("source", "target"):
            if link[end] not in ends:
                raise field.Bad(f"{where}[{index}].{end}", f"there is no span {link[end]} to link")
        if link["source"] == link["target"]:
            raise field.Bad(f"{where}[{index}]", "links a span to itself")
        key = (link["source"], link["target"], link["kind"])
        if key in seen:
            raise field.Bad(f"{where}[{index}]", "the same link is there twice")
        seen.add(key)


def _ignored_fit(regions: list[dict], text: str, users: set[int]) -> None:
    seen = set()
    for index, region in enumerate(regions):
        where = f"ignored[{index}]"
        problem = span_problem(region["start"], region["end"], text)
        if problem:
            raise field.Bad(f"{where}.{problem[0]}", problem[1])
        if (region["start"], region["end"]) in seen:
            raise field.Bad(where, "the same region is there twice")
        seen.add((region["start"], region["end"]))
        _known(region["created_by"], users, f"{where}.created_by")


def _known(user: int | None, users: set[int], where: str) -> None:
    if user is not None and user not in users:
        raise field.Bad(where, f"user {user} is not among the file's users")


def _one_of(value: str, allowed: Iterable[str], where: str) -> None:
    if value not in allowed:
        raise field.Bad(where, f"'{value[:50]}' is not one of {', '.join(sorted(allowed))}")


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
        raise field.Bad(where, "not the changes of a review event")


def header_check(value: dict[str, Any]) -> dict[str, Any]:
    """The checked header (line 1), with its counts of each kind of record."""
    if value.get("format") != FORMAT:
        raise BackupError(f"not an annotator backup (its first line names no '{FORMAT}')", 1)
    if value.get("version") != VERSION:
        raise BackupError(
            f"backup format version {value.get('version')!r}; this version reads {VERSION}", 1
        )
    return field.checked(HEADER, value, 1)


def trailer_check(value: dict[str, Any], line: int) -> dict[str, Any]:
    """The checked end record: the number of records, their checksum and the id ranges."""
    if value.get("type") != "end":
        raise BackupError(f"the file ends at line {line} without its end record: it is truncated")
    return field.checked(TRAILER, value, line)
