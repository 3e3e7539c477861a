"""A whole-page cache for anonymous visitors to Wagtail pages (the public site's hot path:
news, prototypes, events), shared by all workers through the cache (Redis in production).

A visitor without cookies (or with only a csrftoken cookie, left by a form seen earlier: it does
not change a page) asking for a page with GET gets the stored HTML when there is one,
before any routing or database work; otherwise a public page (no view restriction) is rendered
and stored if the response is a plain 200 that sets no cookie (a page that used a CSRF token
sets one, so a visitor's token is never stored for others).
Publishing, unpublishing, moving or deleting any page, changing a view restriction, or saving
the site settings or a site, starts a new cache version, so nobody sees an outdated page.
Anyone with a session (members, managers, a visitor part-way through a form) is answered by
SessionPageMiddleware instead, further in: the same stored page, with the header's account
links rendered for them (the only part of a public page that depends on who asks), unless a
message is waiting for them.
A signed-in person's own pages (/me/, a consultation's page) are stored for them alone by
personal_page: until anything at all is written to the database, for at most a minute, and
never past the next moment the page would change by the clock (a consultation opening or
closing).
PAGE_CACHE_SECONDS=0 turns it off.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "page-cache:version"
ATTRIBUTE = "_page_cache_key"


def seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def enabled() -> bool:
    return bool(seconds())


def _fresh_count() -> int:
    """Where a counter starts when the cache has none (first use, or it was evicted): the clock
    in microseconds, so a counter started again never meets a value something was kept at."""
    return time.time_ns() // 1000


def _counter(name: str, found=None) -> int:
    """The counter's value now (`found`: as just read with get_many, None if it was not)."""
    value = cache.get(name) if found is None else found
    if value is None:
        cache.add(name, _fresh_count(), timeout=None)
        value = cache.get(name)
    return value


def _bump(name: str) -> None:
    try:
        cache.incr(name)
    except ValueError:  # none yet, or evicted
        cache.set(name, _fresh_count(), timeout=None)


def _kept(counter: str, key: str):
    """(the counter's value now, what is kept under `key` if it was kept at that value, else
    None), in one round trip to the cache. Values are kept as (counter value, value)."""
    found = cache.get_many([counter, key])
    now = _counter(counter, found.get(counter))
    kept_at, value = found.get(key, (None, None))
    return now, (value if kept_at == now else None)


def current_version() -> int:
    return _counter(VERSION_KEY)


def invalidate(**kwargs) -> None:
    """Start a new version: every stored page is ignored from now on."""
    _bump(VERSION_KEY)


def cached(name: str, build):
    """`build()`, kept in the shared cache under `name` until a new version starts (or for
    PAGE_CACHE_SECONDS): for what every visitor sees the same and only a publish, or a save
    that starts a new version, changes (the site's chrome, a consultation's parts). Built
    afresh every time while the page cache is off."""
    if not enabled():
        return build()
    key = f"{name}:{current_version()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds())
    return value


def invalidate_on_change(*models) -> None:
    """Saving or deleting any of these models starts a new version."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate,
                sender=model,
                dispatch_uid=f"page_cache_{model._meta.label_lower}_{signal is post_save}",
            )


def _may_share(request) -> bool:
    """A GET or HEAD whose cookies cannot change the page: none, or only csrftoken (so nobody
    signed in, no messages, no form state)."""
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


def _address(request) -> str | None:
    """ "host:path?query" of the request, what a stored page is stored under (None: a host
    Django refuses, left for Django to answer as usual)."""
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost
        return None
    return f"{host}:{request.get_full_path()}"


def _key(request) -> str | None:
    address = _address(request)
    return address and f"page-cache:{address}"  # kept with the version (_kept)


def cache_key(request) -> str | None:
    """The key for this request, or None when it may not be cached (see _may_share)."""
    if not _may_share(request):
        return None
    return _key(request)


def mark_cacheable(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: a page anyone may see can be stored. Pages with a
    view restriction (login, password, groups) never are, nor page types that show live data
    no publish would announce (`page_cache = False`, e.g. the outcome page's findings)."""
    if not _may_share(request):
        return
    if not getattr(page, "page_cache", True):
        return
    if not page.get_view_restrictions().exists():
        setattr(request, ATTRIBUTE, True)


def do_not_store(request) -> None:
    """This response shows something live (an event's places left, a form): never store it,
    even though the page itself may be cached."""
    setattr(request, ATTRIBUTE, False)


