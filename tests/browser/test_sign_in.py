"""A member signs in with a code sent by email: with a mouse (desktop and phone) and with the
keyboard alone. axe checks every page on the way."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import MEMBER_EMAIL as EMAIL
from tests.browser.helpers import (
    assert_accessible,
    focused,
    login_code_from_outbox,
    main_nav,
    screenshot,
)


def _expect_signed_in(page) -> None:
    nav = main_nav(page)
    expect(nav.get_by_role("link", name="Sign out")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_have_count(0)


def test_member_signs_in_with_an_emailed_code(any_page, live_site, member_user):
    page = any_page
    page.goto(live_site["url"] + "/")
    main_nav(page).get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    screenshot(page, "sign-in")

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me a sign-in code").click()

    expect(page).to_have_url(live_site["url"] + "/accounts/login/code/confirm/")
    expect(page.get_by_text(f"We have emailed a code to {EMAIL}")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "code-entry")
    # The live server thread sends with the locmem backend into this process's outbox.
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert mail.outbox[0].subject == "PPIE Hub: Your sign-in code"

    page.get_by_label("Code").fill(login_code_from_outbox(EMAIL))
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(live_site["url"] + "/me/")
    _expect_signed_in(page)
    assert_accessible(page)
    screenshot(page, "signed-in")


def test_a_wrong_code_is_explained_next_to_the_field(page, live_site, member_user):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me a sign-in code").click()
    page.get_by_label("Code").fill("WRONG-CODE")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    code = page.get_by_label("Code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#" + code.get_attribute("aria-describedby").split()[-1])).to_be_visible()
    assert_accessible(page)
    screenshot(page, "code-entry-error")


def test_member_signs_in_with_the_keyboard_alone(page, live_site, member_user):
    page.goto(live_site["url"] + "/accounts/login/")

    # The first Tab reaches the skip link, which appears on screen.
    page.keyboard.press("Tab")
    assert focused(page) == {
        "tag": "a",
        "id": "",
        "text": "Skip to main content",
        "href": "#main",
        "visible": True,
    }
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # From the start of the main content the next Tab is the email field.
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_code_email"
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Email me a sign-in code"
    assert_accessible(page)
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_site["url"] + "/accounts/login/code/confirm/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    # In the main content: the address the code went to, then the code field.
    page.keyboard.press("Tab")
    assert focused(page)["href"] == f"mailto:{EMAIL}"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_code"
    page.keyboard.type(login_code_from_outbox(EMAIL))
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Sign in"
    page.keyboard.press("Space")

    expect(page).to_have_url(live_site["url"] + "/me/")
    _expect_signed_in(page)
    assert_accessible(page)
    # The "Sign out" link is reachable from the keyboard too.
    for _ in range(15):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "Sign out":
            break
    else:
        pytest.fail("Tab never reached the Sign out link")


def test_asking_for_codes_too_often_says_how_long_to_wait(phone_page, live_site, member_user):
    page = phone_page
    page.goto(live_site["url"] + "/accounts/login/")
    for _ in range(3):  # allauth's "3/m/key": three codes a minute for one address
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_role("button", name="Email me a sign-in code").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
        page.get_by_role("button", name="Use a different email address").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me a sign-in code").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Get a sign-in code")
    expect(page.get_by_role("alert")).to_contain_text("Please wait 1 minute, then ask again.")
    expect(page.get_by_text("failed")).to_have_count(0)
    email = page.get_by_label("Email address")
    expect(email).to_have_value(EMAIL)  # kept, to send again after the wait
    expect(email).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshot(page, "sign-in-wait")
    assert len(mail.outbox) == 3
