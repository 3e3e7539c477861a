"""Delphi on the smallest phones (320 px wide): a member who finished round 1 scores round 2
with their own round-1 score beside each group's scores, and a member reads the results.
Every word of a chart is at least 12 px, every table fits or scrolls in its own labelled box
with its caption whole, the page itself never scrolls sideways, members see no statistics
jargon, and axe finds nothing on any page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.consultations import services
from engagement.models import Consultation, Feature, Role, Vote
from tests.browser.feedback_support import check_page, member, sign_in
from tests.browser.helpers import new_page, screenshot, touch_context

SMALLEST_PHONE = {"width": 320, "height": 640}
FEATURES = ["Symptom diary", "Medication reminders"]


@pytest.fixture
def small_phone(browser, browser_context_args):
    context = touch_context(browser, browser_context_args, SMALLEST_PHONE)
    yield new_page(context)
    context.close()


def _delphi(**kwargs):
    now = timezone.now()
    consultation = Consultation.objects.create(
        **{
            "title": "Which features matter most?",
            "slug": "delphi-phone",
            "summary": "Score each feature from 1 to 9.",
            "opens_at": now - datetime.timedelta(days=3),
            "released_at": now - datetime.timedelta(days=3),
            "closes_at": now + datetime.timedelta(days=7),
            "voting_method": Consultation.Method.DELPHI,
            "results_visibility": Consultation.Visibility.LIVE,
            **kwargs,
        }
    )
    features = [
        Feature.objects.create(consultation=consultation, title=title, sort_order=i)
        for i, title in enumerate(FEATURES)
    ]
    return consultation, features


def _round_one(consultation, features):
    """Six patients, five members of the public and a lone carer score round 1; the carer is
    pooled with nobody on their own: members see "Other groups" for the public and carer."""
    people = (
        [member(role=Role.PATIENT) for _ in range(6)]
        + [member(role=Role.PUBLIC) for _ in range(5)]
        + [member(role=Role.CARER)]
    )
    for i, person in enumerate(people):
        services.cast_votes(
            member=person,
            consultation=consultation,
            values={features[0].pk: 7 + i % 3, features[1].pk: 1 + i % 9 if i % 5 else 0},
        )
    return people


def _text_sizes(page, selector: str) -> list[float]:
    """The font size of every element with text of its own inside `selector`."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector + ' *')]
            .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .filter(el => el.getClientRects().length)
            .map(el => parseFloat(getComputedStyle(el).fontSize))""",
        selector,
    )


def _check_fits(page) -> None:
    """No sideways scrolling of the page; each table inside a focusable, labelled region no
    wider than the screen, its caption whole on the screen; chart words at least 12 px."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => {
            const box = t.closest('[role=region]');
            const caption = t.querySelector('caption');
            const visible = caption && caption.getClientRects().length > 0;
            const c = caption ? caption.getBoundingClientRect() : null;
            const b = box ? box.getBoundingClientRect() : null;
            return {
                inBox: !!box,
                focusable: box ? box.tabIndex === 0 : false,
                label: box ? (box.getAttribute('aria-label') || (
                    document.getElementById(box.getAttribute('aria-labelledby')) || {}
                ).textContent || '') : '',
                boxRight: b ? b.right : 0,
                captionLeft: visible ? c.left : 0,
                captionRight: visible ? c.right : 0,
                captionScrollW: caption ? caption.scrollWidth : 0,
                captionClientW: caption ? caption.clientWidth : 0,
            };
        })"""
    )
    assert boxes, "no tables on the page"
    for box in boxes:
        assert box["inBox"] and box["focusable"] and box["label"].strip(), box
        assert box["boxRight"] <= width, box
        assert box["captionLeft"] >= 0 and box["captionRight"] <= width, box
        assert box["captionScrollW"] <= box["captionClientW"], box  # nothing cut off
    sizes = _text_sizes(page, ".bar-chart") + _text_sizes(page, ".dist")
    assert sizes and min(sizes) >= 12, sizes


def test_round_two_vote_on_a_320px_phone(small_phone, live_site):
    page, base = small_phone, live_site["url"]
    consultation, features = _delphi()
    people = _round_one(consultation, features)
    services.open_next_delphi_round(consultation=consultation)
    voter = people[0]  # a patient who scored 7 and 1 in round 1
    sign_in(page.context, voter.user, base)

    page.goto(f"{base}/consultations/{consultation.slug}/")
    check_page(page, "Which features matter most?")
    expect(page.get_by_text("This is round 2.")).to_be_visible()
    diary = page.locator("li.feature").filter(has=page.get_by_role("heading", name=FEATURES[0]))
    expect(diary.get_by_text("Your score then: 7.")).to_be_visible()
    # Everyone, the patients (6) and "Other groups" (the lone carer with the public): the
    # carer's scores are never shown on their own.
    titles = [t.strip() for t in diary.locator(".dist__title").all_inner_texts()]
    assert titles == [
        "Everyone",
        "Patients (6 people scored it)",
        "Other groups (6 people scored it)",
    ]
    expect(diary.get_by_text("Here Carers and Public are counted together")).to_be_visible()
    diary.get_by_text("See these numbers as a table").click()
    expect(diary.get_by_role("region", name="How many people gave each score")).to_be_visible()
    assert "Median" not in page.inner_text("main")
    _check_fits(page)
    check_page(page)
    screenshot(page, "delphi-round-two-320")

    diary.get_by_label("9", exact=True).check()
    page.locator("li.feature").filter(
        has=page.get_by_role("heading", name=FEATURES[1])
    ).get_by_label("Unable to score").check()
    page.get_by_role("button", name="Save my votes").click()
    expect(page.get_by_text("Your votes are saved")).to_be_visible()
    check_page(page)
    assert dict(
        Vote.objects.filter(member=voter, round=2).values_list("feature__title", "value")
    ) == {FEATURES[0]: 9, FEATURES[1]: Vote.UNABLE_TO_SCORE}


def test_someone_who_did_not_finish_round_one_is_told_why_they_cannot_score(small_phone, live_site):
    page, base = small_phone, live_site["url"]
    consultation, features = _delphi()
    _round_one(consultation, features)
    late = member(role=Role.PATIENT)
    services.open_next_delphi_round(consultation=consultation)
    sign_in(page.context, late.user, base)

    page.goto(f"{base}/consultations/{consultation.slug}/")
    expect(page.get_by_text("Round 2 is for the people who scored every feature")).to_be_visible()
    expect(page.get_by_role("button", name="Save my votes")).to_have_count(0)
    check_page(page)


def test_member_results_on_a_320px_phone(small_phone, live_site):
    page, base = small_phone, live_site["url"]
    consultation, features = _delphi()
    people = _round_one(consultation, features)
    sign_in(page.context, people[1].user, base)

    page.goto(f"{base}/consultations/{consultation.slug}/results/")
    check_page(page, "Results: Which features matter most?")
    main = page.inner_text("main")
    for jargon in ("Median", "Consensus in", "Every stakeholder group counts the same"):
        assert jargon not in main
    expect(page.get_by_text("at least 70% scored it 7 to 9 and fewer than 15%")).to_be_visible()
    expect(page.get_by_text("“Unable to score” are not counted").first).to_be_visible()
    expect(page.get_by_text("no group of fewer than 5 people is shown on its own")).to_be_visible()
    _check_fits(page)
    screenshot(page, "delphi-results-320")

    page.get_by_label("Average of the groups' percentages, each group weighted the same").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("This average is not part of the rule")).to_be_visible()
    _check_fits(page)
    check_page(page)


def test_results_not_out_yet_are_a_normal_page(small_phone, live_site):
    page, base = small_phone, live_site["url"]
    consultation, features = _delphi(results_visibility=Consultation.Visibility.AFTER_CLOSE)
    voter = member(role=Role.PATIENT)
    sign_in(page.context, voter.user, base)

    response = page.goto(f"{base}/consultations/{consultation.slug}/results/")
    assert response.status == 200
    expect(page.get_by_text("Results will be shown here after")).to_be_visible()
    check_page(page)
