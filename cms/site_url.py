"""The site's public address, for links read away from the site: QR codes, printed posters and
emails. One place decides it, so a poster and an email never disagree."""

from django.conf import settings
from wagtail.models import Site


def public_base_url() -> str:
    """PUBLIC_BASE_URL when it is set (production); otherwise the address of the default
    Wagtail site (Settings > Sites), which `load_demo --site-url` sets to where it is served."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/")
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url.rstrip("/")


def absolute(path: str) -> str:
    return public_base_url() + path
