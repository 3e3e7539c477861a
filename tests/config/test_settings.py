"""Settings driven by the environment, security headers, and /healthz."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from config import views

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "ppie.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_python(args, env, settings_module="config.settings.production"):
    """Run Python in a fresh process with only the environment given (no DATABASE_URL,
    REDIS_URL or EMAIL_URL leaking in from the machine running the tests)."""
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": settings_module,
        **env,
    }
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETTING_NAMES = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASES",
    "CACHES",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
    "SESSION_ENGINE",
    "DEMO_CONTENT_ALLOWED",
]


def production_settings(**env):
    """The production settings as Django loads them (reading settings is how a server starts;
    the app registry is not needed for that, which keeps this fast)."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SETTING_NAMES!r}}}, default=str))"
    )
    result = run_python(["-c", code], {**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def plain():
    """Production settings with none of the optional service URLs set (REDIS_URL is required)."""
    return production_settings()


@pytest.fixture(scope="module")
def with_services():
    return production_settings(
        DATABASE_URL="postgres://ppie:pw@db.example.org:5433/ppie",
        REDIS_URL="redis://cache.example.org:6379/1",
        EMAIL_URL="smtp://u:p@mail.example.org:587?tls=True",
    )


# --- Production refuses to start without its secrets


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "ppie.example.org"}, "Set the SECRET_KEY environment variable"),
        ({"ALLOWED_HOSTS": "ppie.example.org", "SECRET_KEY": ""}, "Set the SECRET_KEY"),
        ({"SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}, "Set ALLOWED_HOSTS"),
        ({"SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"], "ALLOWED_HOSTS": " , "}, "Set ALLOWED_HOSTS"),
        ({**PRODUCTION_ENV, "REDIS_URL": ""}, "Set REDIS_URL"),
    ],
    ids=[
        "no-secret-key",
        "empty-secret-key",
        "no-allowed-hosts",
        "blank-allowed-hosts",
        "no-shared-cache",
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, message):
    result = run_python(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_security_settings(plain):
    assert plain["DEBUG"] is False
    assert plain["ALLOWED_HOSTS"] == ["ppie.example.org"]
    assert plain["SECURE_SSL_REDIRECT"] is True
    assert plain["SESSION_COOKIE_SECURE"] is True
    assert plain["CSRF_COOKIE_SECURE"] is True
    assert plain["SECURE_HSTS_SECONDS"] == 31536000
    assert plain["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"


# --- One switch per real service


def test_database_url_selects_postgresql_with_persistent_healthy_connections(with_services):
    database = with_services["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("ppie", "ppie", "pw")
    assert (database["HOST"], database["PORT"]) == ("db.example.org", 5433)
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "init_command" not in database.get("OPTIONS", {})  # the SQLite pragmas are not sent


def test_without_database_url_sqlite_is_used(plain):
    database = plain["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["CONN_MAX_AGE"] > 0


def test_redis_url_selects_the_redis_cache(with_services):
    cache = with_services["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.example.org:6379/1"


def test_sessions_are_cached_only_in_the_shared_cache(with_services):
    assert with_services["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_production_settings_do_not_allow_the_demo(plain):
    assert plain["DEMO_CONTENT_ALLOWED"] is False


def test_email_url_selects_smtp(with_services):
    assert with_services["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert with_services["EMAIL_HOST"] == "mail.example.org"
    assert with_services["EMAIL_PORT"] == 587
    assert with_services["EMAIL_HOST_USER"] == "u"
    assert with_services["EMAIL_HOST_PASSWORD"] == "p"
    assert with_services["EMAIL_USE_TLS"] is True


def test_without_email_url_email_goes_to_the_console(plain):
    assert plain["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


# --- Headers and /healthz (in process)


def _csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    return directives


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client, site_tree):
    response = client.get("/")
    directives = _csp_directives(response)
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_only_the_admin_allows_the_inline_scripts_wagtail_needs(admin_client, site_tree):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    directives = _csp_directives(response)
    # Wagtail 8 starts InlinePanel, choosers and date pickers with inline <script>.
    assert "'unsafe-inline'" in directives["script-src"]
    assert "'unsafe-inline'" in directives["style-src"]
    public = _csp_directives(admin_client.get("/"))
    assert public["script-src"] == "'self'"


@pytest.mark.django_db
def test_wagtail_preview_can_still_be_framed_by_the_admin(admin_client, site_tree):
    page = site_tree["prototype"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = querydict_from_html(admin_client.get(edit_url).content.decode(), "page-edit-form")
    assert admin_client.post(preview_url, data).json()["is_valid"] is True
    response = admin_client.get(preview_url)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert b"PRO-CAR-T app" in response.content


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_healthz_503_when_the_database_fails(client):
    with mock.patch.object(
        views.connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "no-cache" in response.headers["Cache-Control"]