class PageCacheMiddleware:
    """Answers cookie-less GETs from the cache before any routing or database work, and stores
    the rendered public Wagtail pages it was allowed to (see mark_cacheable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = cache_key(request)
        if key is not None:
            version, stored = _kept(VERSION_KEY, key)
            if stored is not None:
                return stored
        response = self.get_response(request)
        if (
            key is not None
            and getattr(request, ATTRIBUTE, False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            cache.set(key, (version, response), seconds())
        return response


# Where a stored page's header holds the account links (templates/base.html).
ACCOUNT_LINKS_START = "<!--account-links-->"
ACCOUNT_LINKS_END = "<!--/account-links-->"
ACCOUNT_LINKS_TEMPLATE = "includes/account_links.html"


def _message_waiting(request) -> bool:
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.messages.storage.session import SessionStorage

    return CookieStorage.cookie_name in request.COOKIES or (
        SessionStorage.session_key in request.session
    )


class SessionPageMiddleware:
    """Someone with a session asks for a public page that is stored (by PageCacheMiddleware,
    for visitors without one): they get it with the account links rendered for them ("Your
    page", "Manage", "Sign out"; a visitor not signed in gets the stored links, "Sign in").
    Placed after the session, authentication, messages and agreement middleware, so it only
    answers when those let the request through, and only when the request carries no cookie
    but the session's and csrftoken (a language cookie, say, changes the page). A page that
    was never stored (view restrictions, live panels such as an event's places, a page type
    that opts out) is not found here and is rendered as usual; so is any page while a message
    waits to be shown. Nothing rendered for someone with a session is stored for anyone else
    (personal_page, below, keeps a person's own pages for them alone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            enabled()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
        ):  # no session (PageCacheMiddleware's), or a cookie that may change the page
            return self.get_response(request)
        key = _key(request)
        stored = _kept(VERSION_KEY, key)[1] if key and not _message_waiting(request) else None
        if stored is None:
            return self.get_response(request)
        html = stored.content.decode()
        before, start, rest = html.partition(ACCOUNT_LINKS_START)
        _links, end, after = rest.partition(ACCOUNT_LINKS_END)
        if not (start and end):
            return self.get_response(request)
        from django.template.loader import render_to_string

        links = render_to_string(ACCOUNT_LINKS_TEMPLATE, request=request)
        return HttpResponse(
            before + start + links + end + after, content_type=stored["Content-Type"]
        )


# --- Form pages (the join form every QR code opens, the kiosk): the same HTML for every
# visitor without a session except the CSRF token, which must be each visitor's own. The page
# is stored once with a placeholder where the token goes and served with the visitor's token.
# Stored for at most a minute, so a campaign that ends or a consent text that comes into force
# at a set time shows within a minute; saving one starts a new cache version at once.
FORM_PAGE_SECONDS = 60
CSRF_PLACEHOLDER = "csrf-token-placeholder"  # never a real token: those are letters and digits


def form_page(request, render):
    """`render(csrf_token)` renders the page with that token (None: the visitor's own). For a
    GET that may be shared (see _may_share) the page comes from the cache when it can."""
    if not _may_share(request) or not (address := _address(request)):
        return render(None)
    key = f"form-page:{current_version()}:{address}"
    html = cache.get(key)
    if html is None:
        response = render(CSRF_PLACEHOLDER)
        html = response.content.decode()
        if response.status_code == 200:
            cache.set(key, html, min(seconds(), FORM_PAGE_SECONDS))
    else:
        response = HttpResponse(content_type="text/html; charset=utf-8")
    return _with_token(request, response, html)


def _with_token(request, response, html: str):
    """The stored page with the visitor's own CSRF token where the placeholder is (a page
    without a form, such as /me/, needs none, and the browser then no csrftoken cookie)."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    response.content = html
    return response


# --- A signed-in person's own pages (/me/, a consultation's page): what they show depends on
# everything that person (and managers, and other members' votes) wrote, so a kept copy is
# good only until the next write to the database by anyone, in any of the project's processes:
# every INSERT, UPDATE or DELETE starts a new count (WRITES_KEY, in the shared cache), and
# again when it commits. Sessions are left out (saving one changes no page; signing out ends
# the session, and with it every answer from here). Kept for that person only, with the CSRF
# placeholder (each browser's own token is put in), for at most PERSONAL_PAGE_SECONDS, and
# never past changes_at().
PERSONAL_PAGE_SECONDS = 60
WRITES_KEY = "page-cache:writes"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE")


def _written() -> None:
    _bump(WRITES_KEY)


def _changes_pages(sql: str) -> bool:
    head = sql.lstrip()[:80].upper()
    return head.startswith(_WRITES) and '"DJANGO_SESSION"' not in head


def count_writes(execute, sql, params, many, context):
    """A database execute wrapper (installed on every connection, see CmsConfig.ready): once a
    statement that changes rows has run, a new count starts, and again when its transaction
    commits (a page rendered in between, from rows not yet committed, is not kept past it).
    Nothing is counted while the page cache is off."""
    result = execute(sql, params, many, context)
    if enabled() and _changes_pages(sql):
        connection = context["connection"]
        _written()  # for pages rendered inside the same transaction
        if connection.in_atomic_block:
            # Once is enough: a count waiting from this savepoint or one around it is kept
            # whenever this write is (rolling that savepoint back undoes both).
            savepoints = set(connection.savepoint_ids)
            if not any(
                func is _written and ids <= savepoints
                for ids, func, _robust in connection.run_on_commit
            ):
                connection.on_commit(_written)  # for everyone else, once they can see it
    return result


def watch_writes(sender, connection, **kwargs) -> None:
    """connection_created: put count_writes on the new connection (once)."""
    if count_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_writes)


def _personal_timeout(until) -> int:
    """Seconds a personal page may be kept: at most PERSONAL_PAGE_SECONDS (and the page
    cache's own), and whole seconds short of `until` (0: not at all)."""
    from django.utils import timezone

    longest = min(seconds(), PERSONAL_PAGE_SECONDS)
    if until is None:
        return longest
    return max(0, min(longest, math.floor((until - timezone.now()).total_seconds())))


UNTIL_ATTRIBUTE = "_personal_page_until"


def changes_at(request, moment) -> None:
    """The page being rendered changes by the clock alone at `moment` (None: it does not), e.g.
    a consultation on it opens or closes: personal_page does not keep it past that."""
    if moment is not None:
        earliest = getattr(request, UNTIL_ATTRIBUTE, None)
        setattr(request, UNTIL_ATTRIBUTE, moment if earliest is None else min(earliest, moment))


def for_person(request, name: str, build):
    """`build()` for the signed-in person, kept for them as their pages are: until anything is
    written, for at most PERSONAL_PAGE_SECONDS, and never past a moment given to changes_at()
    (while building, or before on this request). Built each time while the page cache is off,
    or for someone not signed in."""
    if not (enabled() and request.user.is_authenticated):
        return build()
    key = f"person:{name}:{request.user.pk}"
    count, kept = _kept(WRITES_KEY, key)
    if kept is not None:
        return kept[0]
    value = build()
    if timeout := _personal_timeout(getattr(request, UNTIL_ATTRIBUTE, None)):
        cache.set(key, (count, (value,)), timeout)  # (value,): a value of None is kept too
    return value


def personal_page(request, render):
    """`render(csrf_token)` renders the signed-in person's page with that token (None: their
    own). A GET from a session whose cookies cannot change the page, with no message waiting,
    is answered from what was kept for this person at this address when nothing has been
    written since; otherwise rendered, and a plain 200 kept (unless a real CSRF token got into
    it, which must never be served to another browser) until the moment the render gave
    changes_at(), for at most PERSONAL_PAGE_SECONDS."""
    if not (
        enabled()
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
        and not _message_waiting(request)
        and (address := _address(request))
    ):
        return render(None)
    # Every save that starts a new page cache version is a write, so the count covers it. The
    # page is kept with the count it was rendered at: both are read in one round trip.
    key = f"personal-page:{request.user.pk}:{address}"
    count, html = _kept(WRITES_KEY, key)
    if html is None:
        response = render(CSRF_PLACEHOLDER)
        html = response.content.decode()
        tokens = html.count('name="csrfmiddlewaretoken"')
        if (
            response.status_code == 200
            and not response.cookies
            and html.count(f'value="{CSRF_PLACEHOLDER}"') == tokens
            and (timeout := _personal_timeout(getattr(request, UNTIL_ATTRIBUTE, None)))
        ):
            cache.set(key, (count, html), timeout)
    else:
        response = HttpResponse(content_type="text/html; charset=utf-8")
    return _with_token(request, response, html)
