"""Ideas, end to end on a 390 px phone: a member suggests an idea with the keyboard alone, and
again with JavaScript off; a PPIE manager, in the Wagtail admin, takes one into a consultation
as a feature and declines another (the member is emailed the reason); the member sees what
happened to each on their page. axe runs on every member page and on the review page."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.feedback_support import manager_user, member
from tests.browser.helpers import (
    assert_accessible,
    focused,
    new_page,
    screenshot,
    sign_in,
    touch_context,
)
from tests.browser.joining import expect_focus, expect_url

CONSULTATION = "Alerts in the app"
ADMIN_TIMEOUT_MS = 30_000  # Wagtail's admin pages are heavy on a busy machine


@pytest.fixture
def journey(live_site):
    from tests.factories.consultations import ConsultationFactory

    return {
        "consultation": ConsultationFactory(title=CONSULTATION, slug="alerts", features=2),
        "pat": member(display_name="Pat", user__email="pat@example.org", verified_email=True),
        "manager": manager_user(),
    }


@pytest.fixture
def phone(browser, browser_context_args):
    """Pages at 390 px, with and without JavaScript."""
    contexts = []

    def make(*, javascript=True):
        context = touch_context(browser, browser_context_args, java_script_enabled=javascript)
        contexts.append(context)
        return new_page(context)

    yield make
    for context in contexts:
        context.close()


def tab_to(page, text: str, *, limit: int = 40) -> dict:
    """Press Tab until the focus is on the element with this text (each stop on screen)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = focused(page)
        assert where["visible"], f"focus went off screen: {where}"
        if where["text"] == text:
            return where
    pytest.fail(f"{limit} Tabs and no “{text}”")


def test_a_member_suggests_an_idea_with_the_keyboard_alone(phone, live_site, journey):
    from engagement.models import Idea

    page = phone()
    base = live_site["url"]
    sign_in(page.context, journey["pat"].user, base)
    page.goto(base + "/me/")
    expect(page.get_by_role("heading", name="Your ideas")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "Suggest an idea")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest an idea")
    assert_accessible(page)

    # "Something the app could do" is chosen already; Tab into the choice, then on.
    tab_to(page, "", limit=30)  # the first radio button has no text of its own
    while focused(page)["id"] != "id_kind_0":
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect_focus(page, id="id_title")
    page.keyboard.type("A reminder to drink water")
    page.keyboard.press("Tab")
    expect_focus(page, id="id_description")
    page.keyboard.type("On tired days I forget to drink.")
    page.keyboard.press("Tab")
    expect_focus(page, id="id_consultation")
    page.keyboard.press("ArrowDown")  # from "No, ..." to the open consultation
    expect(page.locator("#id_consultation option:checked")).to_have_text(CONSULTATION)
    page.keyboard.press("Tab")
    expect_focus(page, text="Send my idea")
    screenshot(page, "idea-form-phone")
    page.keyboard.press("Enter")

    expect_url(page, base + "/me/ideas/")
    saved = page.locator("#ideas-saved")
    expect(saved).to_contain_text("Your idea is sent to the team")
    expect_focus(page, id="ideas-saved")  # the confirmation, where the member is looking
    expect(page.locator("li.idea")).to_contain_text("Waiting for the team to look at it")
    assert_accessible(page)
    screenshot(page, "my-ideas-phone")
    idea = Idea.objects.get()
    assert (idea.title, idea.consultation.title) == ("A reminder to drink water", CONSULTATION)


