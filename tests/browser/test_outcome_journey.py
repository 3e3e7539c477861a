"""Closing the loop in Chromium: a PPIE manager publishes a "you said, we did" page from the
Wagtail page editor, with two changes linked to the features people voted for; the member who
took part gets an email and finds it on their page; a member who did not take part gets nothing.

One test writes the page in code as a draft and publishes it with the editor's "Publish" button;
the last one adds the changes in the page editor itself ("Add change"), which needs the admin's
Content Security Policy to allow Wagtail's inline scripts (config/middleware.py).

axe runs on every public page visited (the outcome page, its index, /me/). It does not run on the
Wagtail admin's pages: their issues are Wagtail's own, not ours to assert on."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import new_page as new_page_in
from tests.browser.helpers import screenshot, touch_context
from tests.browser.outcomes_support import (
    BYSTANDER_EMAIL,
    CONSULTATION_TITLE,
    PARTICIPANT_EMAIL,
    check_public_page,
    set_up_consultation,
    sign_in,
)

TITLE = "What the app will do first"
SUMMARY = "You told us the symptom diary matters most. It is now on the home screen."
CHANGES = [
    ("The symptom diary is on the home screen", "Symptom diary"),
    ("A button to call your care team on every screen", "Contact my care team"),
]
OUTCOMES_HEADING = "What changed because of you"
# Wagtail's page editor is heavy (many scripts and styles): on a busy machine loading it, or
# publishing from it, takes longer than the public pages' fail-fast timeout.
ADMIN_TIMEOUT_MS = 30_000


@pytest.fixture
def loop(live_site):
    return set_up_consultation(live_site)


@pytest.fixture
def draft(live_site, loop):
    """The outcome page as a draft, with its two changes, each linked to a feature."""
    from tests.factories.outcomes import outcome_page

    features = {f.title: f for f in loop["features"]}
    return outcome_page(
        loop["index"],
        loop["consultation"],
        title=TITLE,
        slug="what-the-app-will-do-first",
        summary=SUMMARY,
        publish=False,
        changes=[
            {
                "title": title,
                "features": [features[feature]],
                "app_version": live_site["prototype"] if number == 0 else None,
            }
            for number, (title, feature) in enumerate(CHANGES)
        ],
    )


@pytest.fixture
def new_page(browser, browser_context_args):
    """Another person's browser: a separate context, with its own cookies."""
    contexts = []

    def make():
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield make
    for context in contexts:
        context.close()


def publish_in_the_editor(page, base_url: str, outcome, *, message: str) -> None:
    page.goto(f"{base_url}/admin/pages/{outcome.pk}/edit/", timeout=ADMIN_TIMEOUT_MS)
    click_publish(page, message)


def click_publish(page, message: str) -> None:
    """The editor's "Publish" button, in the footer's "More actions" menu."""
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(message, timeout=ADMIN_TIMEOUT_MS)


