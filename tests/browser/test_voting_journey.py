"""A member votes with each method on a phone, changes their vote, and sees the results once
the consultation has closed; axe runs on every page. Also the support vote keyboard-only."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import Consultation, Feature, Vote
from tests.browser.feedback_support import check_page, member, sign_in

FEATURES = ["Symptom diary", "Medication reminders", "Contact my care team", "Wellbeing check-ins"]


def _consultation(method):
    now = timezone.now()
    consultation = Consultation.objects.create(
        title="Which features matter?",
        slug=f"features-{method}",
        summary="Tell us what matters most.",
        opens_at=now - datetime.timedelta(days=1),
        released_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        voting_method=method,
        points_budget=2 if method == Consultation.Method.POINTS else None,
        results_visibility=Consultation.Visibility.AFTER_CLOSE,
    )
    for order, title in enumerate(FEATURES):
        Feature.objects.create(consultation=consultation, title=title, sort_order=order)
    return consultation


def _feature_item(page, title):
    return page.locator("li.feature").filter(has=page.get_by_role("heading", name=title))


@pytest.mark.parametrize("method", ["support", "points", "delphi"])
def test_member_votes_changes_and_sees_results_after_close(phone_page, live_site, method):
    page, base = phone_page, live_site["url"]
    consultation = _consultation(method)
    voter = member(display_name="Sam", role="patient")
    sign_in(page.context, voter.user, base)

    page.goto(f"{base}/consultations/{consultation.slug}/")
    check_page(page, "Which features matter?")
    diary, reminders = _feature_item(page, FEATURES[0]), _feature_item(page, FEATURES[1])
    if method == "support":
        diary.get_by_label("I support this").check()
    elif method == "points":
        diary.get_by_label("Points for this feature").fill("2")
    else:
        diary.get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Save my votes").click()
    expect(page.get_by_text("Your votes are saved")).to_be_visible()
    check_page(page)

    # Change of mind: the vote moves to another feature.
    diary, reminders = _feature_item(page, FEATURES[0]), _feature_item(page, FEATURES[1])
    if method == "support":
        diary.get_by_label("I support this").uncheck()
        reminders.get_by_label("I support this").check()
    elif method == "points":
        diary.get_by_label("Points for this feature").fill("")
        reminders.get_by_label("Points for this feature").fill("2")
    else:
        reminders.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Save my votes").click()
    expect(page.get_by_text("Your votes are saved")).to_be_visible()
    votes = dict(Vote.objects.filter(member=voter).values_list("feature__title", "value"))
    expected = {
        "support": {FEATURES[1]: 1},
        "points": {FEATURES[1]: 2},
        "delphi": {FEATURES[0]: 8, FEATURES[1]: 3},
    }[method]
    assert votes == expected

    # Results are hidden while voting is open, shown after it closes.
    page.goto(f"{base}/consultations/{consultation.slug}/results/")
    expect(page.get_by_text("Results will be shown here after")).to_be_visible()
    check_page(page)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.goto(f"{base}/consultations/{consultation.slug}/results/")
    check_page(page, "Results: Which features matter?")
    expect(page.locator("figure.bar-chart")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=FEATURES[1]).first).to_be_visible()
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # After close a vote is refused with a clear message, and nothing changes.
    page.goto(f"{base}/consultations/{consultation.slug}/")
    expect(page.get_by_text("so answers can no longer be changed")).to_be_visible()
    check_page(page)
    assert (
        dict(Vote.objects.filter(member=voter).values_list("feature__title", "value")) == expected
    )


def test_support_vote_keyboard_only(page, live_site):
    base = live_site["url"]
    consultation = _consultation("support")
    voter = member(display_name="Kim", role="carer")
    sign_in(page.context, voter.user, base)
    page.goto(f"{base}/consultations/{consultation.slug}/")
    check_page(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.id")
            == f"id_feature-{consultation.features.get(title=FEATURES[2]).pk}"
        ):
            break
    else:
        pytest.fail("Tab never reached the third feature's checkbox")
    page.keyboard.press("Space")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Save my votes":
            break
    else:
        pytest.fail("Tab never reached the Save button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your votes are saved")).to_be_visible()
    check_page(page)
    assert list(Vote.objects.filter(member=voter).values_list("feature__title", flat=True)) == [
        FEATURES[2]
    ]
