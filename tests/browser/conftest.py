"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server, with axe-core checking every page a test visits.

Chromium is found from CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH
(`playwright install` is not needed). Without one the tests are skipped, unless
REQUIRE_BROWSER=1, in which case they fail so that CI notices a missing browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.helpers import assert_accessible  # noqa: F401  (re-exported)
from tests.conftest import fresh
from tests.installation import restore_fresh_installation

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOW_TO_ENABLE = (
    "install Debian's chromium: apt-get install chromium, or set CHROMIUM_PATH "
    "to a Chromium executable"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MEMBER_EMAIL = "pat@example.org"
FOCUS_YELLOW = "rgb(255, 235, 59)"  # --focus: #ffeb3b in static/css/site.css
# Fail fast: a missing element should not cost the default 30 seconds.
TIMEOUT_MS = 10_000


def find_chromium() -> str | None:
    """CHROMIUM_PATH when set (and only it), else /usr/bin/chromium, else `chromium` on PATH."""
    configured = os.environ.get("CHROMIUM_PATH", "").strip()
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    if os.path.isfile("/usr/bin/chromium") and os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _playwright_installed() -> bool:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def _missing_browser_reason() -> str | None:
    if not _playwright_installed():
        return "playwright / axe-playwright-python are not installed (pip install -e '.[dev]')"
    if find_chromium() is None:
        where = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium or PATH"
        return f"no Chromium found at {where}: {HOW_TO_ENABLE}"
    return None


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def _is_browser_test(item: pytest.Item) -> bool:
    return BROWSER_DIR in Path(str(item.path)).resolve().parents


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright's own base_url fallback (a fixture on a plugin class) trips a pytest 9
    # deprecation warning in every run; nothing here can change that.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser as `browser`; skip them when no browser is here
    (unless REQUIRE_BROWSER=1: then the `browser_type_launch_args` fixture fails them)."""
    reason = _missing_browser_reason()
    for item in items:
        if not _is_browser_test(item):
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not _browser_required():
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch arguments (--headed, --slowmo, ...) plus Debian's Chromium."""
    reason = _missing_browser_reason()
    if reason:
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": find_chromium(),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture
def page(page):
    """pytest-playwright's desktop page, failing fast."""
    page.set_default_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def phone_page(browser, browser_context_args):
    """A page in a phone-sized context: 390×844, touch, mobile viewport meta honoured."""
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture(params=["desktop", "phone"])
def any_page(request):
    """The same test on the desktop page and on the phone page."""
    return request.getfixturevalue("page" if request.param == "desktop" else "phone_page")


@pytest.fixture
def no_js_page(browser, browser_context_args):
    """A desktop page with JavaScript switched off."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def _flush_with_delete(monkeypatch):
    """On PostgreSQL, empty the tables after each live-server test with DELETE rather than
    Django's TRUNCATE: the same empty tables (foreign keys are deferred until the flush's
    transaction commits) in about 0.1 s instead of 4-6 s for Wagtail's ~90 tables."""
    _delete_instead_of_truncate(monkeypatch)


def _delete_instead_of_truncate(monkeypatch) -> None:
    from django.db import connections

    for connection in connections.all():
        if connection.vendor != "postgresql":
            continue
        ops = connection.ops

        def sql_flush(
            style,
            tables,
            *,
            reset_sequences=False,
            allow_cascade=False,
            ops=ops,
            truncate=ops.sql_flush,
        ):
            if reset_sequences or allow_cascade:
                return truncate(
                    style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
                )
            # Table names come from Django's own introspection, quoted.
            return ["SET CONSTRAINTS ALL DEFERRED"] + [
                f"DELETE FROM {ops.quote_name(table)}"  # noqa: S608
                for table in tables
            ]

        monkeypatch.setattr(ops, "sql_flush", sql_flush)


@pytest.fixture
def transactional_db(request, _live_site_of_the_module):
    """pytest-django's transactional_db, set up after (so torn down, flushing, before)
    the DELETE flush above is put in place; in a LIVE_SITE_ONCE module, nothing: its rows are
    committed once and emptied after its last test (below)."""
    if _live_site_of_the_module is None:
        request.getfixturevalue("_flush_with_delete")
        request.getfixturevalue("_django_db_helper")


@pytest.fixture(scope="module")
def _live_site_of_the_module(request, django_db_setup, django_db_blocker, live_server):
    """For a module whose tests only read (LIVE_SITE_ONCE = True): live_site's rows committed
    once, then emptied after its last test as pytest-django empties them after each test
    (Django's flush, and the post_migrate signal that puts content types, permissions and
    roles back)."""
    if not getattr(request.module, "LIVE_SITE_ONCE", False):
        yield None
        return
    from django.core.management import call_command

    with django_db_blocker.unblock():
        tree = _build_live_site(live_server.url)
        yield tree
        with pytest.MonkeyPatch.context() as monkeypatch:
            _delete_instead_of_truncate(monkeypatch)
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def live_site(transactional_db, live_server, _live_site_of_the_module):
    """build_site()'s page tree, served by the live server (in a thread of this process, so
    it needs committed data: a transactional database), with the prototype featured on the
    home page. Returns the pages plus `url`, the live server's address. Built for each test,
    or once for a module that sets LIVE_SITE_ONCE = True (its tests must change nothing)."""
    if _live_site_of_the_module is not None:
        return fresh(_live_site_of_the_module)
    return _build_live_site(live_server.url)


def _build_live_site(url: str) -> dict:
    from wagtail.models import Site

    from tests.factories.cms import build_site

    restore_fresh_installation()
    tree = build_site()
    # The default site answers whatever host name the browser sends (localhost:<port>).
    assert Site.objects.get(is_default_site=True).root_page_id == tree["home"].pk
    home = tree["home"]
    home.featured_prototype = tree["prototype"]
    home.save_revision().publish()
    tree["home"] = home.specific_class.objects.get(pk=home.pk)
    tree["url"] = url
    return tree


@pytest.fixture
def member_user(live_site):
    """Pat, who joined earlier: a verified, primary email address and no password, so signs
    in with an emailed code."""
    from allauth.account.models import EmailAddress

    from engagement.models import User

    user = User.objects.create_user(email=MEMBER_EMAIL, password=None, first_name="Pat")
    EmailAddress.objects.create(user=user, email=MEMBER_EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def campaign(live_site):
    """The campaign the joining journeys use (tests/browser/joining.py)."""
    from tests.browser.joining import set_up_joining

    return set_up_joining()


@pytest.fixture
def tablet(browser, browser_context_args):
    """A page on a tablet, as the kiosk is used."""
    from tests.browser.joining import tablet_page

    with tablet_page(browser, browser_context_args) as page:
        yield page
