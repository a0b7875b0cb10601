"""The project backup file: what each line holds (`backup_records` checks them on restore).

A backup is gzip'd JSON Lines. The first line is the header, {"format": "annotator-backup",
"version": 1, "project": slug, "counts": {...}}; then one record a line, in this order: the
project, its labels, the users it names, its members, its gazetteer entries, its documents
(each with its assignments and their spans, its review with the gold spans and the review's
events, and the regions a lead marked ignored), and its audit log; the last line is
{"type": "end", "records": n, "sha256": ..., "ids": {...}}, the checksum being over every byte
before it. A document is one line, so a project of any size is written and read a document at
a time.

Ids in the file are those of the database it came from. Users are named by those ids within the
file and matched by username on restore.
"""

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

FORMAT = "annotator-backup"
VERSION = 1

# The record types in the order they come; a file out of this order is refused.
ORDER = ("project", "label", "user", "member", "gazetteer", "document", "audit")
# What the header counts, and a restore counts again.
COUNTS = (
    "labels",
    "users",
    "members",
    "gazetteer_entries",
    "documents",
    "assignments",
    "spans",
    "span_links",
    "gold_comparisons",
    "reviews",
    "gold_spans",
    "gold_links",
    "review_events",
    "ignored_regions",
    "audit_events",
)
# The kinds of row whose ids the file keeps, for a restore to keep them where they are free.
ID_KINDS = ("project", "label", "document", "assignment", "gold", "event")


class BackupError(ValueError):
    """A backup file that cannot be restored; names the line (1 is the header) when it can."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def record_line(record: dict[str, Any]) -> str:
    """A record as its line of the file: JSON, without NaN (which no reader should accept)."""
    return json.dumps(record, ensure_ascii=False, allow_nan=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into a backup")


def record_load(text: str, line: int) -> dict[str, Any]:
    """Parse one line: a JSON object, refusing what no backup writes (NaN, deep nesting, …)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise BackupError("the record is nested too deeply", line) from None
    except ValueError as error:
        raise BackupError(f"not valid JSON ({error})", line) from None
    if not isinstance(value, dict):
        raise BackupError("expected a JSON object", line)
    return value


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def header_make(*, project: str, counts: dict[str, int], made_at: datetime) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "project": project,
        "made_at": made_at,
        "counts": counts,
    }


def trailer_make(*, records: int, sha256: str, ids: "IdRanges") -> dict[str, Any]:
    return {"type": "end", "records": records, "sha256": sha256, "ids": ids.to_json()}


class IdRanges:
    """The lowest and highest id of each kind the file keeps (project, label, document,
    assignment, gold, event): a restore keeps them where the database has none in the range."""

    def __init__(self) -> None:
        self.ranges: dict[str, list[int]] = {}

    def see_record(self, record: dict[str, Any]) -> None:
        if record["type"] in ("project", "label"):
            self.see(record["type"], [record["id"]])
        elif record["type"] == "document":
            self.see("document", [record["id"]])
            self.see("assignment", [assignment["id"] for assignment in record["assignments"]])
            if record["review"] is not None:
                self.see("gold", review_gold_ids(record["review"]))
                self.see("event", [event["id"] for event in record["review"]["events"]])

    def see(self, kind: str, ids: Iterable[int]) -> None:
        for value in ids:
            low, high = self.ranges.setdefault(kind, [value, value])
            self.ranges[kind] = [min(low, value), max(high, value)]

    def to_json(self) -> dict[str, list[int]]:
        return dict(sorted(self.ranges.items()))


def review_gold_ids(review: dict[str, Any]) -> set[int]:
    """The gold span ids a review record names: its spans', and those its events name."""
    ids = {gold["id"] for gold in review["gold"]}
    for event in review["events"]:
        ids |= changes_gold_ids(event["changes"])
    return ids


def changes_gold_ids(changes: dict[str, Any]) -> set[int]:
    """The gold span ids a checked event's changes name, including those of spans since
    removed, which undo would bring back under the same id."""
    snapshots = [*changes.get("removed", []), *(pair[1] for pair in changes.get("changed", []))]
    return (
        set(changes.get("added", []))
        | {pair[0] for pair in changes.get("changed", [])}
        | {snapshot["id"] for snapshot in snapshots if whole(snapshot.get("id"))}
    )


def changes_mapped(
    changes: dict[str, Any],
    *,
    gold: Callable[[int], int],
    label: Callable[[int], int],
    user: Callable[[int], int],
) -> dict[str, Any]:
    """A checked event's changes with the ids of gold spans, labels and users translated, so
    that undo works on the restored copy as it did on the original."""

    def snapshot(before: dict[str, Any]) -> dict[str, Any]:
        moved = dict(before)
        for field, translate in (("id", gold), ("label_id", label), ("decided_by_id", user)):
            if whole(moved.get(field)):
                moved[field] = translate(moved[field])
        for field in ("exact_annotators", "variant_annotators"):
            if isinstance(moved.get(field), list):
                moved[field] = [user(item) if whole(item) else item for item in moved[field]]
        return moved

    mapped = dict(changes)
    if "added" in changes:
        mapped["added"] = [gold(item) for item in changes["added"]]
    if "removed" in changes:
        mapped["removed"] = [snapshot(item) for item in changes["removed"]]
    if "changed" in changes:
        mapped["changed"] = [[gold(pk), snapshot(before)] for pk, before in changes["changed"]]
    return mapped


def whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_pair(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and whole(value[0])
        and isinstance(value[1], dict)
    )
