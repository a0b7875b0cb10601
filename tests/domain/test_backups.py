import json
from datetime import UTC, datetime

import pytest

from annotator.domain.backups import (
    BackupError,
    IdRanges,
    changes_gold_ids,
    changes_mapped,
    header_make,
    record_line,
    record_load,
    review_gold_ids,
)

SNAPSHOT = {
    "id": 7,
    "label_id": 3,
    "start": 0,
    "end": 5,
    "decided_by_id": 10,
    "exact_annotators": [10, 11],
    "variant_annotators": [12],
}


def test_a_record_line_is_one_json_line_with_dates_in_iso_form():
    line = record_line(
        header_make(project="p", counts={}, made_at=datetime(2025, 1, 2, tzinfo=UTC))
    )
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line)["made_at"] == "2025-01-02T00:00:00+00:00"


def test_a_record_line_refuses_nan_rather_than_write_a_file_no_one_can_read():
    with pytest.raises(ValueError):
        record_line({"type": "audit", "details": {"x": float("nan")}})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "NaN is not a JSON number"),
        ("[1, 2]", "expected a JSON object"),
        ("{" * 100_000, "nested too deeply|not valid JSON"),
        ('{"a": 1', "not valid JSON"),
    ],
)
def test_a_line_that_no_backup_writes_is_refused_naming_the_line(text, message):
    with pytest.raises(BackupError, match=f"^line 4: .*({message})"):
        record_load(text, 4)


def test_the_id_ranges_cover_every_kept_id_including_gold_spans_only_events_name():
    ranges = IdRanges()
    ranges.see_record({"type": "project", "id": 2})
    ranges.see_record(
        {
            "type": "document",
            "id": 40,
            "assignments": [{"id": 5}, {"id": 9}],
            "review": {
                "gold": [{"id": 20}],
                "events": [{"id": 3, "changes": {"removed": [{**SNAPSHOT, "id": 31}]}}],
            },
        }
    )
    assert ranges.to_json() == {
        "assignment": [5, 9],
        "document": [40, 40],
        "event": [3, 3],
        "gold": [20, 31],
        "project": [2, 2],
    }


def test_changes_name_the_gold_spans_added_removed_and_changed():
    changes = {"added": [1], "removed": [SNAPSHOT], "changed": [[2, {**SNAPSHOT, "id": 2}]]}
    assert changes_gold_ids(changes) == {1, 2, 7}
    assert review_gold_ids({"gold": [{"id": 9}], "events": [{"changes": changes}]}) == {1, 2, 7, 9}


def test_changes_are_translated_to_the_restored_ids_of_spans_labels_and_people():
    changes = {"added": [1], "removed": [SNAPSHOT], "changed": [[2, {**SNAPSHOT, "id": 2}]]}
    mapped = changes_mapped(
        changes,
        gold=lambda pk: pk + 100,
        label=lambda pk: pk + 1000,
        user=lambda pk: pk + 10_000,
    )
    moved = {
        **SNAPSHOT,
        "id": 107,
        "label_id": 1003,
        "decided_by_id": 10_010,
        "exact_annotators": [10_010, 10_011],
        "variant_annotators": [10_012],
    }
    assert mapped == {"added": [101], "removed": [moved], "changed": [[102, {**moved, "id": 102}]]}
    assert changes["added"] == [1]  # the original is left alone
