"""A visitor reads the site by clicking links, on a desktop and on a phone; axe checks every
page they see."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, main_nav, screenshot

LIVE_SITE_ONCE = True  # its tests only read: one site for the module (tests/browser/conftest.py)


def _nav(page):
    return main_nav(page)


def _current_section(page):
    """The link marked as the current section, read without opening a phone's menu (a screen
    reader reads it there once the menu is open)."""
    return page.locator("nav.site-nav [aria-current=page]")


def _expect_page(page, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(re.compile(rf"^{re.escape(heading)} – PPIE Hub$"))
    assert_accessible(page)


def test_visitor_reads_home_prototype_news_and_event(any_page, live_site):
    page = any_page

    page.goto(live_site["url"] + "/")
    _expect_page(page, "Help shape the PRO-CAR-T app")
    expect(
        page.get_by_text("People who have had CAR-T therapy help us build an app.")
    ).to_be_visible()
    featured = page.get_by_role("region", name="Try the app prototype")
    expect(featured).to_contain_text("PRO-CAR-T app")
    expect(featured).to_contain_text("In review")
    screenshot(page, "home")

    featured.get_by_role("link", name="See the screens of PRO-CAR-T app").click()
    expect(page).to_have_url(live_site["url"] + "/prototypes/pro-car-t-app/")
    _expect_page(page, "PRO-CAR-T app")
    expect(page.get_by_text("Version v0.3")).to_be_visible()
    expect(page.get_by_role("heading", name="Screen 1: Home screen")).to_be_visible()
    # A screen reader announces "current page" on the section the visitor is in, and only it.
    expect(_current_section(page)).to_have_text(["Prototypes"])
    screenshot(page, "prototype")

    _nav(page).get_by_role("link", name="News").click()
    _expect_page(page, "News")
    expect(_current_section(page)).to_have_text(["News"])
    page.get_by_role("link", name="Our stand at the CAR-T event").click()
    expect(page).to_have_url(live_site["url"] + "/news/stand/")
    _expect_page(page, "Our stand at the CAR-T event")
    expect(page.get_by_text("Something happened.")).to_be_visible()
    expect(_current_section(page)).to_have_text(["News"])

    _nav(page).get_by_role("link", name="Events").click()
    _expect_page(page, "Events")
    page.get_by_role("link", name="Regional CAR-T day").click()
    expect(page).to_have_url(live_site["url"] + "/events/car-t-day/")
    _expect_page(page, "Regional CAR-T day")
    expect(page.locator(".summary-list")).to_contain_text("Town Hall")

    page.get_by_role("link", name="All events").click()
    _expect_page(page, "Events")


def test_visitor_searches_the_site(any_page, live_site):
    page = any_page
    page.goto(live_site["url"] + "/")
    _nav(page).get_by_role("link", name="Search").click()
    _expect_page(page, "Search")

    page.get_by_label("Search this site").fill("Regional")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 result for “Regional”")
    assert_accessible(page)
    page.get_by_role("link", name="Regional CAR-T day").click()
    _expect_page(page, "Regional CAR-T day")

    page.go_back()
    page.get_by_label("Search this site").fill("zebra crossing")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_have_text("0 results for “zebra crossing”")
    expect(page.get_by_text("Check your spelling or try other words.")).to_be_visible()
    assert_accessible(page)


def test_page_not_found_is_helpful_and_accessible(any_page, live_site):
    page = any_page
    response = page.goto(live_site["url"] + "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help shape the PRO-CAR-T app")
