"""The site's chrome: its name, main menu and footer, on every page anyone sees (signed in or
not, Wagtail page or form). Worked out from the site settings and the page tree once per host
and page-cache version (cms/page_cache.py: publishing, moving or deleting a page, or saving the
site settings or a site, starts a new version), then read from the shared cache: four queries
that no longer run on every page. Off with the page cache (PAGE_CACHE_SECONDS=0).
"""

from dataclasses import dataclass, field, replace

from wagtail.models import Site

from . import page_cache

DEFAULT_NAME = "PPIE Hub"


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str  # the page's tree path: the section being read starts with it
    is_current: bool = False


@dataclass(frozen=True)
class Chrome:
    organisation_name: str = DEFAULT_NAME
    contact_email: str = ""
    menu: tuple[MenuItem, ...] = ()
    footer_links: tuple[tuple[str, str], ...] = field(default=())  # (url, text)


def _build(request) -> Chrome:
    from .models import SiteSettings

    site = Site.find_for_request(request)
    if site is None:
        return Chrome()
    site_settings = SiteSettings.for_site(site)
    pages = site.root_page.get_children().live().in_menu().only("title", "url_path", "path")
    footer = []
    for link in site_settings.footer_links:
        page = link.value["page"]
        footer.append((page.get_url(request) if page else link.value["url"], link.value["text"]))
    return Chrome(
        organisation_name=site_settings.organisation_name or DEFAULT_NAME,
        contact_email=site_settings.contact_email,
        menu=tuple(MenuItem(p.title, p.get_url(request), p.path) for p in pages),
        footer_links=tuple(footer),
    )


def site_chrome(request, current_page=None) -> Chrome:
    """The chrome for this request, with the menu item of the section `current_page` is in
    (the page itself or one of its descendants) marked current."""
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        try:
            host = request.get_host()
        except Exception:  # DisallowedHost: Django answers it as usual
            chrome = _build(request)
        else:
            chrome = page_cache.cached(f"site-chrome:{host}", lambda: _build(request))
        request._site_chrome = chrome
    path = getattr(current_page, "path", "")
    if not path:
        return chrome
    menu = tuple(replace(item, is_current=path.startswith(item.path)) for item in chrome.menu)
    return replace(chrome, menu=menu)
