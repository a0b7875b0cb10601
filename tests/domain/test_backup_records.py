from datetime import datetime

import pytest

from annotator.domain.backup_records import (
    document_check,
    header_check,
    record_check,
    trailer_check,
)
from annotator.domain.backups import COUNTS, BackupError
from annotator.domain.documents import text_sha256

MOMENT = "2025-03-01T10:00:00+00:00"
TEXT = "Russia struck Idlib; 3 people were killed."
CHOICES = {
    "assignment": {"assigned", "submitted"},
    "review": {"pending", "done"},
    "gold": {"accepted"},
}


def span(start, end, label="LOCATION"):
    return {
        "label": label,
        "start": start,
        "end": end,
        "attributes": {},
        "from_suggestion": False,
        "created_at": MOMENT,
        "updated_at": MOMENT,
    }


def link(source, target, kind="located_at"):
    return {"source": source, "target": target, "kind": kind, "created_at": MOMENT}


def region(start, end, created_by=10):
    return {
        "start": start,
        "end": end,
        "reason": "byline",
        "created_by": created_by,
        "created_at": MOMENT,
    }


def document(**changes):
    record = {
        "type": "document",
        "id": 1,
        "external_id": None,
        "title": "",
        "text": TEXT,
        "sha256": text_sha256(TEXT),
        "metadata": {},
        "source_name": "a.txt",
        "shuffle_key": -5,
        "places_taken": 1,
        "created_at": MOMENT,
        "assignments": [
            {
                "id": 3,
                "annotator": 10,
                "status": "submitted",
                "assigned_at": MOMENT,
                "updated_at": MOMENT,
                "submitted_at": None,
                "skip_reason": "",
                "spans": [span(14, 19), span(21, 29)],
                "links": [link(0, 1)],
                "gold_comparison": None,
            }
        ],
        "review": None,
        "ignored": [region(0, 6)],
    }
    record.update(changes)
    return record


def check(record):
    checked = record_check(record, 9)
    document_check(checked, labels={"LOCATION"}, users={10}, choices=CHOICES, line=9)
    return checked


def test_a_document_record_is_checked_and_its_dates_read():
    checked = check(document())
    assert checked["assignments"][0]["spans"][0]["created_at"] == datetime.fromisoformat(MOMENT)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("text"), "line 9: 'text' is missing"),
        (lambda d: d.update(colour="red"), "line 9: unknown field 'colour'"),
        (lambda d: d.update(places_taken=-1), "line 9: places_taken: must be a whole number"),
        (lambda d: d.update(places_taken=True), "line 9: places_taken: must be a whole number"),
        (lambda d: d.update(created_at="2025-03-01"), "created_at: the date and time must give"),
        (lambda d: d.update(created_at="yesterday"), "created_at: 'yesterday' is not a date"),
        (lambda d: d.update(text=TEXT + "!"), "line 9: sha256: does not match the text"),
        (
            lambda d: d["assignments"][0]["spans"].append(span(30, 99)),
            "line 9: assignments[0].spans[2].end: 'end' is past the end of the text (42",
        ),
        (
            lambda d: d["assignments"][0]["spans"].append(span(14, 19)),
            "line 9: assignments[0].spans[2]: the same span is there twice",
        ),
        (
            lambda d: d["assignments"][0]["spans"].append(span(0, 6, "ACTOR")),
            "assignments[0].spans[2].label: the project has no label 'ACTOR'",
        ),
        (
            lambda d: d["assignments"][0]["links"].append(link(0, 2)),
            "assignments[0].links[1].target: there is no span 2 to link",
        ),
        (
            lambda d: d["assignments"][0]["links"].append(link(1, 1)),
            "assignments[0].links[1]: links a span to itself",
        ),
        (
            lambda d: d["assignments"][0]["links"].append(link(0, 1)),
            "assignments[0].links[1]: the same link is there twice",
        ),
        (
            lambda d: d["assignments"][0]["links"].append(link(0, 1, "near")),
            "assignments[0].links[1].kind: 'near' is not one of attributed_to",
        ),
        (
            lambda d: d["assignments"][0].update(annotator=11),
            "assignments[0].annotator: user 11 is not among the file's users",
        ),
        (
            lambda d: d["assignments"][0].update(status="lost"),
            "assignments[0].status: 'lost' is not one of assigned, submitted",
        ),
        (
            lambda d: d["assignments"].append(d["assignments"][0]),
            "assignments[1].annotator: has a second assignment of this document",
        ),
        (
            lambda d: d["ignored"].append(region(30, 99)),
            "line 9: ignored[1].end: 'end' is past the end of the text (42",
        ),
        (lambda d: d["ignored"].append(region(0, 6)), "ignored[1]: the same region is there twice"),
        (
            lambda d: d["ignored"].append(region(7, 13, created_by=11)),
            "ignored[1].created_by: user 11 is not among the file's users",
        ),
        (lambda d: d["ignored"][0].pop("reason"), "line 9: ignored[0]: 'reason' is missing"),
    ],
)
def test_a_record_that_does_not_fit_is_refused_naming_the_line_and_field(change, message):
    record = document()
    change(record)
    with pytest.raises(BackupError, match=r"^line 9: ") as refusal:
        check(record)
    assert message in str(refusal.value)


def test_review_events_must_hold_the_changes_undo_reads():
    event = {
        "id": 1,
        "lead": None,
        "at": MOMENT,
        "action": "accept",
        "start": 0,
        "end": 6,
        "summary": "",
        "reason": "",
        "note": "",
        "changes": {"added": ["seven"]},
        "undone": False,
    }
    review = {
        "status": "pending",
        "lead": 10,
        "version": 1,
        "started_at": MOMENT,
        "finished_at": None,
        "updated_at": MOMENT,
        "gold": [],
        "links": [],
        "events": [event],
    }
    with pytest.raises(BackupError, match=r"review\.events\[0\]\.changes: not the changes"):
        check(document(review=review))


def test_an_unknown_or_misplaced_record_type_is_refused():
    with pytest.raises(BackupError, match="line 3: unknown record type 'spam'"):
        record_check({"type": "spam"}, 3)
    with pytest.raises(BackupError, match="line 3: an end record before the last line"):
        record_check({"type": "end"}, 3)


def test_the_header_must_name_the_format_and_a_version_this_reads():
    header = {
        "format": "annotator-backup",
        "version": 1,
        "project": "p",
        "made_at": MOMENT,
        "counts": dict.fromkeys(COUNTS, 0),
    }
    assert header_check(header)["counts"]["spans"] == 0
    with pytest.raises(BackupError, match="line 1: backup format version 2; this version reads"):
        header_check({**header, "version": 2})
    with pytest.raises(BackupError, match="line 1: counts: must count labels, users"):
        header_check({**header, "counts": {"spans": 1}})


def test_the_end_record_gives_each_kind_of_id_as_a_range():
    end = {"type": "end", "records": 2, "sha256": "x", "ids": {"gold": [3, 9]}}
    assert trailer_check(end, 5)["ids"] == {"gold": (3, 9)}
    with pytest.raises(BackupError, match=r"line 5: ids\.gold: must be \[lowest, highest\]"):
        trailer_check({**end, "ids": {"gold": [9, 3]}}, 5)
    with pytest.raises(BackupError, match="line 5: ids: unknown kind of id 'users'"):
        trailer_check({**end, "ids": {"users": [1, 2]}}, 5)
    with pytest.raises(BackupError, match="ends at line 5 without its end record"):
        trailer_check({"type": "audit"}, 5)
