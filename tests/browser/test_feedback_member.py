"""A member reviews a draft questionnaire item by item on a phone, stops half way (the browser
closed), comes back and carries on where they stopped, and sends it; the same journey with the
keyboard only; a member reviews the app prototype and its ten SUS statements. axe checks every
page they see."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.feedback_support import (
    check_page,
    member,
    new_page,
    phone_context,
    sign_in,
)
from tests.browser.helpers import assert_accessible, focused, screenshot, touch_context
from tests.browser.joining import expect_focus, tab

QUESTIONNAIRE = "Recovery after CAR-T"
ITEMS = [
    "How tired have you felt?",
    "How much has tiredness stopped you doing things you wanted to do?",
    "Have you had trouble remembering things?",
    "Have you found it hard to concentrate, for example on reading or TV?",
    "How often have you felt low or down?",
    "How worried have you been about your health?",
]
RELEVANCE = ["Very relevant", "Quite relevant", "A little relevant", "Very relevant",
             "Not at all relevant", "Quite relevant"]  # fmt: skip


@pytest.fixture
def questionnaire(live_site):
    from tests.factories.consultations import ConsultationFactory
    from tests.factories.feedback import QuestionnaireFactory

    consultation = ConsultationFactory(
        title="Check our recovery questions", slug="recovery-questions"
    )
    return QuestionnaireFactory(items=ITEMS, title=QUESTIONNAIRE, consultation=consultation)


@pytest.fixture
def ann(live_site):
    from engagement.models import Role

    return member(role=Role.PATIENT, display_name="Ann")


def consultation_url(live_site, questionnaire) -> str:
    return f"{live_site['url']}/consultations/{questionnaire.consultation.slug}/"


def answer_item(page, number: int, *, comment: str = "") -> None:
    """On item page `number`: check it, choose the relevance, maybe write, save."""
    check_page(page, f"“{ITEMS[number - 1]}”")
    expect(page.get_by_text(f"Question {number} of 6", exact=True)).to_be_visible()
    page.get_by_role("group", name=re.compile("How relevant is this question")).get_by_label(
        RELEVANCE[number - 1], exact=True
    ).check()
    if comment:
        page.get_by_label("Anything else about this question?").fill(comment)
    button = "Save and go to the next question" if number < 6 else "Save and continue"
    page.get_by_role("button", name=button).click()


def test_phone_review_stopped_half_way_resumes_at_item_4_and_is_sent(
    browser, browser_context_args, live_site, questionnaire, ann
):
    from feedback.models import ItemFeedback, QuestionnaireReview

    # First visit: items 1 to 3, then the browser is closed.
    first = phone_context(browser, browser_context_args)
    sign_in(first, ann.user, live_site["url"])
    page = new_page(first)
    page.goto(consultation_url(live_site, questionnaire))
    check_page(page, "Check our recovery questions")
    expect(page.get_by_text("Not started")).to_be_visible()
    page.get_by_role("link", name=f"Check the questions: {QUESTIONNAIRE}").click()
    expect(page).to_have_url(re.compile(r"/items/1/$"))
    expect(page.get_by_text("What people will be told")).to_be_visible()
    screenshot(page, "feedback-item-1-phone")
    # Nothing chosen: the error is shown and nothing is saved.
    page.get_by_role("button", name="Save and go to the next question").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose how relevant this question is")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    screenshot(page, "feedback-item-error-phone")
    answer_item(page, 1, comment="I would say worn out")
    answer_item(page, 2)
    answer_item(page, 3)
    expect(page.get_by_text("Question 4 of 6", exact=True)).to_be_visible()
    first.close()
    assert ItemFeedback.objects.count() == 3

    # Days later, a new browser: sign in again and open the questionnaire.
    second = phone_context(browser, browser_context_args)
    assert second.cookies() == []
    sign_in(second, ann.user, live_site["url"])
    page = new_page(second)
    page.goto(consultation_url(live_site, questionnaire))
    expect(page.get_by_text("Started – carry on where you stopped")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Check the questions: {QUESTIONNAIRE}").click()
    expect(page).to_have_url(re.compile(r"/items/4/$"))
    check_page(page, f"“{ITEMS[3]}”")
    screenshot(page, "feedback-item-4-phone")
    # What was saved before is still there.
    page.get_by_text("Go to another question").click()
    page.get_by_role("link", name=re.compile("^How tired")).click()
    expect(page.get_by_label("Very relevant", exact=True)).to_be_checked()
    expect(page.get_by_label("Anything else about this question?")).to_have_value(
        "I would say worn out"
    )
    page.go_back()
    answer_item(page, 4)
    answer_item(page, 5, comment="Could upset people")
    answer_item(page, 6)

    check_page(page, "The questionnaire as a whole")
    page.get_by_label("Yes, clear").check()
    page.get_by_label("About right").check()
    page.get_by_role("button", name="Save and check my answers").click()
    check_page(page, "Check and send")
    expect(page.get_by_text("not answered yet")).to_have_count(0)
    page.get_by_role("button", name="Send my review").click()

    check_page(page, "Check our recovery questions")
    expect(page.get_by_role("status")).to_contain_text("Thank you. Your review is sent.")
    expect(page.get_by_text("Sent – you can still change it")).to_be_visible()
    second.close()
    review = QuestionnaireReview.objects.get(member=ann)
    assert review.submitted_at is not None
    assert review.instructions_clear == "yes"
    relevance = dict(review.answers.values_list("item__text", "relevance"))
    assert relevance == dict(zip(ITEMS, [4, 3, 2, 4, 1, 3], strict=True))


def _tab_to(page, element_id: str, *, limit: int = 40) -> None:
    """Press Tab until `element_id` has focus; every stop on the way must be on screen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = focused(page)
        assert where["visible"], f"focus went off screen: {where}"
        if where["id"] == element_id:
            return
    pytest.fail(f"#{element_id} never got focus after {limit} Tabs")


