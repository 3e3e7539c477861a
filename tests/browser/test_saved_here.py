"""After any save the confirmation is where the member is looking: the page opens on it, beside
the form they saved, and keyboard focus is on it (so a screen reader reads it), on a phone, with
and without JavaScript."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.feedback_support import check_page, member, sign_in
from tests.browser.helpers import new_page, touch_context


@pytest.fixture
def no_js_phone(browser, browser_context_args):
    context = touch_context(browser, browser_context_args, java_script_enabled=False)
    yield new_page(context)
    context.close()


def _consultation():
    from engagement.models import Consultation, Feature, Poll, PollChoice

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
    for order in range(6):  # a long list: the button is far below the section's top
        Feature.objects.create(
            consultation=consultation, title=f"Feature {order}", sort_order=order
        )
    poll = Poll.objects.create(consultation=consultation, question="Which device do you use?")
    for text in ("Phone", "Tablet"):
        PollChoice.objects.create(poll=poll, text=text)
    return consultation, poll


def _expect_opened_on(page, element_id: str, text: str) -> None:
    message = page.locator(f"#{element_id}")
    expect(page).to_have_url(re.compile(f"#{element_id}$"))
    expect(message).to_have_attribute("role", "status")
    expect(message).to_contain_text(text)
    expect(message).to_be_in_viewport()
    expect(message).to_be_focused()
    # Not also at the top of the page, out of view.
    expect(page.locator(".messages")).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_votes_and_poll_answers_are_confirmed_where_the_member_is(request, live_site, javascript):
    page = request.getfixturevalue("phone_page" if javascript else "no_js_phone")
    consultation, poll = _consultation()
    voter = member(display_name="Sam", role="patient")
    sign_in(page.context, voter.user, live_site["url"])

    page.goto(f"{live_site['url']}/consultations/{consultation.slug}/")
    page.locator("li.feature").last.get_by_label("I support this").check()
    page.get_by_role("button", name="Save my votes").click()
    _expect_opened_on(page, "vote-saved", "Your votes are saved.")
    # Inside the votes section, under its heading.
    expect(
        page.get_by_role("region", name="Which features matter most to you?").locator("#vote-saved")
    ).to_have_count(1)
    if javascript:
        check_page(page)

    page.get_by_role("radio", name="Tablet").check()
    page.get_by_role("button", name="Save my answer").click()
    _expect_opened_on(page, f"poll-{poll.pk}-saved", "Your answer is saved.")
    expect(page.locator(f"#poll-{poll.pk} #poll-{poll.pk}-saved")).to_have_count(1)
    expect(page.locator("#vote-saved")).to_have_count(0)  # shown once, then gone
    if javascript:
        check_page(page)


def test_changed_details_are_confirmed_with_the_keyboard_alone(phone_page, live_site):
    page = phone_page
    person = member(display_name="Sam", role="patient")
    sign_in(page.context, person.user, live_site["url"])

    page.goto(live_site["url"] + "/me/preferences/")
    page.get_by_label("Name to use").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Sam B")
    page.get_by_role("button", name="Save changes").focus()
    page.keyboard.press("Enter")

    _expect_opened_on(page, "profile-saved", "Your changes are saved.")
    expect(page.get_by_role("region", name="Your details").locator("#profile-saved")).to_have_count(
        1
    )
    expect(page.get_by_role("region", name="Your details")).to_contain_text("Sam B")
    check_page(page)
    # Tab goes on from the message, into the section it stands in.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Change your details")).to_be_focused()
