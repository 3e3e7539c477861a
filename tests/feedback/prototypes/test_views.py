"""A member's prototype review, end to end with the test client: the screens on step 1, the ten
SUS statements on steps 2 and 3 (five each, with Brooke's instruction), answers kept between
steps, errors next to their fields and nothing typed lost, sent once complete."""

import pytest
from django.test import Client

from feedback.models import SUS_ITEMS, PrototypeReview
from feedback.prototypes import services
from tests.factories.consultations import ConsultationFactory
from tests.factories.feedback import prototype_consultation, sus_dict
from tests.html import field, field_value, parsed, saved_message, soup, words

pytestmark = pytest.mark.django_db

BROOKE = "If you are not sure, choose the middle answer, “Neither agree nor disagree”."


def test_anonymous_visitors_are_sent_to_sign_in_from_the_prototype_review(site_tree):
    consultation = prototype_consultation(site_tree["prototype"])

    response = Client().get(f"/consultations/{consultation.slug}/prototype-review/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def url(proto, step: int = 1) -> str:
    base = f"/consultations/{proto['consultation'].slug}/prototype-review/"
    return base if step == 1 else f"{base}{step}/"


def statements_on(page) -> list[str]:
    """The legends of the statement groups on the page, as a reader sees them."""
    return [words(f.legend) for f in parsed(page).select('fieldset[id^="id_sus_"]')]


def sus_post(answers: dict[int, int], **extra) -> dict:
    return {**{f"sus_{n}": str(a) for n, a in answers.items()}, **extra}


def test_step_1_shows_each_screen_and_no_statements(member_client, proto):
    page = soup(member_client.get(url(proto)))

    for number, screen in enumerate(proto["screens"], start=1):
        assert page.find("h3", string=f"Screen {number}: {screen.title}")
    assert not page.select('input[name^="sus_"]')
    assert "Step 1 of 3" in words(page.find(class_="progress"))
    buttons = [words(b) for b in page.select("form.form button")]
    assert buttons == ["Save and continue", "Save for later"]


@pytest.mark.parametrize(("step", "numbers"), [(2, range(1, 6)), (3, range(6, 11))])
def test_the_statements_come_five_to_a_step_with_brookes_instruction(
    member_client, proto, step, numbers
):
    page = soup(member_client.get(url(proto, step)))

    assert statements_on(page) == [f"{n}. {SUS_ITEMS[n - 1]}" for n in numbers]
    assert len(page.select('input[type="radio"][name^="sus_"]')) == 5 * 5
    assert BROOKE in words(page.find(class_="callout"))
    assert f"Step {step} of 3" in words(page.find(class_="progress"))


def test_without_screens_the_statements_are_the_two_steps(member_client, site_tree):
    consultation = prototype_consultation(site_tree["prototype"])
    site_tree["prototype"].screens.all().delete()
    base = f"/consultations/{consultation.slug}/prototype-review/"

    first = soup(member_client.get(base))

    assert statements_on(first)[0].startswith("1. ")
    assert "Step 1 of 2" in words(first.find(class_="progress"))
    assert member_client.get(base + "3/").status_code == 404


@pytest.mark.parametrize("step", [0, 4, 99999999999999999999])
def test_a_step_that_does_not_exist_is_not_found(member_client, proto, step):
    assert member_client.get(url(proto, step) if step != 1 else url(proto)).status_code == 404


def test_answers_are_kept_between_steps_and_back_saves_too(member_client, member, proto):
    first = proto["screens"][0]
    response = member_client.post(
        url(proto),
        {f"screen-{first.pk}-ease": "4", f"screen-{first.pk}-comment": "Big buttons", "next": "1"},
    )
    assert response.status_code == 302 and response.url == url(proto, 2)

    response = member_client.post(url(proto, 2), sus_post({1: 4, 2: 2, 3: 5}, next="1"))
    assert response.url == url(proto, 3)
    response = member_client.post(url(proto, 3), sus_post({6: 2}, back="1"))
    assert response.url == url(proto, 2)

    again = member_client.get(url(proto, 2))
    assert [field_value(again, f"sus_{n}") for n in range(1, 6)] == ["4", "2", "5", None, None]
    assert field_value(member_client.get(url(proto, 3)), "sus_6") == "2"
    screens = member_client.get(url(proto))
    assert field_value(screens, f"screen-{first.pk}-ease") == "4"
    assert field_value(screens, f"screen-{first.pk}-comment") == "Big buttons"
    review = PrototypeReview.objects.get(member=member)
    assert review.sus_answers() == [4, 2, 5, None, None, 2, None, None, None, None]
    assert review.submitted_at is None


def test_sending_with_statements_unanswered_on_this_step_points_at_them(
    member_client, member, proto
):
    member_client.post(url(proto, 2), sus_post({1: 4, 2: 2, 3: 5, 4: 1, 5: 3}, next="1"))

    response = member_client.post(url(proto, 3), sus_post({6: 2, 7: 4, 9: 5}, submit="1"))

    assert response.status_code == 400
    page = soup(response)
    summary = page.find(class_="error-summary")
    assert [(words(a), a["href"]) for a in summary.find_all("a")] == [
        ("Answer statement 8 to send your review", "#id_sus_8"),
        ("Answer statement 10 to send your review", "#id_sus_10"),
    ]
    assert "Answer statement 8 to send your review" in words(page.find(id="id_sus_8"))
    assert field_value(page, "sus_9") == "5"
    assert words(page.find("title")).startswith("Error:")
    review = PrototypeReview.objects.get(member=member)
    assert review.sus_score is None and review.submitted_at is None
    assert review.sus_answers()[5:] == [2, 4, None, 5, None]


def test_sending_with_a_statement_of_an_earlier_step_unanswered_shows_that_step(
    member_client, member, proto
):
    member_client.post(url(proto, 2), sus_post({1: 4, 2: 2, 4: 1, 5: 3}, next="1"))

    response = member_client.post(
        url(proto, 3), sus_post({6: 2, 7: 4, 8: 3, 9: 5, 10: 1}, submit="1")
    )

    assert response.status_code == 400
    page = soup(response)
    assert page.find("form", class_="form")["action"] == url(proto, 2)
    assert "Step 2 of 3" in words(page.find(class_="progress"))
    links = page.find(class_="error-summary").find_all("a")
    assert [a["href"] for a in links] == ["#id_sus_3"]
    assert field_value(page, "sus_1") == "4"
    # What this step sent is saved, and the review is not sent yet.
    review = PrototypeReview.objects.get(member=member)
    assert review.sus_answers() == [4, 2, None, 1, 3, 2, 4, 3, 5, 1]
    assert review.submitted_at is None


def test_save_for_later_then_send_scores_the_review(member_client, member, proto):
    saved = member_client.post(url(proto, 2), sus_post({1: 4, 2: 2, 3: 5}, save="1"), follow=True)
    assert saved.redirect_chain[-1][0].endswith("#tasks-saved")
    assert saved_message(saved, "tasks") == "Your answers are saved."
    assert field_value(member_client.get(url(proto, 2)), "sus_3") == "5"

    member_client.post(url(proto, 2), sus_post({1: 4, 2: 2, 3: 5, 4: 1, 5: 3}, next="1"))
    sent = member_client.post(
        url(proto, 3), sus_post({6: 2, 7: 4, 8: 3, 9: 5, 10: 1}, submit="1"), follow=True
    )

    assert saved_message(sent, "tasks") == "Thank you. Your review is sent."
    review = PrototypeReview.objects.get(member=member)
    assert float(review.sus_score) == 80.0  # [4, 2, 5, 1, 3, 2, 4, 3, 5, 1]: test_sus.py


def test_a_changed_answer_after_sending_changes_the_score(member_client, member, proto):
    services.save_prototype_review(
        member=member,
        consultation=proto["consultation"],
        screens={},
        sus=sus_dict([5, 1] * 5),
        submit=True,
    )

    member_client.post(url(proto, 2), sus_post({1: 4, 2: 1, 3: 5, 4: 1, 5: 5}, next="1"))

    assert float(PrototypeReview.objects.get(member=member).sus_score) == 97.5


def test_a_bad_answer_is_refused_next_to_its_statement(member_client, member, proto):
    response = member_client.post(url(proto, 2), sus_post({1: 9, 2: 2}, next="1"))

    assert response.status_code == 400
    assert "Choose one of the options shown" in words(soup(response).find(id="id_sus_1"))
    assert not PrototypeReview.objects.filter(member=member).exists()


def test_a_consultation_without_a_prototype_has_no_prototype_review(member_client):
    consultation = ConsultationFactory()

    assert (
        member_client.get(f"/consultations/{consultation.slug}/prototype-review/").status_code
        == 404
    )


def test_each_step_posts_to_itself(member_client, proto):
    for step in (1, 2, 3):
        assert soup(member_client.get(url(proto, step))).find("form", class_="form")[
            "action"
        ] == url(proto, step)
        assert field(member_client.get(url(proto, step)), "csrfmiddlewaretoken")


def test_a_review_sent_in_another_consultation_is_not_sent_here(member_client, member, proto):
    """The same version in a second consultation: its task does not say "Sent" for a review
    that counts in the first one."""
    services.save_prototype_review(
        member=member,
        consultation=proto["consultation"],
        screens={},
        sus=sus_dict([5, 1] * 5),
        submit=True,
    )
    second = prototype_consultation(proto["prototype"], slug="second-look")

    def status(consultation) -> str:
        page = soup(member_client.get(f"/consultations/{consultation.slug}/"))
        task = page.find("a", string="Review the app design: PRO-CAR-T app").find_parent("li")
        return words(task.find(class_="card__meta"))

    assert status(proto["consultation"]) == "Sent"
    assert status(second) == "Already reviewed in another consultation"
