"""Helpers for the join and kiosk browser tests (tests/browser/test_join_*.py, test_kiosk*.py).

The shared machinery (Chromium, axe, the phone page, the live site) is in conftest.py and
helpers.py; this module only adds what joining needs."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import assert_accessible, focused

CAMPAIGN_CODE = "cart-day"
TABLET = {"width": 800, "height": 1280}
PATIENT = "I have had, or am having, CAR-T therapy"
PUBLIC = "Member of the public"
INTEREST = "Trying app designs"
JOIN_STATEMENT = "I agree to join the stakeholder group"
HEALTH_STATEMENT = "I agree that you can store my role"


def set_up_joining():
    """The "cart-day" campaign (the consent texts and interests of a fresh installation come
    with the live_site fixture)."""
    from engagement.models import Campaign

    return Campaign.objects.create(code=CAMPAIGN_CODE, label="CAR-T day")


@contextmanager
def tablet_page(browser, context_args: dict):
    """A page in a portrait tablet context (800×1280, touch), as on a kiosk stand."""
    context = browser.new_context(
        **{**context_args, "viewport": TABLET}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def confirmation_link(email: str) -> str:
    """The confirmation link in the last email sent to `email` (the live server runs in this
    process, so its locmem backend fills this process's django.core.mail.outbox)."""
    from django.core import mail

    sent = [message for message in mail.outbox if email in message.to]
    assert sent, f"no email sent to {email}; outbox: {[m.to for m in mail.outbox]}"
    match = re.search(r"https?://\S+/confirm-email/\S+", sent[-1].body)
    assert match, f"no confirmation link in the email:\n{sent[-1].body}"
    return match.group(0)


def expect_url(page, url: str) -> None:
    """The page is at `url`, give or take a #fragment: a redirect after a form keeps the one
    the page had (from the skip link's #main or an error summary's #id_email)."""
    expect(page).to_have_url(re.compile(re.escape(url) + r"(#[\w-]*)?$"))


def expect_page(page, heading: str) -> None:
    """The page has this <h1> and no axe violations."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def expect_empty_join_form(page) -> None:
    """Nothing typed or ticked: what the next person at a kiosk must see."""
    expect(page.get_by_label("Name to use")).to_have_value("")
    expect(page.get_by_label("Email address")).to_have_value("")
    expect(page.get_by_label("Phone number")).to_have_value("")
    expect(page.get_by_label("Is there anything that would make taking part easier")).to_have_value(
        ""
    )
    expect(page.locator("form.join-form input[type=checkbox]:checked")).to_have_count(0)
    # The only choice made for people is the contact preference's default, "Email".
    checked_radios = page.locator("form.join-form input[type=radio]:checked")
    expect(checked_radios).to_have_count(1)
    expect(checked_radios).to_have_attribute("value", "email")


def expect_focus(page, *, id: str | None = None, text: str | None = None) -> dict:
    """Keyboard focus is on the element with this id (or whose text contains `text`) and the
    element is on screen."""
    where = focused(page)
    if id is not None:
        assert where["id"] == id, f"focus on {where}, expected #{id}"
    if text is not None:
        assert text in where["text"], f"focus on {where}, expected “{text}”"
    assert where["visible"], f"focused element is off screen: {where}"
    return where


def tab(page, *, id: str | None = None, text: str | None = None, shift: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if shift else "Tab")
    return expect_focus(page, id=id, text=text)


def is_checked(page, element_id: str) -> bool:
    return page.eval_on_selector(f"#{element_id}", "el => el.checked")


def page_text(page) -> str:
    """Everything a person could read or that a form still holds, in one string."""
    return page.evaluate(
        """() => document.body.innerText + " " +
            [...document.querySelectorAll("input, textarea")].map(el => el.value).join(" ")"""
    )


def viewport_screenshot(page, name: str) -> None:
    """Like helpers.screenshot, but only what is on screen (to look at a focus indicator)."""
    directory = os.environ.get("BROWSER_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"))
