"""Every public page of the demo site (`manage.py load_demo`, the content people first see) on
a phone: axe finds nothing and nothing makes the page scroll sideways."""

from io import StringIO

import pytest

from tests.browser.helpers import assert_accessible
from tests.installation import restore_fresh_installation


@pytest.fixture
def demo_site(transactional_db, live_server):
    from django.core.management import call_command
    from wagtail.models import Page

    restore_fresh_installation()
    call_command("load_demo", stdout=StringIO())
    pages = Page.objects.live().public().exclude(depth=1).specific()
    return live_server.url, sorted({page.url for page in pages if page.url})


def test_every_demo_page_is_accessible_and_fits_a_phone(phone_page, demo_site):
    base, paths = demo_site
    assert len(paths) >= 12
    for path in paths:
        response = phone_page.goto(base + path)
        assert response.status == 200, path
        assert_accessible(phone_page)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= phone_page.viewport_size["width"], (path, width)
