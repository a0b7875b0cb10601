"""Fault tests: the app's own processes (an import, a gunicorn server) run as subprocesses
against the test database and are killed, or cut off from the database, part-way."""

import os
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

PYTHON = sys.executable
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: processes killed or cut off from the database part-way"
    )


def subprocess_database_url(port: int | None = None) -> str:
    """The test database's URL for a subprocess, optionally through another port (a proxy)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port or db['PORT'] or 5432}"
        f"/{quote(db['NAME'], safe='')}"
    )


def subprocess_environment(*, application: str, port: int | None = None, **extra: str) -> dict:
    """The environment of a subprocess of the app on the test database. `application` names
    its database connections (libpq's PGAPPNAME), so that a test can find them on the server."""
    return {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(port),
        "PGAPPNAME": application,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
