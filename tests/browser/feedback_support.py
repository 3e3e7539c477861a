"""What the feedback browser tests (tests/browser/test_feedback_*.py) share: signing a person in
(tests.browser.helpers.sign_in, re-exported), phone contexts that can be closed and reopened, the
managers' group (the live server's database is flushed after each test, taking the group the
migrations created), and the data a journey starts from."""

from __future__ import annotations

from tests.browser.helpers import (  # noqa: F401  (re-exported)
    assert_accessible,
    new_page,
    sign_in,
    touch_context,
)


def phone_context(browser, context_args: dict):
    """A new phone-sized context, for journeys that close the browser half way and come back."""
    return touch_context(browser, context_args, device_scale_factor=3)


def managers_group():
    """The "PPIE managers" group, as cms.roles declares it (the live_site fixture applies the
    roles after each flush)."""
    from django.contrib.auth.models import Group

    from cms.roles import MANAGERS_GROUP

    return Group.objects.get(name=MANAGERS_GROUP)


def manager_user():
    from tests.factories.membership import ManagerFactory

    managers_group()
    return ManagerFactory(email="manager@example.org", first_name="Mo")


def member(**kwargs):
    """An active member (no consent records: the consent texts went with the flush)."""
    from tests.factories.membership import MemberFactory

    return MemberFactory(consents=[], **kwargs)


def check_page(page, heading: str | None = None) -> None:
    """The page has this <h1> (when given) and axe finds nothing."""
    from playwright.sync_api import expect

    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
