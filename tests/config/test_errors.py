"""Error pages: styled like the site, in plain English, and never an error of their own."""

import pytest
from django.test import Client, RequestFactory

from config import views
from tests.html import soup

pytestmark = pytest.mark.django_db
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)


def assert_site_chrome(page):
    skip = page.find("a", class_="skip-link")
    assert skip.get_text() == "Skip to main content"
    assert skip["href"] == "#main"
    assert page.find("main", id="main") is not None
    assert page.find("header", class_="site-header").find("a", href="/").get_text() == "PPIE Hub"
    assert page.find("link", rel="stylesheet")["href"].endswith("css/site.css")


def test_unknown_url_gives_the_styled_404(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert_site_chrome(page)
    assert page.h1.get_text() == "Page not found"
    assert page.title.get_text().startswith("Page not found")
    # The site's menu still works, so the visitor can find their way.
    nav_links = [a.get_text() for a in page.find("nav", attrs={"aria-label": "Main"}).find_all("a")]
    assert "News" in nav_links
    assert page.find("a", string="search the site")["href"] == "/search/"


def test_unknown_child_of_a_real_page_is_404(client, site_tree):
    response = client.get("/news/no-such-item/")
    assert response.status_code == 404
    assert soup(response).h1.get_text() == "Page not found"


def test_unpublished_page_is_404(client, site_tree):
    site_tree["news"].unpublish()
    response = client.get("/news/stand/")
    assert response.status_code == 404
    assert b"Our stand at the CAR-T event" not in response.content


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.config.urls_raise"
    client = Client()
    client.raise_request_exception = False
    return client


def test_server_error_gives_the_styled_500(failing_client, site_tree):
    response = failing_client.get("/test-errors/500/")
    assert response.status_code == 500
    page = soup(response)
    assert_site_chrome(page)
    assert page.h1.get_text() == "Sorry, there is a problem with the service"
    assert "Anything you had already saved is safe." in page.get_text()
    assert b"Deliberate failure" not in response.content  # no details leak to the visitor


def test_500_page_does_not_touch_the_database(django_assert_num_queries):
    # It must render when the database is what failed.
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    assert b"Sorry, there is a problem" in response.content


def test_permission_denied_gives_the_styled_403(failing_client, site_tree):
    response = failing_client.get("/test-errors/403/")
    assert response.status_code == 403
    page = soup(response)
    assert_site_chrome(page)
    assert page.h1.get_text() == "You cannot see this page"


def test_post_without_csrf_token_gives_the_friendly_403(site_tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    page = soup(response)
    assert_site_chrome(page)
    assert page.h1.get_text() == "Your form had expired"
    assert "Please go back, reload the page and try again." in page.get_text()
    assert "Nothing was saved from that form." in page.get_text()


def test_post_with_csrf_token_is_not_refused(site_tree):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"login": "a@example.org", "password": "x", "csrfmiddlewaretoken": token},
    )
    assert response.status_code in (200, 302)  # allauth's answer, not the CSRF refusal
