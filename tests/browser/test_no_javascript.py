"""Pages work without JavaScript (DESIGN.md): old phones, strict browsers, failed downloads."""

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import MEMBER_EMAIL as EMAIL
from tests.browser.helpers import login_code_from_outbox, screenshot


def test_reading_and_signing_in_without_javascript(no_js_page, live_site, member_user):
    page = no_js_page
    # Proof that scripts are off: a <noscript> element's content is rendered as markup.
    page.set_content("<noscript><p id='ns'>no scripts</p></noscript>")
    expect(page.locator("#ns")).to_have_text("no scripts")

    page.goto(live_site["url"] + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Help shape the PRO-CAR-T app")
    page.get_by_role("link", name="See the screens of PRO-CAR-T app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PRO-CAR-T app")
    expect(page.get_by_role("heading", name="Screen 1: Home screen")).to_be_visible()
    screenshot(page, "prototype-no-js")

    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me a sign-in code").click()

    expect(page).to_have_url(live_site["url"] + "/accounts/login/code/confirm/")
    assert len(mail.outbox) == 1
    page.get_by_label("Code").fill(login_code_from_outbox(EMAIL))
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(live_site["url"] + "/me/")
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
