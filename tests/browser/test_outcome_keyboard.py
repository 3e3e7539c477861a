"""A member who took part reaches the "you said, we did" page from their own page with the keyboard
alone (Tab and Enter), on a desktop and on a phone; axe checks both pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import focused, screenshot
from tests.browser.joining import expect_focus, tab
from tests.browser.outcomes_support import check_public_page, set_up_consultation, sign_in

TITLE = "What the app will do first"


@pytest.fixture
def published(live_site):
    from tests.factories.outcomes import outcome_page

    loop = set_up_consultation(live_site)
    features = {f.title: f for f in loop["features"]}
    loop["outcome"] = outcome_page(
        loop["index"],
        loop["consultation"],
        title=TITLE,
        slug="what-the-app-will-do-first",
        changes=[
            {
                "title": "The symptom diary is on the home screen",
                "features": [features["Symptom diary"]],
                "app_version": live_site["prototype"],
            },
            {
                "title": "A button to call your care team",
                "features": [features["Contact my care team"]],
            },
        ],
    )
    return loop


def test_the_member_reaches_the_outcome_from_their_page_with_the_keyboard(
    any_page, live_site, published
):
    page = any_page
    base = live_site["url"]
    sign_in(page.context, published["vera"].user, base)
    page.goto(base + "/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Vera")
    check_public_page(page)

    # Skip link first, then straight into the page's content.
    tab(page, text="Skip to main content")
    page.keyboard.press("Enter")
    expect_focus(page, id="main")
    for _ in range(10):
        page.keyboard.press("Tab")
        where = focused(page)
        assert where["visible"], f"focus went off screen: {where}"
        if where["text"] == TITLE:
            break
    else:
        pytest.fail(f"ten Tabs after the skip link and no link to “{TITLE}”: {where}")
    assert where["tag"] == "a"
    assert where["href"] == published["outcome"].url
    screenshot(page, "me-outcome-link-focused")

    page.keyboard.press("Enter")

    expect(page).to_have_url(base + published["outcome"].url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", level=3)).to_have_text(
        ["The symptom diary is on the home screen", "A button to call your care team"]
    )
    check_public_page(page)

    # The app version link is reachable from the page by keyboard too.
    tab(page, text="Skip to main content")
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "PRO-CAR-T app v0.3":
            break
    else:
        pytest.fail("no keyboard route to the app version link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + live_site["prototype"].url)