def test_a_manager_publishes_an_outcome_and_the_participant_hears_about_it(
    page, new_page, live_site, loop, draft
):
    from feedback.outcomes.models import OutcomeNotice, OutcomePage

    base = live_site["url"]
    sign_in(page.context, loop["manager"], base)
    mail.outbox.clear()

    page.goto(f"{base}/admin/pages/{draft.pk}/edit/", timeout=ADMIN_TIMEOUT_MS)
    # The editor shows the two changes with the feature each came from.
    for number, (title, feature) in enumerate(CHANGES):
        expect(page.locator(f"#id_changes-{number}-title")).to_have_value(title)
        change = page.locator(f"#inline_child_changes-{number}")
        expect(change.get_by_label(feature, exact=True)).to_be_checked()
    screenshot(page, "outcome-editor")
    click_publish(page, f"Page '{TITLE}' has been published.")

    outcome = OutcomePage.objects.get(pk=draft.pk)
    assert outcome.live
    changes = list(outcome.changes.order_by("sort_order"))
    assert [c.title for c in changes] == [title for title, _ in CHANGES]
    assert [[f.title for f in c.features.all()] for c in changes] == [[f] for _, f in CHANGES]
    # The email: to the member who voted, once; nothing to the member who did not.
    assert [m.to for m in mail.outbox] == [[PARTICIPANT_EMAIL]]
    email = mail.outbox[0]
    assert f"You said, we did: {CONSULTATION_TITLE}" in email.subject
    assert email.body.startswith("Hello Vera,")
    assert SUMMARY in email.body
    assert re.search(r"https?://\S+" + re.escape(outcome.url), email.body), email.body
    assert not any(BYSTANDER_EMAIL in m.to for m in mail.outbox)
    assert list(OutcomeNotice.objects.values_list("member__display_name", flat=True)) == ["Vera"]

    # The participant: their page lists it, and the link opens it with both changes.
    vera = new_page()
    sign_in(vera.context, loop["vera"].user, base)
    vera.goto(base + "/me/")
    outcomes = vera.locator("section", has=vera.get_by_role("heading", name=OUTCOMES_HEADING))
    expect(outcomes.get_by_role("link")).to_have_text([TITLE])
    check_public_page(vera)
    screenshot(vera, "me-with-outcome")
    outcomes.get_by_role("link", name=TITLE).click()
    expect(vera).to_have_url(base + outcome.url)
    expect(vera.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(vera.get_by_role("heading", level=3)).to_have_text([title for title, _ in CHANGES])
    expect(vera.get_by_text("your votes on “Symptom diary”")).to_be_visible()
    expect(vera.get_by_text("your votes on “Contact my care team”")).to_be_visible()
    expect(vera.get_by_role("link", name="PRO-CAR-T app v0.3")).to_be_visible()
    expect(vera.get_by_text("1 person voted on the app's features.")).to_be_visible()
    assert "Vera" not in vera.locator("main").inner_text()
    check_public_page(vera)
    screenshot(vera, "outcome-page")

    # It is listed under "You said, we did".
    vera.get_by_role("link", name="All outcomes").click()
    expect(vera.get_by_role("heading", level=1)).to_have_text("You said, we did")
    expect(vera.get_by_role("link", name=TITLE)).to_be_visible()
    check_public_page(vera)

    # The member who did not take part: no email (above), nothing on their page.
    nadia = new_page()
    sign_in(nadia.context, loop["nadia"].user, base)
    nadia.goto(base + "/me/")
    expect(nadia.get_by_role("heading", level=1)).to_have_text("Hello Nadia")
    expect(nadia.get_by_role("heading", name=OUTCOMES_HEADING)).to_have_count(0)
    check_public_page(nadia)


def test_publishing_again_sends_no_second_email(page, live_site, loop, draft):
    from feedback.outcomes.models import OutcomePage

    base = live_site["url"]
    sign_in(page.context, loop["manager"], base)
    mail.outbox.clear()
    publish_in_the_editor(page, base, draft, message=f"Page '{TITLE}' has been published.")
    assert len(mail.outbox) == 1

    page.goto(f"{base}/admin/pages/{draft.pk}/edit/", timeout=ADMIN_TIMEOUT_MS)
    page.locator("#id_summary").fill(SUMMARY + " We also made the text bigger.")
    click_publish(page, f"Page '{TITLE}' has been published.")

    assert len(mail.outbox) == 1
    assert OutcomePage.objects.get(pk=draft.pk).summary.endswith("We also made the text bigger.")


def test_the_manager_adds_the_changes_in_the_page_editor(page, live_site, loop):
    base = live_site["url"]
    sign_in(page.context, loop["manager"], base)
    page.goto(f"{base}/admin/pages/{loop['index'].pk}/add_subpage/", timeout=ADMIN_TIMEOUT_MS)
    # The index allows one page type only, so Wagtail goes straight to its form.
    expect(page).to_have_url(re.compile(r"/admin/pages/add/feedback/outcomepage/\d+/$"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_consultation").select_option(label=CONSULTATION_TITLE)
    page.locator("#id_summary").fill(SUMMARY)

    page.locator("#id_changes-ADD").click()

    expect(page.locator("#inline_child_changes-0")).to_be_visible(timeout=3000)


@pytest.mark.parametrize("width", [320, 390])
def test_the_outcome_page_reads_on_a_small_phone(
    browser, browser_context_args, live_site, loop, width
):
    """What members see of the prototype's results on a 320–390 px phone: plain sentences (the
    score, its likely range, Sauro's average across about 500 studies of many kinds of products,
    the nearest word of Bangor, Kortum and Miller's scale), no sideways scrolling, text of 12 px
    or more, and axe finds nothing."""
    from tests.factories.feedback import bulk_prototype_reviews
    from tests.factories.outcomes import outcome_page

    bulk_prototype_reviews(
        live_site["prototype"],
        6,
        scores=[[5, 1] * 5, [4, 2] * 5],
        consultation=loop["consultation"],
    )  # 100, 75, 100, 75, 100, 75: a mean of 87.5, "excellent" (85.5) is nearest
    page_ = outcome_page(loop["index"], loop["consultation"], title=TITLE, summary=SUMMARY)
    context = touch_context(browser, browser_context_args, {"width": width, "height": 700})
    page = new_page_in(context)

    page.goto(live_site["url"] + page_.url)

    heard = page.locator("section", has=page.get_by_role("heading", name="Who took part"))
    expect(heard).to_contain_text("6 people rated how easy the app is to use")
    expect(heard).to_contain_text("Their average score was 88 out of 100")
    expect(heard).to_contain_text(
        "the average score across about 500 studies of many kinds of products is 68 (Sauro 2011)"
    )
    expect(heard).to_contain_text("called a product “excellent” gave it 85.5 on average")
    expect(heard).not_to_contain_text("confidence interval")
    expect(heard).not_to_contain_text("average for apps")
    sizes = page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            smallest: Math.min(...[...document.querySelectorAll('main *')]
                .filter(el => el.offsetParent !== null
                        && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                .map(el => parseFloat(getComputedStyle(el).fontSize))),
        })"""
    )
    assert sizes["scrollWidth"] <= sizes["innerWidth"], "the page scrolls sideways"
    assert sizes["smallest"] >= 12
    check_public_page(page)
    screenshot(page, "outcome-page-sus")
    context.close()