def _tab_to_button(page, text: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = focused(page)
        assert where["visible"], f"focus went off screen: {where}"
        if where["tag"] == "button" and text in where["text"]:
            return
    pytest.fail(f"button “{text}” never got focus after {limit} Tabs")


def _choose_with_arrows(page, name: str, index: int) -> None:
    """Focus is on the first radio of group `name`: Space checks it, arrows move on."""
    expect_focus(page, id=f"id_{name}_0")
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    expect_focus(page, id=f"id_{name}_{index}")
    expect(page.locator(f"#id_{name}_{index}")).to_be_checked()


def test_the_questionnaire_with_the_keyboard_only(page, live_site, questionnaire, ann):
    from feedback.models import ItemFeedback, QuestionnaireReview

    sign_in(page.context, ann.user, live_site["url"])
    page.goto(consultation_url(live_site, questionnaire))
    assert_accessible(page)
    for _ in range(60):  # to the questionnaire's link, then Enter
        page.keyboard.press("Tab")
        if focused(page)["text"] == f"Check the questions: {QUESTIONNAIRE}":
            break
    else:
        pytest.fail("the questionnaire link never got focus")
    page.keyboard.press("Enter")

    for number in range(1, 7):
        check_page(page, f"“{ITEMS[number - 1]}”")
        _tab_to(page, "id_relevance_0")
        # Relevance choices, top to bottom: not at all, a little, quite, very.
        wanted = {"Not at all relevant": 0, "A little relevant": 1, "Quite relevant": 2,
                  "Very relevant": 3}[RELEVANCE[number - 1]]  # fmt: skip
        _choose_with_arrows(page, "relevance", wanted)
        if number == 2:
            tab(page, id="id_own_words")
            page.keyboard.type("Whether being tired stops me")
            _tab_to(page, "id_recall_fit_0")
            _choose_with_arrows(page, "recall_fit", 1)  # about right
            _tab_to(page, "id_would_skip")
            page.keyboard.press("Space")
            expect(page.locator("#id_would_skip")).to_be_checked()
        button = "Save and go to the next question" if number < 6 else "Save and continue"
        _tab_to_button(page, button)
        page.keyboard.press("Enter")

    check_page(page, "The questionnaire as a whole")
    _tab_to(page, "id_instructions_clear_0")
    _choose_with_arrows(page, "instructions_clear", 1)  # partly
    tab(page, id="id_missing_topics")
    page.keyboard.type("Sleep")
    _tab_to_button(page, "Save and check my answers")
    page.keyboard.press("Enter")

    check_page(page, "Check and send")
    _tab_to_button(page, "Send my review")
    page.keyboard.press("Enter")
    check_page(page, "Check our recovery questions")
    expect(page.get_by_role("status")).to_contain_text("Thank you. Your review is sent.")

    review = QuestionnaireReview.objects.get(member=ann)
    assert review.submitted_at is not None
    assert (review.instructions_clear, review.missing_topics) == ("partly", "Sleep")
    second = ItemFeedback.objects.get(review=review, item__text=ITEMS[1])
    assert (second.relevance, second.recall_fit, second.would_skip) == (3, "right", True)
    assert second.own_words == "Whether being tired stops me"
    assert review.answers.count() == 6


# --- The prototype --------------------------------------------------------------------------


@pytest.fixture
def app_consultation(live_site):
    from tests.factories.feedback import add_screens, prototype_consultation

    add_screens(live_site["prototype"])
    return prototype_consultation(live_site["prototype"], slug="try-the-app")


SUS_ANSWERS = [4, 2, 5, 1, 3, 2, 4, 3, 5, 1]  # 80, computed by hand in tests/feedback/test_sus
SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


BROOKE = "If you are not sure, choose the middle answer, “Neither agree nor disagree”."


def answer_statements(page, numbers) -> None:
    from feedback.models import SUS_ITEMS

    for number in numbers:
        group = page.get_by_role("group", name=f"{number}. {SUS_ITEMS[number - 1]}")
        group.get_by_label(SCALE[SUS_ANSWERS[number - 1] - 1], exact=True).check()


def layout(page) -> dict:
    """What a phone shows: the page's width against the screen's, and the smallest text."""
    return page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            smallest: Math.min(...[...document.querySelectorAll('main *')]
                .filter(el => el.offsetParent !== null && el.childNodes.length
                        && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                .map(el => parseFloat(getComputedStyle(el).fontSize))),
        })"""
    )


def test_a_member_reviews_the_prototype_and_sends_the_sus(page, live_site, app_consultation, ann):
    """Desktop: the screens, then statements 1–5 and 6–10 on steps of their own; sending with
    three unanswered points at them, nothing typed lost."""
    from feedback.models import PrototypeReview, ScreenComment

    sign_in(page.context, ann.user, live_site["url"])
    page.goto(f"{live_site['url']}/consultations/try-the-app/")
    assert_accessible(page)
    page.get_by_role("link", name="Review the app design: PRO-CAR-T app").click()
    check_page(page, "Review PRO-CAR-T app (v0.3)")
    expect(page.get_by_text("Step 1 of 3", exact=True)).to_be_visible()
    screenshot(page, "feedback-prototype-review")

    screens = page.locator("li.feature")
    expect(screens).to_have_count(4)
    for index, ease in enumerate(["Easy", "Very easy", "OK", "Hard"]):
        screens.nth(index).get_by_label(ease, exact=True).check()
    screens.nth(3).get_by_label("Anything to change on this screen?").fill("Bigger text please")
    page.get_by_role("button", name="Save and continue").click()

    check_page(page, "Review PRO-CAR-T app (v0.3)")
    expect(page.get_by_text("Step 2 of 3", exact=True)).to_be_visible()
    expect(page.get_by_text(BROOKE)).to_be_visible()
    expect(page.locator('fieldset[id^="id_sus_"]')).to_have_count(5)
    answer_statements(page, range(1, 6))
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("Step 3 of 3", exact=True)).to_be_visible()
    answer_statements(page, [6, 7])  # 8, 9 and 10 left out
    page.get_by_role("button", name="Send my review").click()

    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_count(3)
    assert_accessible(page)
    screenshot(page, "feedback-prototype-review-errors")
    summary.get_by_role("link").first.click()  # jumps to statement 8
    answer_statements(page, range(8, 11))
    page.get_by_role("button", name="Send my review").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you. Your review is sent.")
    assert_accessible(page)
    review = PrototypeReview.objects.get(member=ann)
    assert float(review.sus_score) == 80.0
    assert review.sus_answers() == SUS_ANSWERS
    assert sorted(ScreenComment.objects.values_list("ease", flat=True)) == [2, 3, 4, 5]
    assert ScreenComment.objects.get(ease=2).comment == "Bigger text please"


def test_the_prototype_review_on_a_320_px_phone_stops_and_resumes(
    browser, browser_context_args, live_site, app_consultation, ann
):
    """An old small phone (320 px): every step fits the screen with text of 12 px or more and
    axe finds nothing; the member stops after statement 5 (the browser closed), comes back
    to their answers and sends."""
    from feedback.models import PrototypeReview

    small = {"width": 320, "height": 640}
    context = touch_context(browser, browser_context_args, small)
    page = new_page(context)
    sign_in(context, ann.user, live_site["url"])
    base = f"{live_site['url']}/consultations/try-the-app/prototype-review/"
    page.goto(base)
    check_page(page, "Review PRO-CAR-T app (v0.3)")
    sizes = layout(page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], "the screens step scrolls sideways"
    assert sizes["smallest"] >= 12
    page.get_by_role("button", name="Save and continue").click()

    for step, numbers in [(2, range(1, 6)), (3, range(6, 11))]:
        check_page(page, "Review PRO-CAR-T app (v0.3)")
        expect(page.get_by_text(f"Step {step} of 3", exact=True)).to_be_visible()
        sizes = layout(page)
        assert sizes["scrollWidth"] <= sizes["innerWidth"], f"step {step} scrolls sideways"
        assert sizes["smallest"] >= 12, f"text under 12 px on step {step}"
        screenshot(page, f"feedback-prototype-review-step-{step}")
        if step == 2:
            answer_statements(page, numbers)
            page.get_by_role("button", name="Save for later").click()
            expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
            context.close()
            context = touch_context(browser, browser_context_args, small)
            page = new_page(context)
            sign_in(context, ann.user, live_site["url"])
            page.goto(base + "2/")
            for number in numbers:  # kept
                group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
                expect(
                    group.get_by_label(SCALE[SUS_ANSWERS[number - 1] - 1], exact=True)
                ).to_be_checked()
            page.get_by_role("button", name="Save and continue").click()
        else:
            answer_statements(page, numbers)
            page.get_by_role("button", name="Send my review").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you. Your review is sent.")
    assert_accessible(page)
    assert float(PrototypeReview.objects.get(member=ann).sus_score) == 80.0
    context.close()
