"""What a low-vision or keyboard user notices first: the skip link, a visible focus,
text big enough to read and targets big enough to tap."""

from playwright.sync_api import expect

from tests.browser.conftest import FOCUS_YELLOW
from tests.browser.helpers import focused

LIVE_SITE_ONCE = True  # its tests only read: one site for the module (tests/browser/conftest.py)

MIN_TEXT_PX = 19  # 1.1875rem, the body size in static/css/site.css
MIN_TARGET_PX = 24  # WCAG 2.2 AA, 2.5.8 Target Size (Minimum)


def _style(locator, prop: str) -> str:
    return locator.evaluate("(el, prop) => getComputedStyle(el)[prop]", prop)


def test_skip_link_appears_on_focus_and_moves_focus_to_the_content(page, live_site):
    page.goto(live_site["url"] + "/news/stand/")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).not_to_be_in_viewport()  # out of sight until a keyboard user needs it

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    expect(skip).to_be_in_viewport()
    assert _style(skip, "backgroundColor") == FOCUS_YELLOW

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    expect(page).to_have_url(live_site["url"] + "/news/stand/#main")
    # The next Tab goes to the first link in the content, past the header's links.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "All news"


def test_focus_is_visible_on_links_buttons_and_fields(page, live_site):
    page.goto(live_site["url"] + "/")
    for locator in [
        page.get_by_role("navigation", name="Main").get_by_role("link", name="News"),
        page.get_by_role("link", name="See the screens of PRO-CAR-T app"),
        page.get_by_role("link", name="Join the stakeholder group").first,
    ]:
        before = _style(locator, "backgroundColor")
        locator.focus()
        assert _style(locator, "backgroundColor") == FOCUS_YELLOW, locator
        assert before != FOCUS_YELLOW
        # Dark text on the yellow: contrast 13.6:1.
        assert _style(locator, "color") == "rgb(33, 43, 50)"

    page.goto(live_site["url"] + "/accounts/login/")
    email = page.get_by_label("Email address")
    email.focus()
    assert _style(email, "outlineColor") == FOCUS_YELLOW
    assert _style(email, "outlineWidth") == "4px"
    button = page.get_by_role("button", name="Email me a sign-in code")
    button.focus()
    assert _style(button, "backgroundColor") == FOCUS_YELLOW


PAGES = ["/", "/prototypes/pro-car-t-app/", "/news/stand/", "/accounts/login/"]


def test_body_text_is_at_least_19px(page, live_site):
    for path in PAGES:
        page.goto(live_site["url"] + path)
        assert float(_style(page.locator("body"), "fontSize")[:-2]) >= MIN_TEXT_PX
        sizes = page.locator(
            "main p:not(.card__meta), main label, main input:not([type=hidden], [type=checkbox])"
        ).evaluate_all(
            "els => els.map(el => [el.textContent.trim().slice(0, 40) || el.outerHTML.slice(0, 60),"
            " parseFloat(getComputedStyle(el).fontSize)])"
        )
        assert sizes, path
        small = [(text, size) for text, size in sizes if size < MIN_TEXT_PX]
        assert not small, f"text smaller than {MIN_TEXT_PX}px on {path}: {small}"


def test_touch_targets_are_at_least_24px_on_a_phone(phone_page, live_site):
    page = phone_page
    for path in PAGES:
        page.goto(live_site["url"] + path)
        targets = page.locator(
            "nav a, .site-header__brand, .skip-link, button, .button, summary, input, "
            ".site-footer a, .pagination a"
        )
        boxes = targets.evaluate_all(
            """els => els.filter(el => el.getClientRects().length || el.matches('.skip-link'))
                 .map(el => {
                   if (el.matches('.skip-link')) el.focus();  // only on screen when focused
                   const box = el.getBoundingClientRect();
                   if (el.matches('.skip-link')) el.blur();
                   return [el.outerHTML.slice(0, 80), box.width, box.height];
                 })"""
        )
        assert len(boxes) >= 6, (path, boxes)  # the header's links and more
        small = [(html, w, h) for html, w, h in boxes if w < MIN_TARGET_PX or h < MIN_TARGET_PX]
        assert not small, f"targets under {MIN_TARGET_PX}×{MIN_TARGET_PX}px on {path}: {small}"
