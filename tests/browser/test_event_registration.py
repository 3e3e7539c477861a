"""Registering for an event on a 390 px phone, with the keyboard only: a visitor joins the
waiting list of a full event, is offered the join form with their details filled in; the
person with the place cancels through the link in their email; the visitor moves up and gets
an email with the calendar file. The same journey runs with JavaScript off and on; axe (which
needs JavaScript) checks every page of the run with it on. Then a PPIE manager marks who came,
and the member's involvement record appears in the log."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, new_page, screenshot, sign_in, touch_context


@pytest.fixture(params=[False, True], ids=["no-javascript", "javascript"])
def phone(request, browser, browser_context_args):
    context = touch_context(browser, browser_context_args, java_script_enabled=request.param)
    page = new_page(context)
    page.javascript = request.param
    yield page
    context.close()


def check(page) -> None:
    """axe on the page, in the run with JavaScript on (axe is a script)."""
    if page.javascript:
        assert_accessible(page)


def tab_to(page, *, id: str | None = None, text: str | None = None, limit: int = 80) -> None:
    """Press Tab until focus is on the element with this id (or this text). Read through
    Playwright's own selectors, which work with the page's JavaScript off."""
    target = page.locator(f"#{id}:focus") if id else page.locator(":focus", has_text=text)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.count() == 1:
            expect(target).to_be_visible()
            return
    raise AssertionError(f"Tab never reached {id or text}")


def last_email(to: str):
    from django.core import mail

    sent = [m for m in mail.outbox if to in m.to]
    assert sent, f"no email to {to}: {[m.to for m in mail.outbox]}"
    return sent[-1]


def link_in(email, base: str) -> str:
    """The registration link in the email, on the live server (the email names the site's
    public address)."""
    return base + re.search(r"https?://[^/\s]+(/registrations/\S+/)", email.body).group(1)


def test_waiting_list_cancel_and_move_up_on_a_phone_keyboard_only(phone, live_site):
    from engagement.events import services
    from tests.factories.events import RegistrationSettingsFactory

    page = phone
    base = live_site["url"]
    event = live_site["event"]
    RegistrationSettingsFactory(event=event, places=1)
    services.register(event=event, name="Ann", email="ann@example.org")

    # A visitor joins the waiting list, with the keyboard only.
    page.goto(base + event.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    full = page.get_by_text("The event is full, but you can join the waiting list.")
    expect(full).to_be_visible()
    check(page)
    screenshot(page, f"event-{'js' if page.javascript else 'no-js'}-full-phone")
    tab_to(page, id="id_name")
    page.keyboard.type("Bob Visitor")
    tab_to(page, id="id_email")
    page.keyboard.type("bob@example.org")
    tab_to(page, id="id_access_needs")
    page.keyboard.type("A quiet room")
    tab_to(page, id="id_dietary_needs")
    page.keyboard.type("Vegan")
    tab_to(page, text="Join the waiting list")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("We have sent an email to bob@example.org.")).to_be_visible()
    check(page)
    screenshot(page, f"event-{'js' if page.javascript else 'no-js'}-registered-phone")
    waiting = last_email("bob@example.org")
    assert "You are number 1." in waiting.body
    assert not waiting.attachments

    # Offered the join form, not sent through it: already filled in.
    tab_to(page, text="Join the group")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the stakeholder group")
    expect(page.get_by_label("Name to use")).to_have_value("Bob Visitor")
    expect(page.get_by_label("Email address")).to_have_value("bob@example.org")
    check(page)

    # Ann cannot come: the link in her email, no signing in.
    page.goto(link_in(last_email("ann@example.org"), base))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    check(page)
    tab_to(page, text="Cancel my place")
    page.keyboard.press("Enter")
    expect(page.locator("#registration-saved")).to_contain_text(
        "Done: your registration is cancelled"
    )
    expect(page.get_by_role("button", name="Cancel my place")).to_have_count(0)
    check(page)
    screenshot(page, f"event-{'js' if page.javascript else 'no-js'}-cancelled-phone")

    # Bob has the place now, with the calendar file.
    moved_up = last_email("bob@example.org")
    assert moved_up.subject.endswith(f"Good news: you have a place at {event.title}")
    [(filename, content, mimetype)] = moved_up.attachments
    assert filename == "event.ics" and mimetype.startswith("text/calendar")
    assert "\r\nDTSTART:" in content and content.endswith("END:VCALENDAR\r\n")
    page.goto(link_in(moved_up, base))
    expect(page.get_by_text("You have a place")).to_be_visible()
    expect(page.get_by_role("link", name="Add it to your calendar")).to_be_visible()
    check(page)


def test_a_manager_marks_who_came_and_the_involvement_record_appears(page, live_site):
    from django.utils import timezone

    from engagement.events import services
    from engagement.involvement.models import InvolvementRecord
    from tests.factories.events import RegistrationSettingsFactory, event_rate
    from tests.factories.membership import ManagerFactory, MemberFactory

    base = live_site["url"]
    event = live_site["event"]
    settings = RegistrationSettingsFactory(event=event, places=5)
    event_rate("27.50")
    pat = MemberFactory(display_name="Pat Member", consents=[])
    services.register(event=event, name="Pat Member", email=pat.user.email, member=pat)
    services.register(event=event, name="Val Visitor", email="val@example.org")
    event.start = timezone.now() - datetime.timedelta(hours=5)
    event.end = event.start + datetime.timedelta(hours=4)
    event.save_revision().publish()
    sign_in(page.context, ManagerFactory(), base)

    page.goto(f"{base}/admin/event_registrations/", timeout=30_000)
    assert_accessible(page)
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_role("table")).to_contain_text("Pat Member")
    assert_accessible(page)
    page.get_by_role("link", name="Mark who came").click()
    page.get_by_label("Pat Member came").check()
    page.get_by_label("Val Visitor came").check()
    assert_accessible(page)
    screenshot(page, "event-attendance-admin")
    page.get_by_role("button", name="Save who came").click()

    expect(page.locator(".messages")).to_contain_text("1 people who came are in the involvement")
    record = InvolvementRecord.objects.get()
    assert (record.member_id, record.description) == (pat.pk, event.title)
    assert record.contact_minutes == 240
    assert settings.event.registrations.filter(attendance="attended").count() == 2
    page.goto(f"{base}/admin/involvement/", timeout=30_000)
    expect(page.get_by_role("table")).to_contain_text("Pat Member")
    assert_accessible(page)