def test_a_member_suggests_an_idea_without_javascript(phone, live_site, journey):
    from engagement.models import Idea

    page = phone(javascript=False)
    base = live_site["url"]
    sign_in(page.context, journey["pat"].user, base)
    page.goto(base + "/me/ideas/new/")

    # A title of only markup: a message next to the field, the other words kept.
    page.get_by_label("A topic to ask the group about").check()
    page.get_by_label("Your idea in a few words").fill("<b></b>")
    page.get_by_label("Tell us a bit more").fill("How others manage fatigue at work.")
    page.get_by_role("button", name="Send my idea").click()
    expect(page.locator("#id_title-error")).to_contain_text("Give your idea a short title")
    expect(page.get_by_label("Tell us a bit more")).to_have_value(
        "How others manage fatigue at work."
    )
    expect(page.get_by_label("A topic to ask the group about")).to_be_checked()

    page.get_by_label("Your idea in a few words").fill("Going back to work")
    page.get_by_role("button", name="Send my idea").click()
    expect(page.locator("#ideas-saved")).to_contain_text("Your idea is sent to the team")
    assert Idea.objects.get().kind == "topic"


def test_the_manager_takes_one_idea_in_and_declines_another_and_the_member_sees_both(
    page, phone, live_site, journey, django_capture_on_commit_callbacks
):
    from engagement.models import Feature
    from tests.factories.ideas import IdeaFactory

    base = live_site["url"]
    pat = journey["pat"]
    water = IdeaFactory(member=pat, title="A reminder to drink water")
    games = IdeaFactory(member=pat, title="Games in the app", description="To pass the time.")
    mail.outbox.clear()

    page.set_default_timeout(ADMIN_TIMEOUT_MS)
    sign_in(page.context, journey["manager"], base)
    page.goto(base + "/admin/ideas/", timeout=ADMIN_TIMEOUT_MS)
    page.locator("td.title .title-wrapper").get_by_role("link", name=water.title).click()
    expect(page).to_have_url(f"{base}/admin/ideas/inspect/{water.pk}/")
    assert_accessible(page)  # the review page is the project's own
    accept = page.locator("section", has=page.get_by_role("heading", name="Take it into"))
    accept.get_by_label("Consultation").select_option(label=CONSULTATION)
    accept.get_by_label("Feature title").fill("Remind me to drink water")
    screenshot(page, "idea-review-admin")
    accept.get_by_role("button", name="Add it as a feature").click()
    expect(page.locator(".messages")).to_contain_text(
        "is now the feature “Remind me to drink water” in “Alerts in the app”"
    )
    feature = Feature.objects.get(idea=water)
    assert feature.consultation == journey["consultation"]

    page.goto(f"{base}/admin/ideas/inspect/{games.pk}/", timeout=ADMIN_TIMEOUT_MS)
    decline = page.locator("section", has=page.get_by_role("heading", name="Decline it"))
    decline.get_by_role("button", name="Decline and send the reason").click()
    expect(page.locator(".w-field--error .w-field__errors")).to_contain_text(
        "Say why, in a few words"
    )
    decline = page.locator("section", has=page.get_by_role("heading", name="Decline it"))
    decline.get_by_label("Why it is not taken forward").fill(
        "The app is for your health and care, so games are not part of it."
    )
    decline.get_by_role("button", name="Decline and send the reason").click()
    expect(page.locator(".messages")).to_contain_text("is declined, and Pat is emailed the reason")

    # The emails: taken forward, and declined with the reason (the live server commits).
    to_pat = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert [m.subject for m in to_pat] == [
        "PPIE Hub: Your idea is taken forward",
        "PPIE Hub: About your idea",
    ]
    assert "games are not part of it" in to_pat[1].body

    member_page = phone()
    sign_in(member_page.context, pat.user, base)
    member_page.goto(base + "/me/")
    heading = member_page.get_by_role("heading", name="Your ideas")
    ideas = member_page.locator("section", has=heading)
    taken = ideas.locator("li.idea", has_text="A reminder to drink water")
    expect(taken).to_contain_text("Taken forward")
    expect(taken).to_contain_text("It is now the feature “Remind me to drink water” in")
    expect(taken.get_by_role("link", name=CONSULTATION)).to_have_attribute(
        "href", "/consultations/alerts/"
    )
    declined = ideas.locator("li.idea", has_text="Games in the app")
    expect(declined).to_contain_text("Not taken forward")
    expect(declined).to_contain_text("Why: The app is for your health and care")
    assert_accessible(member_page)
    screenshot(member_page, "me-ideas-phone")
