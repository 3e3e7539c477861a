"""Fixed-window rate limits kept in the cache, so they hold across gunicorn workers when the
cache is Redis. A limit is "N/seconds"; several can apply at once."""

import time

from django.core.cache import cache


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
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
