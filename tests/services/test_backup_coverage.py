"""Every field of every model is in the backup, or left out on purpose with a reason: a new
field or model that nobody taught the backup fails here, not on the day of a restore."""

import gzip
import json

import pytest
from django.apps import apps

from annotator.services.backups import project_backup
from annotator.services.backups.coverage import LEFT_OUT, WRITTEN

from .. import backing_up


def models():
    return {model.__name__: model for model in apps.get_app_config("annotator").get_models()}


def test_every_field_of_every_model_is_written_or_left_out_with_a_reason():
    forgotten = []
    for name, model in models().items():
        if name in LEFT_OUT:
            continue
        written = set(WRITTEN.get(name, ()))
        for field in model._meta.concrete_fields:
            if field.name not in written and f"{name}.{field.name}" not in LEFT_OUT:
                forgotten.append(f"{name}.{field.name}")
    assert forgotten == [], (
        "Not in the backup (annotator/services/backups/) and not in LEFT_OUT with a reason "
        "(annotator/services/backups/coverage.py): " + ", ".join(forgotten)
    )


def test_the_tables_name_only_what_there_is_and_each_thing_once():
    known = models()
    for name, fields in WRITTEN.items():
        assert name in known, f"WRITTEN names no model {name}"
        names = {field.name for field in known[name]._meta.concrete_fields}
        assert set(fields) <= names, f"{name}: no fields {set(fields) - names}"
        assert len(set(fields)) == len(fields), f"{name}: a field twice"
    for entry, reason in LEFT_OUT.items():
        name, _, field = entry.partition(".")
        assert name in known, f"LEFT_OUT names no model {name}"
        assert reason.strip(), entry
        if field:
            assert field in {f.name for f in known[name]._meta.concrete_fields}, entry
            assert field not in WRITTEN.get(name, ()), f"{entry} is both written and left out"
        else:
            assert name not in WRITTEN, f"{name} is both written and left out"


@pytest.fixture
def records(project, lead, annotators, django_capture_on_commit_callbacks, tmp_path):
    backing_up.build(project, lead, annotators, django_capture_on_commit_callbacks)
    path = tmp_path / "demo.jsonl.gz"
    project_backup(project=project, path=path)
    with gzip.open(path, "rt") as file:
        return [json.loads(line) for line in file][1:-1]


def test_the_written_fields_are_in_the_file(records):
    """The table is not a wish: a backup of a project with every kind of row holds each
    written field under its name (people and rows by id, labels by key)."""
    by_type = {}
    for record in records:
        by_type.setdefault(record["type"], []).append(record)
    (project,) = by_type["project"]
    document = next(d for d in by_type["document"] if d["review"] and d["ignored"])
    assignment = next(a for a in document["assignments"] if a["gold_comparison"] and a["links"])
    review = document["review"]
    found = {
        "Project": project,
        "Label": by_type["label"][0],
        "Membership": by_type["member"][0],
        "GazetteerEntry": by_type["gazetteer"][0],
        "Document": document,
        "Assignment": assignment,
        "Span": assignment["spans"][0],
        "GoldComparison": assignment["gold_comparison"],
        "Review": review,
        "GoldSpan": review["gold"][0],
        "SpanLink": assignment["links"][0],
        "GoldLink": review["links"][0],
        "ReviewEvent": review["events"][0],
        "IgnoredRegion": document["ignored"][0],
        "AuditEvent": by_type["audit"][0],
    }
    assert set(found) == set(WRITTEN)
    # Where a record stands names its parent; the other names are keys of the record.
    parents = {"project", "document", "assignment", "review"}
    for name, record in found.items():
        for field in WRITTEN[name]:
            if field in parents and field not in record:
                continue
            assert field in record, f"{name}.{field} is not in the file"
