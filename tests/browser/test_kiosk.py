"""The kiosk at an event: a tablet on a stand where people join one after another. Nothing
one person typed may be seen by the next, and the tablet keeps no session."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import screenshot
from tests.browser.joining import (
    HEALTH_STATEMENT,
    INTEREST,
    JOIN_STATEMENT,
    PUBLIC,
    TABLET,
    expect_empty_join_form,
    expect_page,
    expect_url,
    page_text,
)

CARER = "I care for someone who has had CAR-T therapy (family or friend)"


def _expect_no_trace_of_annabel(page) -> None:
    seen = page_text(page)
    for trace in ("Annabel", "annabel@example.org", "Large print"):
        assert trace not in seen, f"{trace!r} is still on {page.url} after pressing Back"


def test_two_people_join_one_after_the_other(tablet, live_site, campaign):
    from engagement.models import Channel, Member

    page = tablet
    form_url = live_site["url"] + "/join/cart-day/kiosk/"
    thanks_url = form_url + "thanks/"
    page.goto(form_url)
    expect_page(page, "Join the stakeholder group")
    expect(page.get_by_role("navigation")).to_have_count(0)  # nowhere to wander off to
    expect_empty_join_form(page)
    screenshot(page, "join-kiosk-form")

    # Person A
    page.get_by_label("Name to use").fill("Annabel")
    page.get_by_label("Email address").fill("annabel@example.org")
    page.get_by_role("radio", name=CARER).check()
    page.get_by_role("checkbox", name=INTEREST).check()
    page.get_by_label("Is there anything that would make taking part easier").fill("Large print")
    page.get_by_role("checkbox", name=re.compile(JOIN_STATEMENT)).check()
    page.get_by_role("checkbox", name=re.compile(HEALTH_STATEMENT)).check()
    page.get_by_role("button", name="Join").click()

    expect_url(page, thanks_url)
    expect_page(page, "Thank you")
    expect(page.get_by_role("link", name="Next person")).to_have_attribute(
        "href", "/join/cart-day/kiosk/"
    )
    screenshot(page, "join-kiosk-thanks")

    # The thank-you screen holds nothing of person A; "Next person" clears it at once (it also
    # clears itself after a countdown that can be stopped: tests below).
    assert "Annabel" not in page_text(page)
    page.get_by_role("link", name="Next person").click()
    expect_url(page, form_url)
    expect_page(page, "Join the stakeholder group")
    expect_empty_join_form(page)

    # The back button shows nothing of person A either: not the thank-you screen, and not the
    # form they filled in (the pages are not cached and the form is autocomplete="off").
    page.go_back()
    expect_url(page, thanks_url)
    expect_page(page, "Thank you")
    _expect_no_trace_of_annabel(page)
    page.go_back()
    expect_url(page, form_url)
    expect_page(page, "Join the stakeholder group")
    expect_empty_join_form(page)
    _expect_no_trace_of_annabel(page)

    # Person B
    page.get_by_label("Name to use").fill("Bo")
    page.get_by_label("Email address").fill("bo@example.org")
    page.get_by_role("radio", name=PUBLIC).check()
    page.get_by_role("checkbox", name=re.compile(JOIN_STATEMENT)).check()
    page.get_by_role("button", name="Join").click()
    expect_url(page, thanks_url)
    expect_page(page, "Thank you")

    members = Member.objects.order_by("display_name")
    assert [(m.display_name, m.user.email) for m in members] == [
        ("Annabel", "annabel@example.org"),
        ("Bo", "bo@example.org"),
    ]
    for member in members:
        assert member.status == Member.Status.PENDING
        assert member.channel == Channel.KIOSK
        assert member.campaign == campaign
    campaign.refresh_from_db()
    assert campaign.signup_count == 2

    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "sessionid" not in cookies, f"the kiosk has a session: {cookies}"


@pytest.fixture
def tablet_without_javascript(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": TABLET},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def test_kept_thank_you_screen_without_javascript(tablet_without_javascript, live_site, campaign):
    # The <noscript> refresh itself is checked in tests/engagement/membership/test_kiosk.py:
    # this harness's JavaScript-off Chromium leaves <noscript> unrendered (a Chromium started
    # by hand with JavaScript off renders it and refreshes after the countdown).
    page = tablet_without_javascript
    page.goto(live_site["url"] + "/join/cart-day/kiosk/thanks/?stay=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_role("status")).to_have_text(
        "Timer stopped. Press “Next person” when you are ready."
    )
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
    expect(page.get_by_role("button", name="Stop the timer")).to_have_count(0)
    page.get_by_role("link", name="Next person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the stakeholder group")
    expect_empty_join_form(page)


def test_thank_you_screen_with_javascript_counts_down_and_stops(tablet, live_site, campaign):
    page = tablet
    page.goto(live_site["url"] + "/join/cart-day/kiosk/thanks/")
    expect(
        page.get_by_text("seconds until this screen clears for the next person.")
    ).to_be_visible()
    # The <noscript> refresh is not in force beside the script.
    expect(page.locator("head meta[http-equiv=refresh]")).to_have_count(0)
    expect_page(page, "Thank you")
    page.get_by_role("button", name="Stop the timer").click()
    expect(page.get_by_role("status")).to_have_text(
        "Timer stopped. Press “Next person” when you are ready."
    )
    expect(page.get_by_role("link", name="Next person")).to_be_focused()
