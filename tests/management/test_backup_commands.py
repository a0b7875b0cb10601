import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from annotator.models import AuditEvent, Project

from .. import backing_up


def call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def built(project, lead, annotators, django_capture_on_commit_callbacks):
    return backing_up.build(project, lead, annotators, django_capture_on_commit_callbacks)


@pytest.fixture
def empty_database(db, tmp_path):
    """The URL of a database of its own, empty, on the server the tests use: a new file on
    SQLite, a new database beside the test database on PostgreSQL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    import psycopg

    config = connection.settings_dict
    name = f"{config['NAME']}_restore"
    server = {
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['password']}" if server["password"] else ""
    yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(database_url: str, *args: str) -> str:
    """Run Python (manage.py and its arguments, or -c code) against the other database."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DATABASE_URL=database_url, DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="annotator.settings"
    )
    result = subprocess.run(
        [sys.executable, *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


OBSERVE = (
    "import django, json; django.setup(); from tests.backing_up import observed; "
    "print(json.dumps(observed('demo')))"
)


def test_a_backup_restored_into_an_empty_database_exports_the_same_bytes(
    project, built, tmp_path, empty_database
):
    exported = backing_up.exports(project, tmp_path / "before")
    seen = json.loads(json.dumps(backing_up.observed("demo")))
    call("backup_project", "demo", "--output", str(tmp_path / "demo.jsonl.gz"))

    run(empty_database, "manage.py", "migrate", "--no-input")
    out = run(empty_database, "manage.py", "restore_project", str(tmp_path / "demo.jsonl.gz"))

    assert "Restored 'demo' from demo.jsonl.gz: 6 documents" in out and "ids kept" in out
    for format, data in exported.items():
        path = tmp_path / f"after.{format}"
        export = ("export_gold", "--project", "demo", "--format", format, "-o", str(path))
        run(empty_database, "manage.py", *export)
        assert path.read_bytes() == data, f"the {format} export differs"
    assert json.loads(run(empty_database, "-c", OBSERVE)) == seen


def test_backup_project_writes_the_file_and_says_what_is_in_it(project, built, tmp_path):
    out = call("backup_project", "demo", "-o", str(tmp_path / "demo.jsonl.gz"))
    assert "Backed up 'demo' to" in out
    assert "6 documents, 11 assignments" in out
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BACKUP_MADE).count() == 1


def test_restore_project_under_another_slug(project, built, tmp_path):
    call("backup_project", "demo", "-o", str(tmp_path / "demo.jsonl.gz"))
    out = call("restore_project", str(tmp_path / "demo.jsonl.gz"), "--slug", "demo-2")
    assert "Restored 'demo-2'" in out and "new ids" in out
    assert Project.objects.get(slug="demo-2").documents.count() == 6


def test_the_commands_refuse_what_they_cannot_do(project, built, tmp_path):
    with pytest.raises(CommandError, match="no project with slug 'nope'"):
        call("backup_project", "nope", "-o", str(tmp_path / "x.jsonl.gz"))
    with pytest.raises(CommandError, match="--output: there is no folder"):
        call("backup_project", "demo", "-o", str(tmp_path / "missing" / "x.jsonl.gz"))
    call("backup_project", "demo", "-o", str(tmp_path / "demo.jsonl.gz"))
    with pytest.raises(CommandError, match="--slug: There is already a project 'demo'"):
        call("restore_project", str(tmp_path / "demo.jsonl.gz"))
    with pytest.raises(CommandError, match="no such file"):
        call("restore_project", str(tmp_path / "nothing.jsonl.gz"))


def test_a_bad_record_is_refused_naming_its_line_and_nothing_is_restored(project, built, tmp_path):
    call("backup_project", "demo", "-o", str(tmp_path / "demo.jsonl.gz"))

    def unknown_user(records):
        documents = [r for r in records if r["type"] == "document"]
        documents[3]["assignments"][0]["annotator"] = 999_999
        return records

    backing_up.rewritten(tmp_path / "demo.jsonl.gz", unknown_user, tmp_path / "bad.jsonl.gz")
    line = next(
        number
        for number, record in enumerate(backing_up.lines_of(tmp_path / "bad.jsonl.gz"), 1)
        if record.get("external_id") == "r3"
    )
    with pytest.raises(CommandError) as refusal:
        call("restore_project", str(tmp_path / "bad.jsonl.gz"), "--slug", "other")
    assert str(refusal.value) == (
        f"bad.jsonl.gz: line {line}: assignments[0].annotator: user 999999 is not among the "
        "file's users; nothing was restored"
    )
    assert not Project.objects.filter(slug="other").exists()
