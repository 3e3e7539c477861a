"""/me/ on a phone offers a payment choice only where there is a payment: an activity with
none ("Answering a poll") offers expenses, not "£0.00 – Choose"."""

from decimal import Decimal

from playwright.sync_api import expect

from tests.browser.feedback_support import check_page, member, sign_in


def test_no_choice_about_a_payment_of_nothing(phone_page, live_site):
    from engagement.involvement.models import ActivityType
    from tests.factories.involvement import make_record

    page = phone_page
    person = member(display_name="Sam", role="patient")
    make_record(person, description="Design workshop")
    make_record(
        person,
        activity_type=ActivityType.POLL,
        description="Answering a poll",
        payment_offered=Decimal("0.00"),
    )
    sign_in(page.context, person.user, live_site["url"])

    page.goto(live_site["url"] + "/me/")
    check_page(page, "Hello Sam")
    table = page.get_by_role("table", name="Your involvement and payments")
    poll_row = table.get_by_role("row").filter(has_text="Answering a poll")
    expect(poll_row).to_contain_text("No payment for this")
    expect(poll_row).not_to_contain_text("£0.00")
    expect(poll_row.get_by_role("link", name="Choose")).to_have_count(0)
    expect(table.get_by_role("row").filter(has_text="Design workshop")).to_contain_text("£30.00")

    poll_row.get_by_role("link", name="Claim expenses").click()
    check_page(page, "Payment and expenses")
    expect(page.get_by_role("radio")).to_have_count(0)
    page.get_by_label("Expenses to claim back (£)").fill("3.50")
    page.get_by_role("button", name="Save expenses").click()
    expect(page.locator("#involvement-saved")).to_be_focused()
    expect(page.locator("#involvement-saved")).to_have_text("Your expenses claim is saved.")
    check_page(page)
