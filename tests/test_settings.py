import os
import subprocess
import sys

from django.conf import settings

CHECK = [sys.executable, "-c", "import django; django.setup()"]


def run_with(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="annotator.settings")
    return subprocess.run(
        CHECK, env=environment, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_secret_key():
    assert run_with(DJANGO_SECRET_KEY="x" * 50).returncode == 0


def test_sqlite_uses_wal_and_a_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        timeout = cursor.fetchone()[0]
    assert mode == "wal"
    assert timeout >= 20_000


def test_login_required_by_default():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
