"""Joining with the keyboard only: Tab, Shift+Tab, arrow keys in radio groups, Space to tick,
Enter to press, and typing. No clicks and no fill(). axe checks every page."""

from playwright.sync_api import expect

from tests.browser.conftest import FOCUS_YELLOW
from tests.browser.helpers import screenshot
from tests.browser.joining import (
    confirmation_link,
    expect_empty_join_form,
    expect_focus,
    expect_page,
    expect_url,
    is_checked,
    tab,
    viewport_screenshot,
)


def _skip_to_content(page) -> None:
    """The first Tab reaches the skip link; Enter on it moves focus to the main content."""
    tab(page, text="Skip to main content")
    page.keyboard.press("Enter")
    expect_focus(page, id="main")


def _focus_is_yellow(page) -> None:
    """The focused control shows the yellow focus indicator (outline or background)."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineColor, s.outlineStyle, s.backgroundColor]; }"""
    )
    outline_color, outline_style, background = style
    assert (outline_style != "none" and outline_color == FOCUS_YELLOW) or (
        background == FOCUS_YELLOW
    ), f"no visible focus indicator: {style}"


def _join_with_keyboard(page, *, name: str, email: str, patient: bool, shot: str = "") -> None:
    """From the top of a join (or kiosk) page, fill in the form with keys and press Join."""
    _skip_to_content(page)
    tab(page, id="id_display_name")
    _focus_is_yellow(page)
    page.keyboard.type(name)
    tab(page, id="id_email")
    page.keyboard.type(email)

    # "Which describes you best?": one Tab stop; the arrow keys move between the choices and
    # choose as they go.
    tab(page, id="id_role_0")
    assert not is_checked(page, "id_role_0")
    page.keyboard.press("ArrowDown")
    expect_focus(page, id="id_role_1")
    page.keyboard.press("ArrowDown")
    expect_focus(page, id="id_role_2")  # Member of the public
    assert is_checked(page, "id_role_2")
    if patient:
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        expect_focus(page, id="id_role_0")
        assert is_checked(page, "id_role_0")
        assert not is_checked(page, "id_role_2")

    # Interests: each tick box is a Tab stop; Space ticks.
    tab(page, id="id_interests_0")
    _focus_is_yellow(page)
    page.keyboard.press("Space")
    assert is_checked(page, "id_interests_0")
    if shot:
        viewport_screenshot(page, f"{shot}-focus-checkbox")
    for index in range(1, 5):
        tab(page, id=f"id_interests_{index}")
    tab(page, id="id_access_needs")
    tab(page, id="id_interests_4", shift=True)  # Shift+Tab goes back
    tab(page, id="id_access_needs")

    # Contact preference: Tab lands on the chosen radio (Email); arrows change it and back.
    tab(page, id="id_contact_preference_0")
    page.keyboard.press("ArrowDown")
    expect_focus(page, id="id_contact_preference_1")
    assert is_checked(page, "id_contact_preference_1")
    page.keyboard.press("ArrowUp")
    expect_focus(page, id="id_contact_preference_0")
    assert is_checked(page, "id_contact_preference_0")

    tab(page, id="id_phone")
    tab(page, id="id_consent_join")
    page.keyboard.press("Space")
    assert is_checked(page, "id_consent_join")
    tab(page, id="id_consent_health_role")
    if patient:
        page.keyboard.press("Space")
        assert is_checked(page, "id_consent_health_role")
    tab(page, id="id_consent_quote")
    # The hidden bot trap is skipped: the next stop is the Join button.
    where = tab(page, text="Join")
    assert where["tag"] == "button"
    _focus_is_yellow(page)
    if shot:
        viewport_screenshot(page, f"{shot}-focus-join")
    page.keyboard.press("Enter")


def test_qr_code_journey_with_the_keyboard_only(page, live_site, campaign):
    from engagement.models import Member

    page.goto(live_site["url"] + "/join/cart-day/")
    expect_page(page, "Join the stakeholder group")
    _join_with_keyboard(
        page, name="Kit", email="kit@example.org", patient=True, shot="join-keyboard"
    )

    expect_url(page, live_site["url"] + "/join/cart-day/thanks/")
    expect_page(page, "Check your email")

    page.goto(confirmation_link("kit@example.org"))  # opened from the email
    expect_page(page, "Confirm your email address")
    expect(
        page.get_by_text("Press the button to confirm that kit@example.org is your email")
    ).to_be_visible()
    _skip_to_content(page)
    where = tab(page, text="Confirm")
    assert where["tag"] == "button"
    page.keyboard.press("Enter")

    expect_url(page, live_site["url"] + "/me/")
    expect_page(page, "Hello Kit")
    expect(page.get_by_role("region", name="What you have agreed to")).to_contain_text("version 1")
    member = Member.objects.get(user__email="kit@example.org")
    assert member.status == Member.Status.ACTIVE
    assert member.role == "patient"
    assert [i.name for i in member.interests.all()] == ["Trying app designs"]


def test_kiosk_journey_with_the_keyboard_only(tablet, live_site, campaign):
    from engagement.models import Channel, Member

    page = tablet
    form_url = live_site["url"] + "/join/cart-day/kiosk/"
    page.goto(form_url)
    expect_page(page, "Join the stakeholder group")
    _join_with_keyboard(page, name="Pat", email="pat@example.org", patient=False)

    expect_url(page, form_url + "thanks/")
    expect_page(page, "Thank you")
    # The page opens at #main (the skip link's fragment survives the redirect after Join), so
    # the first Tab goes into the content: to "Next person", the only link on a kiosk page.
    tab(page, text="Next person")
    tab(page, text="Skip to main content", shift=True)
    tab(page, text="Next person")
    page.keyboard.press("Enter")

    expect_url(page, form_url)
    expect_page(page, "Join the stakeholder group")
    expect_empty_join_form(page)
    _join_with_keyboard(page, name="Robin", email="robin@example.org", patient=True)
    expect_url(page, form_url + "thanks/")
    expect_page(page, "Thank you")
    screenshot(page, "join-kiosk-thanks-keyboard")

    members = Member.objects.order_by("display_name")
    assert [(m.display_name, m.role, m.channel, m.status) for m in members] == [
        ("Pat", "public", Channel.KIOSK, Member.Status.PENDING),
        ("Robin", "patient", Channel.KIOSK, Member.Status.PENDING),
    ]
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}
