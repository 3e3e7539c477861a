"""The header on a 390 px phone: one line, the name and a Menu button that works with the
keyboard and without JavaScript; on a desktop the links are in the header. Tap targets on member
pages are at least 44 px high (the NHS service manual's size)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.feedback_support import check_page, member, sign_in
from tests.browser.helpers import focused, new_page, screenshot, touch_context

MIN_TARGET = 44


@pytest.fixture
def no_js_phone(browser, browser_context_args):
    context = touch_context(browser, browser_context_args, java_script_enabled=False)
    yield new_page(context)
    context.close()


def _box(locator):
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _menu_button(page):
    return page.locator("header summary.site-menu__button")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_header_is_one_line_with_a_menu_button(request, live_site, javascript):
    page = request.getfixturevalue("phone_page" if javascript else "no_js_phone")
    page.goto(live_site["url"] + "/")
    header = page.locator("header.site-header")
    brand = header.get_by_role("link", name="PPIE Hub")
    button = _menu_button(page)
    expect(button).to_have_text("Menu")
    # One line: the name and the button side by side, the header under 80 px (it was 215).
    assert _box(header)["height"] < 80
    brand_box, button_box = _box(brand), _box(button)
    assert (
        abs(
            (brand_box["y"] + brand_box["height"] / 2)
            - (button_box["y"] + button_box["height"] / 2)
        )
        < 8
    )
    assert button_box["height"] >= MIN_TARGET and button_box["width"] >= MIN_TARGET
    assert button_box["x"] + button_box["width"] <= PHONE["width"]
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_have_count(0)  # closed: the links are not shown (nor read out)

    button.click()
    expect(nav.get_by_role("link", name="News")).to_be_visible()
    for link in nav.get_by_role("link").all():
        assert _box(link)["height"] >= MIN_TARGET, link
        assert _box(link)["width"] >= PHONE["width"] - 40  # the whole row is the target
    screenshot(page, "header-menu-open" + ("" if javascript else "-no-js"))
    if javascript:
        check_page(page)
    nav.get_by_role("link", name="News").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # closed again


def test_phone_menu_with_the_keyboard_alone(phone_page, live_site):
    page = phone_page
    page.goto(live_site["url"] + "/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "PPIE Hub"
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "summary"
    assert focused(page)["visible"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "News"
    check_page(page)
    # Closed again from the same button.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)


def test_desktop_header_shows_the_links_and_no_menu_button(page, live_site):
    page.goto(live_site["url"] + "/")
    expect(_menu_button(page)).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="News")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    assert _box(page.locator("header.site-header"))["height"] < 110
    screenshot(page, "header-desktop")


def _expect_big_targets(page) -> int:
    """Every choice row and its label, and every button, at least 44 px high; how many rows."""
    rows = page.locator("main .choices li, main .checkbox-row").all()
    for row in rows:
        if not row.is_visible():
            continue
        assert _box(row)["height"] >= MIN_TARGET, row
        label = row.locator("label").first
        assert _box(label)["height"] >= MIN_TARGET, label
        box = row.locator("input").first
        assert _box(box)["width"] >= 32 and _box(box)["height"] >= 32
    for button in page.locator("main button, main .button").all():
        if button.is_visible():
            assert _box(button)["height"] >= MIN_TARGET, button
    return len(rows)


def test_choices_on_member_pages_are_big_enough_to_tap(phone_page, live_site):
    import datetime

    from django.utils import timezone

    from engagement.models import Consultation, Feature, Poll, PollChoice

    page = phone_page
    person = member(display_name="Sam", role="patient")
    sign_in(page.context, person.user, live_site["url"])
    now = timezone.now()
    consultation = Consultation.objects.create(
        title="Which features matter?",
        slug="features",
        summary="Tell us what matters most.",
        opens_at=now - datetime.timedelta(days=1),
        released_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        voting_method=Consultation.Method.SUPPORT,
    )
    Feature.objects.create(consultation=consultation, title="Symptom diary", sort_order=0)
    poll = Poll.objects.create(consultation=consultation, question="Which device do you use?")
    for text in ("Phone", "Tablet"):
        PollChoice.objects.create(poll=poll, text=text)

    page.goto(f"{live_site['url']}/consultations/features/")
    assert _expect_big_targets(page) >= 3  # the support box and two poll answers
    screenshot(page, "consultation-targets")
    # Tapping the words, not only the box, ticks it.
    page.get_by_text("Tablet", exact=True).click()
    expect(page.get_by_role("radio", name="Tablet")).to_be_checked()

    page.goto(f"{live_site['url']}/me/preferences/")
    assert _expect_big_targets(page) >= 3
    screenshot(page, "preferences-targets")
