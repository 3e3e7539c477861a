"""Joining the stakeholder group from a QR code on a phone, and getting it wrong first on a
desktop: the form, the email, the confirmation and the member's own page. axe checks every
page."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, screenshot
from tests.browser.joining import (
    HEALTH_STATEMENT,
    INTEREST,
    JOIN_STATEMENT,
    PATIENT,
    PUBLIC,
    confirmation_link,
    expect_page,
    expect_url,
)


def test_qr_code_journey_on_a_phone(phone_page, live_site, campaign):
    from engagement.models import Channel, Member

    page = phone_page
    page.goto(live_site["url"] + "/join/cart-day/")
    expect_page(page, "Join the stakeholder group")
    expect(page).to_have_title("Join the stakeholder group – PPIE Hub")
    screenshot(page, "join-page")

    page.get_by_label("Name to use").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("radio", name=PATIENT).check()
    page.get_by_role("checkbox", name=INTEREST).check()
    page.get_by_role("checkbox", name=re.compile(JOIN_STATEMENT)).check()
    page.get_by_role("checkbox", name=re.compile(HEALTH_STATEMENT)).check()
    page.get_by_role("button", name="Join").click()

    expect_url(page, live_site["url"] + "/join/cart-day/thanks/")
    expect_page(page, "Check your email")
    screenshot(page, "join-thanks")
    member = Member.objects.get(user__email="sam@example.org")
    assert member.status == Member.Status.PENDING
    assert (member.channel, member.campaign) == (Channel.QR, campaign)

    page.goto(confirmation_link("sam@example.org"))
    expect_page(page, "Confirm your email address")
    page.get_by_role("button", name="Confirm").click()

    expect_url(page, live_site["url"] + "/me/")
    expect_page(page, "Hello Sam")
    consents = page.get_by_role("region", name="What you have agreed to")
    expect(consents.get_by_role("listitem")).to_have_count(2)
    expect(consents).to_contain_text(JOIN_STATEMENT)
    expect(consents).to_contain_text(HEALTH_STATEMENT)
    expect(consents.get_by_role("listitem").first).to_contain_text("(version 1, ")
    expect(consents.get_by_role("listitem").last).to_contain_text("(version 1, ")
    details = page.get_by_role("region", name="Your details")
    expect(details).to_contain_text(PATIENT)
    expect(details).to_contain_text(INTEREST)
    expect(details).to_contain_text("(CAR-T day)")
    screenshot(page, "join-me")

    campaign.refresh_from_db()
    assert campaign.signup_count == 1
    assert campaign.visit_count >= 1
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    assert member.confirmed_at is not None
    assert member.campaign == campaign


def test_mistakes_are_shown_at_the_top_and_next_to_each_field(page, live_site, campaign):
    from engagement.models import Member

    page.goto(live_site["url"] + "/join/cart-day/")
    expect_page(page, "Join the stakeholder group")
    screenshot(page, "join-page")

    page.get_by_label("Name to use").fill("Alex")
    page.get_by_label("Email address").fill("alex.example.org")
    page.get_by_role("radio", name=PUBLIC).check()
    page.get_by_role("button", name="Join").click()

    # The page comes back with the errors: in the title, in a summary at the top, and by
    # each field; everything typed and chosen is still there.
    expect(page).to_have_title("Error: Join the stakeholder group – PPIE Hub")
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter an email address like name@example.com",
            "You need to agree to this to join the group",
        ]
    )
    first_in_form = page.locator("form.join-form > :not([type=hidden])").first
    expect(first_in_form).to_have_class(re.compile(r"\berror-summary\b"))
    summary_top = summary.bounding_box()["y"]
    assert summary_top < page.get_by_label("Name to use").bounding_box()["y"]

    email = page.get_by_label("Email address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(
        re.compile(r"Error: Enter an email address like name@example\.com")
    )
    email_group = page.locator(".form-group", has=email)
    expect(email_group).to_have_class(re.compile(r"\bform-group--error\b"))
    expect(email_group.locator(".error-message")).to_have_text(
        "Error: Enter an email address like name@example.com"
    )
    join = page.get_by_role("checkbox", name=re.compile(JOIN_STATEMENT))
    expect(join).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".form-group", has=join).locator(".error-message")).to_have_text(
        "Error: You need to agree to this to join the group"
    )
    expect(page.locator(".error-message")).to_have_count(2)
    expect(page.get_by_label("Name to use")).to_have_value("Alex")
    expect(email).to_have_value("alex.example.org")
    expect(page.get_by_role("radio", name=PUBLIC)).to_be_checked()
    assert_accessible(page)
    screenshot(page, "join-errors")

    # The summary's links take you to the field.
    summary.get_by_role("link", name="Enter an email address like name@example.com").click()
    expect(email).to_be_focused()

    email.fill("alex@example.org")
    join.check()
    page.get_by_role("button", name="Join").click()
    expect_url(page, live_site["url"] + "/join/cart-day/thanks/")
    expect_page(page, "Check your email")
    member = Member.objects.get(user__email="alex@example.org")
    assert member.display_name == "Alex"
    assert member.status == Member.Status.PENDING


def test_touch_targets_and_text_size_on_a_phone(phone_page, live_site, campaign):
    page = phone_page
    page.goto(live_site["url"] + "/join/cart-day/")
    expect_page(page, "Join the stakeholder group")

    sizes = page.evaluate(
        """() => {
          const box = el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
          const rows = [...document.querySelectorAll(
            "form.join-form .choices li, form.join-form .checkbox-row")];
          return {
            rows: rows.map(row => ({
              text: row.innerText.trim().slice(0, 40),
              row: box(row),
              input: box(row.querySelector("input")),
              label: box(row.querySelector("label")),
            })),
            button: box(document.querySelector("form.join-form button[type=submit]")),
            body: parseFloat(getComputedStyle(document.body).fontSize),
            smallest: Math.min(...[...document.querySelectorAll(
              "main p, main label, main legend, main li, main .hint, main button, main input"
            )].filter(el => el.offsetParent !== null && el.innerText !== "")
             .map(el => parseFloat(getComputedStyle(el).fontSize))),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          };
        }"""
    )
    # 8 roles + 5 interests + 3 contact preferences + 3 consents
    assert len(sizes["rows"]) == 19, sizes["rows"]
    for row in sizes["rows"]:
        for part in ("row", "input", "label"):
            width, height = row[part]
            assert width >= 24 and height >= 24, f"{part} of “{row['text']}” is {width}×{height}"
    width, height = sizes["button"]
    assert width >= 24 and height >= 24, f"Join button is {width}×{height}"
    assert height >= 44, "the Join button should be easy to press"
    assert sizes["body"] >= 19
    assert sizes["smallest"] >= 19, "no smaller print in the join form"
    assert sizes["scrollWidth"] <= sizes["innerWidth"], "the page scrolls sideways on a phone"

    # A tap anywhere along a row, even well to the right of its words, ticks its box.
    row = page.locator("form.join-form .choices li", has_text=INTEREST)
    row.scroll_into_view_if_needed()
    box = row.bounding_box()  # in the viewport's coordinates, as the touchscreen wants
    page.touchscreen.tap(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    expect(page.get_by_role("checkbox", name=INTEREST)).to_be_checked()


def test_a_signed_in_manager_joins_from_their_page_on_a_phone(phone_page, live_site, campaign):
    from engagement.models import Member
    from tests.browser.feedback_support import manager_user, sign_in

    page = phone_page
    manager = manager_user()
    sign_in(page.context, manager, live_site["url"])
    page.goto(live_site["url"] + "/me/")
    expect(page.get_by_text("you are not a member of the stakeholder group")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Join the stakeholder group").click()
    expect_page(page, "Join the stakeholder group")
    email = page.get_by_label("Email address")
    expect(email).to_have_value("manager@example.org")
    expect(email).to_be_disabled()
    expect(page.get_by_text("you join straight away")).to_be_visible()
    screenshot(page, "join-signed-in")
    page.get_by_label("Name to use").fill("Mo")
    page.get_by_role("radio", name=PUBLIC).check()
    page.get_by_role("checkbox", name=re.compile(JOIN_STATEMENT)).check()
    page.get_by_role("button", name="Join").click()

    expect_url(page, live_site["url"] + "/me/")
    expect_page(page, "Hello Mo")
    expect(page.get_by_text("Welcome to the stakeholder group.")).to_be_visible()
    member = Member.objects.get(user=manager)
    assert member.status == Member.Status.ACTIVE
