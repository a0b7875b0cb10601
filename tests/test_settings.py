import json
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


STRONG_KEY = "k3J9-production-like-secret-key-of-fifty-characters-x7Qp2Lm8Zr"
PRODUCTION = {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "annotate.example.org"}


def deploy_check(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checklist_fails_a_plain_http_site():
    # The check above is only worth something if it can fail.
    result = deploy_check(**PRODUCTION, DJANGO_HTTPS="0")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


# Asks the production app for its login page, over HTTP and over HTTPS, and reports what a
# browser would be told. Static files are not collected here: the page names them unhashed.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
unhashed = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": unhashed}):
    plain = Client().get("/login/")
    secure = Client().get("/login/", secure=True)
csrf = secure.cookies["csrftoken"]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(csrf["secure"]),
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def probe(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    environment.update(
        env, DJANGO_SETTINGS_MODULE="annotator.settings", DJANGO_ALLOWED_HOSTS="testserver"
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_https_only_with_secure_http_only_cookies():
    seen = probe(DJANGO_SECRET_KEY=STRONG_KEY)
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://testserver/login/"
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_cookie_secure"] is True
    assert seen["session_cookie"] == [True, True]
    assert seen["proxy_header"] is None


def test_behind_a_tls_proxy_the_proxy_header_is_trusted_only_when_named():
    seen = probe(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert seen["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_runs_on_loopback_can_turn_https_off():
    seen = probe(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_HTTPS="0")
    assert seen["plain_status"] == 200
    assert seen["hsts"] is None
    assert seen["session_cookie"] == [False, True]
