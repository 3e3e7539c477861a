"""A member's own data, taking an agreement back and agreeing to new wording: on a phone,
keyboard only (Tab, Space, Enter; no clicks, no fill()), axe on every page."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, focused, screenshot, sign_in
from tests.browser.joining import expect_page, expect_url


def tab_to(page, text: str, *, limit: int = 80) -> dict:
    """Press Tab until the focused element's text contains `text` (and is on screen)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = focused(page)
        if text in where["text"]:
            assert where["visible"], f"focused element is off screen: {where}"
            return where
    pytest.fail(f"“{text}” is not reached with Tab")


def tab_to_id(page, element_id: str, *, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = focused(page)
        if where["id"] == element_id:
            return where
    pytest.fail(f"#{element_id} is not reached with Tab")


@pytest.fixture
def zelda(live_site):
    from tests.factories.personal_data import member_with_everything

    return member_with_everything(live_site)


def test_a_member_reads_everything_held_about_them_on_a_phone(phone_page, live_site, zelda):
    from tests.factories.personal_data import EMAIL, FREE_TEXT

    page = phone_page
    sign_in(page.context, zelda.user, live_site["url"])
    page.goto(live_site["url"] + "/me/")
    tab_to(page, "See everything we hold about you")
    page.keyboard.press("Enter")

    expect_url(page, live_site["url"] + "/me/data/")
    expect_page(page, "Everything we hold about you")
    expect(page.get_by_role("heading", name="Your votes")).to_be_visible()
    body = page.inner_text("main")
    assert EMAIL in body and FREE_TEXT in body
    tab_to(page, "Download your receipt")  # each receipt is reachable by keyboard
    screenshot(page, "my-data")


def test_taking_back_the_health_role_with_the_keyboard(phone_page, live_site, zelda):
    page = phone_page
    sign_in(page.context, zelda.user, live_site["url"])
    page.goto(live_site["url"] + "/me/preferences/")
    assert_accessible(page)

    where = tab_to(page, "Take back")
    while "health-related role" not in where["text"]:
        where = tab_to(page, "Take back")
    page.keyboard.press("Enter")

    expect_page(page, "Take back “Store my health-related role”")
    expect(
        page.get_by_text("You stay a member and we still invite you to take part.")
    ).to_be_visible()
    tab_to(page, "Take it back")
    page.keyboard.press("Enter")

    expect_url(page, live_site["url"] + "/me/preferences/")
    expect(
        page.get_by_text("Done: you have taken back “Store my health-related role”.")
    ).to_be_visible()
    assert_accessible(page)
    zelda.refresh_from_db()
    assert zelda.role == "other"


def test_agreeing_to_new_wording_with_the_keyboard(phone_page, live_site, zelda):
    from engagement.models import ConsentRecord
    from tests.factories.membership import ConsentTextFactory

    ConsentTextFactory(purpose="quote", statement="You may quote me, in videos too.")
    page = phone_page
    sign_in(page.context, zelda.user, live_site["url"])
    page.goto(live_site["url"] + "/me/")

    expect_url(page, live_site["url"] + "/me/agreements/new/?next=%2Fme%2F")
    expect_page(page, "We have changed what we ask you to agree to")
    # Saving with no answer: the error is by the question, and axe is still happy.
    tab_to(page, "Save my answers")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Choose whether you agree to the new wording").first).to_be_visible()
    assert_accessible(page)

    tab_to_id(page, "id_quote_0")
    page.keyboard.press("Space")
    tab_to(page, "Save my answers")
    page.keyboard.press("Enter")

    expect_url(page, live_site["url"] + "/me/")
    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    assert_accessible(page)
    current = ConsentRecord.objects.get(
        member=zelda, text__purpose="quote", withdrawn_at__isnull=True
    )
    assert current.text.version == 2


def test_equality_monitoring_pages_on_a_phone(phone_page, live_site, zelda):
    page = phone_page
    sign_in(page.context, zelda.user, live_site["url"])
    page.goto(live_site["url"] + "/me/")
    tab_to(page, "Answer, change or delete your equality monitoring answers")
    page.keyboard.press("Enter")
    expect_page(page, "Who is in our group")
    tab_to(page, "Delete my answers")
    page.keyboard.press("Enter")
    expect_page(page, "Delete your equality monitoring answers")
