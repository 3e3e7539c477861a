"""Signing out ends the session everywhere: two server processes on one database and one
shared cache (Redis), as production runs (its settings refuse to start without REDIS_URL)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories.membership import MemberFactory
from tests.html import soup
from tests.installation import restore_fresh_installation

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path) -> str:
    """The test database, as a URL another process can open. SQLite's test database lives in
    this process's memory, so it is copied to a file first (after the data is made)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    path = tmp_path / "shared.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    return f"sqlite:///{path}"


def shared_cache_url() -> str:
    """The suite's Redis when it runs on one (CI's PostgreSQL run), else the machine's."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/8"
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}: production runs only with a shared cache")
    return url


def start_server(port, env, log_path):
    """A gunicorn process serving the project on this port, once it answers /healthz; it is
    stopped again if it does not come up (nothing is left running)."""
    with open(log_path, "wb") as log:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--no-control-socket",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise AssertionError(Path(log_path).read_text())
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30)
                return server
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise AssertionError("the server did not start:\n" + Path(log_path).read_text())
    except BaseException:
        server.kill()
        server.wait(timeout=30)
        raise


@pytest.fixture
def two_servers_signed_in(tmp_path, transactional_db):
    """Two gunicorn processes on the same data, and the session cookie of a signed-in member."""
    restore_fresh_installation()  # an earlier transactional test may have flushed it
    client = Client()
    client.force_login(MemberFactory().user)
    session_cookie = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": shared_cache_url(),
        "PYTHONPATH": str(BASE_DIR),
    }
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(start_server(port, env, tmp_path / f"gunicorn-{port}.log"))
            servers[-1].url = f"http://127.0.0.1:{port}"
        yield servers, session_cookie
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_signing_out_in_one_process_ends_the_session_in_the_other(two_servers_signed_in):
    (first, second), cookie = two_servers_signed_in
    for server in (first, second):  # each process has read (and could have kept) the session
        page = requests.get(f"{server.url}/me/", cookies=cookie, allow_redirects=False, timeout=30)
        assert page.status_code == 200, page.text[:500]

    browser = requests.Session()
    browser.cookies.update(cookie)
    sign_out = browser.get(f"{first.url}/accounts/logout/", timeout=30)
    token = soup(sign_out).select_one("input[name=csrfmiddlewaretoken]")["value"]
    signed_out = browser.post(
        f"{first.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_out.status_code == 302

    after = requests.get(f"{second.url}/me/", cookies=cookie, allow_redirects=False, timeout=30)
    assert after.status_code == 302
    assert "/accounts/login/" in after.headers["Location"]
