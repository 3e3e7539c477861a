"""A whole-page cache for anonymous visitors to Wagtail pages (the public site's hot path:
news, prototypes, events), shared by all workers through the cache (Redis in production).

A visitor without cookies asking for a page with GET gets the stored HTML when there is one;
otherwise the page is rendered and stored if the response is a plain 200 without cookies.
Publishing, unpublishing, moving or deleting any page, or saving the site settings, starts a
new cache version, so nobody sees an outdated page. Members and managers (who have a session
cookie) always get a freshly rendered page. PAGE_CACHE_SECONDS=0 turns it off.
"""

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "page-cache:version"
ATTRIBUTE = "_page_cache_key"


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate(**kwargs) -> None:
    """Start a new version: every stored page is ignored from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cache_key(request) -> str | None:
    if not _seconds() or request.method not in ("GET", "HEAD") or request.COOKIES:
        return None
    return f"page-cache:{current_version()}:{request.get_host()}:{request.get_full_path()}"


def serve_from_cache(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: answer from the cache, or mark the request so the
    middleware stores the rendered page."""
    key = cache_key(request)
    if key is None:
        return None
    response = cache.get(key)
    if response is not None:
        return response
    setattr(request, ATTRIBUTE, key)
    return None


class PageCacheMiddleware:
    """Stores the response of a page marked by serve_from_cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, ATTRIBUTE, None)
        if (
            key
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cache.set(key, response, _seconds())
        return response
