import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "receipts": {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"base_url": "/admin/involvement/receipts/"},
    },
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# CI runs the suite once with REDIS_URL set, so the cache (rate limits, sessions) is exercised
# on Redis too; each test starts with an empty cache (tests/conftest.py).
# Emptying a Redis cache empties its whole database, so each pytest-xdist worker (gw0, gw1, ...)
# gets the database after the last one's: REDIS_URL's database + the worker's number.
if REDIS_URL:
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)
    _database = int(_url.path.strip("/") or 0) + int(
        os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0
    )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(_url._replace(path=f"/{_database}")),
            "KEY_PREFIX": "ppie-test",
        }
    }
# Tests change pages and settings and read them straight back; tests/cms/test_page_cache.py
# turns the page cache on where it is the subject.
PAGE_CACHE_SECONDS = 0
# Nothing is collected for tests (the live server serves static files from the apps), so there
# is no STATIC_ROOT for WhiteNoise to scan and warn about.
STATIC_ROOT = None
