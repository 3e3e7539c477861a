"""The site's name, menu and footer (cms/chrome.py): read from the cache on every page once
worked out, and shown new at once after a publish or a change to the site settings."""

import pytest
from django.test import override_settings
from wagtail.models import Site

from cms.models import SiteSettings
from tests.factories.cms import StandardPageFactory
from tests.html import soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)


@pytest.fixture
def page_cache_on():
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield


def menu(response) -> list[str]:
    return [a.get_text() for a in soup(response).find("nav")("a")]


def footer(response) -> str:
    return " ".join(soup(response).find("footer").get_text().split())


@pytest.fixture
def site_settings(site_tree):
    settings = SiteSettings.for_site(site_tree["home"].get_site())
    settings.organisation_name = "CAR-T Voices"
    settings.contact_email = "team@example.org"
    settings.footer_links = [
        ("link", {"text": "Accessibility", "page": site_tree["news_index"], "url": ""}),
        ("link", {"text": "Charity", "page": None, "url": "https://example.org/"}),
    ]
    settings.save()
    return settings


def test_a_page_that_is_not_stored_reads_the_chrome_from_the_cache(
    client, site_tree, site_settings
):
    """The search page is never stored whole: its chrome still costs no query after the
    first visit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/search/?query=x")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/?query=y")

    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "cms_sitesettings" not in tables and "show_in_menus" not in tables
    assert soup(response).find(class_="site-header__brand").get_text() == "CAR-T Voices"
    assert "News" in menu(response)
    assert footer(response) == (
        "Support links Accessibility Charity © CAR-T Voices · Contact us: team@example.org"
    )
    links = soup(response).find("footer")("a")
    assert [a["href"] for a in links] == [
        site_tree["news_index"].url,
        "https://example.org/",
        "mailto:team@example.org",
    ]


def test_new_site_settings_show_at_once(client, site_settings):
    client.get("/search/")
    site_settings.organisation_name = "Renamed"
    site_settings.footer_links = []
    site_settings.save()

    response = client.get("/search/")

    assert soup(response).find(class_="site-header__brand").get_text() == "Renamed"
    assert "Accessibility" not in footer(response)
    assert "Renamed" in soup(response).title.get_text()


def test_a_page_published_in_the_menu_shows_at_once(client, site_tree, site_settings):
    client.get("/search/")
    page = StandardPageFactory(parent=site_tree["home"], title="About us", show_in_menus=True)
    page.save_revision().publish()  # as the editor's Publish button does

    assert "About us" in menu(client.get("/search/"))


def test_the_section_being_read_is_marked_in_the_menu(client, site_tree, site_settings):
    client.get("/search/")  # the chrome is stored without any section marked
    response = client.get(site_tree["news"].url)

    current = soup(response).find("nav").find_all("a", attrs={"aria-current": "page"})
    assert [a.get_text() for a in current] == [site_tree["news_index"].title]


def test_each_site_gets_its_own_chrome(client, site_tree, site_settings):
    other_home = StandardPageFactory(parent=site_tree["home"].get_parent(), title="Other")
    other = Site.objects.create(hostname="other.example.org", root_page=other_home)
    SiteSettings.objects.update_or_create(site=other, defaults={"organisation_name": "Other site"})
    client.get("/search/")

    response = client.get("/search/", HTTP_HOST="other.example.org")

    assert soup(response).find(class_="site-header__brand").get_text() == "Other site"
