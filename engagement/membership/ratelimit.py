"""Fixed-window rate limits kept in the cache, so they hold across gunicorn workers when the
cache is Redis. A limit is "N/seconds"; several can apply at once."""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def parse(spec: str) -> list[tuple[int, int]]:
    limits = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        count, _, period = part.partition("/")
        limits.append((int(count), int(period)))
    return limits


def hit(scope: str, key: str, spec: str) -> bool:
    """Count one hit; False when any limit in spec is already used up (the hit is refused)."""
    now = int(time.time())
    allowed = True
    for count, period in parse(spec):
        window = now // period
        cache_key = f"rl:{scope}:{period}:{window}:{key}"
        cache.add(cache_key, 0, timeout=period + 5)
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=period + 5)
            used = 1
        if used > count:
            allowed = False
    return allowed


def client_ip(request) -> str:
    """The address a limit counts, as allauth's own rate limits see it: REMOTE_ADDR, or, behind
    ALLAUTH_TRUSTED_PROXY_COUNT proxies, the entry that many places from the right of
    X-Forwarded-For (the one the outermost trusted proxy wrote; entries to its left are
    whatever the client sent). A header shorter than the count was not written by the proxies,
    so the direct peer's address counts."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        return request.META.get("REMOTE_ADDR", "")
