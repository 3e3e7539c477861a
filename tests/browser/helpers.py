"""Helpers the browser tests share."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.x A and AA rules plus best practices: axe's defaults) on the page
    once it has settled and fail with axe's readable report on any violation.

    Settled means loaded (a URL that has changed, as after a click on a link, can come before
    the new document is there: axe would check an empty page) and no CSS transition running
    (long decorative animations, such as the admin menu's pulsing badge, are left alone):
    Wagtail's admin fades its messages in over half a second, and axe measuring colour
    contrast mid-fade reports a blend of the message and the page behind it that no user is
    left looking at."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => document.getAnimations().every("
        "a => !(a instanceof CSSTransition) || a.playState !== 'running')"
    )
    results = Axe().run(page)
    if results.violations_count:
        pytest.fail(f"axe on {page.url}:\n{results.generate_report()}", pytrace=False)


def screenshot(page, name: str, *, phone_too: bool = False) -> None:
    """Save a full-page screenshot when BROWSER_SCREENSHOTS names a directory (for a person
    to look at; nothing is compared); with `phone_too`, also one at a phone's 390 px width."""
    directory = os.environ.get("BROWSER_SCREENSHOTS")
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    widths = [size] + ([{"width": 390, "height": 844}] if phone_too and size else [])
    for viewport in widths:
        page.set_viewport_size(viewport)
        path = Path(directory) / f"{name}-{viewport['width'] if viewport else 0}px.png"
        page.screenshot(path=str(path), full_page=True)
    if size:
        page.set_viewport_size(size)


def login_code_from_outbox(email: str) -> str:
    """The sign-in code in the last email sent to `email`. The live server runs in this
    process, so its locmem backend appends to the same django.core.mail.outbox."""
    from django.core import mail

    sent = [message for message in mail.outbox if email in message.to]
    assert sent, f"no email sent to {email}; outbox: {[m.to for m in mail.outbox]}"
    match = re.search(r"code to sign in[^\n]*\n\s*\n(\S+)\s*\n", sent[-1].body)
    assert match, f"no code in the email:\n{sent[-1].body}"
    return match.group(1)


def focused(page) -> dict:
    """What has keyboard focus: tag, id, text, href (relative) and whether it is on screen."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            id: el.id,
            text: (el.innerText || el.value || "").trim(),
            href: el.getAttribute("href"),
            visible: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
              && box.left < window.innerWidth && box.top < window.innerHeight,
          };
        }"""
    )


def sign_in(context, user, base_url: str) -> None:
    """Sign `user` in to this browser context: a session made by Django's login (through the
    test client), its cookie copied into the browser. A new context has no cookies at all: a
    closed and reopened browser."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])


def main_nav(page):
    """The main navigation. On a phone its links are behind the header's Menu button: opened
    first when it is closed (as a person would)."""
    menu = page.locator("details.site-menu")
    button = menu.locator("summary")
    if button.is_visible() and menu.get_attribute("open") is None:
        button.click()
    return page.get_by_role("navigation", name="Main")


def touch_context(browser, context_args: dict, viewport: dict | None = None, **options):
    """A new touch-screen context, a phone (390×844) unless another viewport is given; options
    go to Playwright (java_script_enabled=False, say)."""
    from tests.browser.conftest import PHONE

    return browser.new_context(
        **{**context_args, "viewport": viewport or PHONE},
        **{"device_scale_factor": 2, "is_mobile": True, "has_touch": True, **options},
    )


def new_page(context):
    """A page of the context that waits as long as every browser test does."""
    from tests.browser.conftest import TIMEOUT_MS

    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page
