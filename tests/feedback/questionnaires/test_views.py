"""A member's questionnaire review, end to end with the test client: one item per page with errors
next to their fields and nothing typed lost, the overall questions, check and send, the paper
version; who may open them; and what happens to the words of people who leave or who did (or did
not) agree to be quoted."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from engagement.membership import services as engagement_services
from engagement.models import ConsentPurpose, Consultation, Member, Role
from feedback.models import ItemFeedback, QuestionnaireReview
from feedback.questionnaires import selectors
from tests.factories.consultations import ConsultationFactory, InvitationFactory
from tests.factories.feedback import (
    ITEM_TEXTS,
    QuestionnaireFactory,
    give_consent,
    items_of,
    prototype_consultation,
    review_all,
)
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.html import field, field_value, labelled, saved_message, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire():
    return QuestionnaireFactory(items=ITEM_TEXTS[:6], title="Recovery after CAR-T")


def base_url(questionnaire) -> str:
    return f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"


def html(response) -> str:
    return response.content.decode()


def test_the_first_item_page_shows_the_instructions_the_item_and_its_answers(
    member_client, questionnaire
):
    response = member_client.get(base_url(questionnaire) + "items/1/")

    page = html(response)
    assert response.status_code == 200
    assert "Question 1 of 6" in page
    assert "How tired have you felt?" in page
    assert "These questions ask about the past 7 days" in page
    for option in ["Not at all", "A little", "Quite a bit", "Very much"]:
        assert f"<li>{option}</li>" in page
    # The recall period is named in the question about it.
    assert "The question asks about “the past 7 days”" in page
    assert field_value(page, "relevance") is None


def test_saving_an_item_goes_to_the_next_and_its_answers_come_back(member_client, questionnaire):
    url = base_url(questionnaire) + "items/2/"

    response = member_client.post(
        url,
        {
            "relevance": "3",
            "recall_fit": "too_long",
            "comment": "Good question",
            "would_skip": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == base_url(questionnaire) + "items/3/"
    page = html(member_client.get(url))
    assert field_value(page, "relevance") == "3"
    assert field_value(page, "recall_fit") == "too_long"
    assert field_value(page, "comment") == "Good question"
    assert field(page, "would_skip").has_attr("checked")


def test_the_last_item_leads_to_the_overall_questions_then_to_check(member_client, questionnaire):
    for number in range(1, 6):
        member_client.post(base_url(questionnaire) + f"items/{number}/", {"relevance": "4"})

    last = member_client.post(base_url(questionnaire) + "items/6/", {"relevance": "4"})
    assert last.url == base_url(questionnaire) + "overall/"

    overall = member_client.post(
        last.url,
        {"instructions_clear": "yes", "length_burden": "about_right", "missing_topics": "Sleep"},
    )
    assert overall.url == base_url(questionnaire) + "check/"
    review = QuestionnaireReview.objects.get()
    assert (review.instructions_clear, review.missing_topics) == ("yes", "Sleep")


def test_without_relevance_the_error_is_next_to_it_and_other_answers_are_kept(
    member_client, questionnaire
):
    response = member_client.post(
        base_url(questionnaire) + "items/1/",
        {"own_words": "How worn out I am", "upsetting": "a_little", "comment": "Keep me"},
    )

    page = html(response)
    assert response.status_code == 400
    assert "<title>Error:" in page
    # In the summary at the top, linking to the field, and next to the field.
    assert '<a href="#id_relevance">Choose how relevant this question is</a>' in page
    assert 'aria-describedby=" id_relevance-error"' in page or (
        'aria-describedby="id_relevance-error"' in page
    )
    assert 'id="id_relevance-error"' in page
    assert "How worn out I am</textarea>" in page
    assert "Keep me</textarea>" in page
    assert field_value(page, "upsetting") == "a_little"
    assert not ItemFeedback.objects.exists()


def test_a_50000_character_comment_is_refused_next_to_the_field_and_nothing_is_lost(
    member_client, questionnaire
):
    url = base_url(questionnaire) + "items/1/"
    member_client.post(url, {"relevance": "2", "comment": "My first thoughts"})

    response = member_client.post(
        url, {"relevance": "4", "own_words": "Tiredness", "comment": "x" * 50_000}
    )

    page = html(response)
    assert response.status_code == 400
    assert "Please keep this to 2000 characters" in page
    comment = field(page, "comment")
    assert comment["aria-invalid"] == "true"
    assert "id_comment-error" in comment["aria-describedby"].split()
    assert not field(page, "own_words").has_attr("aria-invalid")
    assert field_value(page, "relevance") == "4"
    assert field_value(page, "own_words") == "Tiredness"
    stored = ItemFeedback.objects.get()
    assert (stored.relevance, stored.comment) == (2, "My first thoughts")


@pytest.mark.parametrize("relevance", ["0", "5", "x"])
def test_a_relevance_not_offered_is_refused(member_client, questionnaire, relevance):
    response = member_client.post(base_url(questionnaire) + "items/1/", {"relevance": relevance})

    assert response.status_code == 400
    assert "Choose one of the options shown" in html(response)
    assert not ItemFeedback.objects.exists()


def test_an_item_number_that_does_not_exist_is_not_found(member_client, questionnaire):
    assert member_client.get(base_url(questionnaire) + "items/7/").status_code == 404
    assert member_client.get(base_url(questionnaire) + "items/0/").status_code == 404


def test_a_questionnaire_under_another_consultation_is_not_found(member_client, questionnaire):
    other = ConsultationFactory()
    url = f"/consultations/{other.slug}/questionnaires/{questionnaire.pk}/items/1/"

    assert member_client.get(url).status_code == 404


def test_after_closing_the_item_page_says_so_and_nothing_changes(
    member_client, member, questionnaire
):
    review_all(member, questionnaire)
    Consultation.objects.filter(pk=questionnaire.consultation_id).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = member_client.post(base_url(questionnaire) + "items/1/", {"relevance": "1"})

    assert response.status_code == 400
    assert "so answers can no longer be changed" in html(response)
    assert set(ItemFeedback.objects.values_list("relevance", flat=True)) == {4}


def test_check_lists_unanswered_items_and_refuses_to_send_until_all_are_answered(
    member_client, questionnaire
):
    for number in (1, 2, 4, 5):
        member_client.post(base_url(questionnaire) + f"items/{number}/", {"relevance": "3"})

    check = html(member_client.get(base_url(questionnaire) + "check/"))
    assert check.count("not answered yet") == 2
    response = member_client.post(base_url(questionnaire) + "check/")

    assert response.status_code == 400
    assert "Missing: 2." in html(response)
    assert QuestionnaireReview.objects.get().submitted_at is None


def test_sending_thanks_the_member_and_a_second_send_changes_nothing(
    member_client, member, questionnaire
):
    review_all(member, questionnaire, submit=False)

    response = member_client.post(base_url(questionnaire) + "check/", follow=True)

    url = questionnaire.consultation.get_absolute_url()
    assert response.redirect_chain[-1][0] == url + "#tasks-saved"
    assert saved_message(response, "tasks") == "Thank you. Your review is sent."
    assert labelled(response, "tasks-heading").find(id="tasks-saved") is not None
    sent_at = QuestionnaireReview.objects.get().submitted_at
    assert sent_at is not None
    check = html(member_client.get(base_url(questionnaire) + "check/"))
    assert "You can still change answers until the consultation closes" in check
    assert "Send my review" not in check
    again = member_client.post(base_url(questionnaire) + "check/", follow=True)
    assert saved_message(again, "tasks").startswith("You had already sent this")
    assert QuestionnaireReview.objects.get().submitted_at == sent_at


def test_the_consultation_page_shows_the_members_progress(member_client, member, questionnaire):
    consultation_url = questionnaire.consultation.get_absolute_url()
    assert "Not started" in html(member_client.get(consultation_url))

    member_client.post(base_url(questionnaire) + "items/1/", {"relevance": "3"})
    assert "Started – carry on where you stopped" in html(member_client.get(consultation_url))

    review_all(member, questionnaire)
    page = html(member_client.get(consultation_url))
    assert "Sent – you can still change it" in page
    assert base_url(questionnaire) + "print/" in page


MEMBER_URLS = ["", "items/1/", "overall/", "check/", "print/"]


@pytest.mark.parametrize("path", MEMBER_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(questionnaire, path):
    url = base_url(questionnaire) + path

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "next=" in response.url


@pytest.mark.parametrize("path", MEMBER_URLS)
def test_a_member_not_invited_to_an_invited_only_consultation_gets_403(questionnaire, path):
    Consultation.objects.filter(pk=questionnaire.consultation_id).update(
        audience=Consultation.Audience.INVITED
    )
    outsider = Client()
    outsider.force_login(MemberFactory().user)

    response = outsider.get(base_url(questionnaire) + path)

    assert response.status_code == 403
    assert "This consultation is for invited members only." in html(response)
    assert not QuestionnaireReview.objects.exists()


def test_an_invited_member_of_an_invited_only_consultation_may_review(questionnaire):
    Consultation.objects.filter(pk=questionnaire.consultation_id).update(
        audience=Consultation.Audience.INVITED
    )
    invited = MemberFactory()
    InvitationFactory(consultation=questionnaire.consultation, member=invited)
    client = Client()
    client.force_login(invited.user)

    response = client.post(base_url(questionnaire) + "items/1/", {"relevance": "4"})

    assert response.status_code == 302
    assert ItemFeedback.objects.count() == 1


@pytest.mark.parametrize("who", ["pending", "paused", "manager"])
def test_people_who_cannot_take_part_get_403_on_post(questionnaire, who):
    if who == "manager":
        user = ManagerFactory()  # no member profile: nothing to review as
    else:
        status = {"pending": Member.Status.PENDING, "paused": Member.Status.PAUSED}[who]
        user = MemberFactory(status=status).user
    client = Client()
    client.force_login(user)

    response = client.post(base_url(questionnaire) + "items/1/", {"relevance": "4"})

    assert response.status_code == 403
    assert not ItemFeedback.objects.exists()


def test_a_withdrawn_members_answers_stay_anonymised_and_still_count(questionnaire):
    leaver = MemberFactory(role=Role.CARER, display_name="Lee Leaver", user__email="lee@x.org")
    stayer = MemberFactory(role=Role.PATIENT)
    review_all(leaver, questionnaire, comment="Too long a question")
    review_all(stayer, questionnaire)

    engagement_services.withdraw_member(member=leaver)

    leaver.refresh_from_db()
    assert leaver.status == Member.Status.WITHDRAWN
    assert leaver.user is None and leaver.display_name == ""
    assert ItemFeedback.objects.filter(review__member=leaver).count() == 6
    analysis = selectors.item_analysis(questionnaire)
    assert (analysis["started"], analysis["submitted"]) == (2, 2)
    assert all(entry["n"] == 2 for entry in analysis["items"])
    # Their role is generalised ("Other", counted with the public) and their words are erased.
    carers = selectors.item_analysis(questionnaire, group="carers")
    assert all(entry["n"] == 0 for entry in carers["items"])
    public = selectors.item_analysis(questionnaire, group="public")
    assert all(entry["n"] == 1 for entry in public["items"])
    everyone = selectors.item_analysis(questionnaire)
    assert "Too long a question" not in str(everyone)

    manager = Client()
    manager.force_login(ManagerFactory())
    page = html(manager.get(f"/admin/questionnaires/analysis/{questionnaire.pk}/"))
    assert "2 reviews started, 2 sent." in page
    assert "Lee Leaver" not in page and "lee@x.org" not in page


def responses_csv(questionnaire) -> list[dict]:
    manager = Client()
    manager.force_login(ManagerFactory())
    response = manager.get(f"/admin/questionnaires/responses/{questionnaire.pk}/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_quote_consent_decides_may_quote_in_the_responses_export(questionnaire):
    quotable = MemberFactory(role=Role.PATIENT)
    give_consent(quotable, ConsentPurpose.QUOTE)
    not_quotable = MemberFactory(role=Role.PUBLIC)
    changed_mind = MemberFactory(role=Role.CARER)
    give_consent(changed_mind, ConsentPurpose.QUOTE)
    leaver = MemberFactory(role=Role.CLINICIAN)
    give_consent(leaver, ConsentPurpose.QUOTE)
    for person in (quotable, not_quotable, changed_mind, leaver):
        review_all(person, questionnaire, comment=f"Words of {person.pk}")
    engagement_services.withdraw_consent(member=changed_mind, purpose=ConsentPurpose.QUOTE)
    engagement_services.withdraw_member(member=leaver)

    rows = responses_csv(questionnaire)

    may_quote = {row["Comment"]: row["May quote"] for row in rows}
    assert may_quote == {
        f"Words of {quotable.pk}": "yes",
        f"Words of {not_quotable.pk}": "no",
        f"Words of {changed_mind.pk}": "no",
        "": "no",  # the leaver's words are erased; their ratings stay
    }
    assert len(rows) == 4 * 6


def test_the_print_view_has_every_item_with_its_questions_and_print_css(
    member_client, questionnaire
):
    response = member_client.get(base_url(questionnaire) + "print/")

    page = html(response)
    assert response.status_code == 200
    assert '<body class="print-form">' in page
    for number, item in enumerate(items_of(questionnaire), start=1):
        assert f"Question {number}: “{item.text}”" in page
    assert len(soup(page).select("section.print-item")) == 6 + 1  # items and the whole
    questions = [
        "How relevant is this question for people who have had CAR-T therapy?",
        "In your own words, what is this question asking?",
        "The question asks about “the past 7 days”. Is that the right length of time?",
        "Could this question upset someone or feel too personal?",
        "How would you word it?",
    ]
    for question in questions:
        assert page.count(question) == 6, question
    assert page.count("☐ Very relevant") == 6
    assert "Is anything important missing from the questionnaire?" in page
    assert soup(page).select("p.no-print")
    stylesheet = soup(page).find("link", rel="stylesheet")["href"].removeprefix("/static/")
    css = Path(finders.find(stylesheet)).read_text()
    assert "@media print" in css
    print_rules = " ".join(re.findall(r"@media print\s*{(.*?)\n}", css, flags=re.S))
    assert ".no-print" in print_rules and ".site-header" in print_rules
    assert ".print-item" in print_rules


def proto_url(proto) -> str:
    return f"/consultations/{proto['consultation'].slug}/prototype-review/"


def test_a_closed_consultation_says_so_instead_of_offering_the_forms(
    member_client, member, questionnaire, proto
):

    for consultation in (questionnaire.consultation, proto["consultation"]):
        Consultation.objects.filter(pk=consultation.pk).update(
            closes_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    pages = {
        "start": member_client.get(base_url(questionnaire), follow=True),
        "item": member_client.get(base_url(questionnaire) + "items/1/"),
        "overall": member_client.get(base_url(questionnaire) + "overall/"),
        "check": member_client.get(base_url(questionnaire) + "check/"),
        "prototype": member_client.get(proto_url(proto)),
    }

    for name, response in pages.items():
        assert "so answers can no longer be changed" in html(response), name
        assert "<form" not in html(response).split("<main")[-1], name


def test_a_version_reviewed_in_another_consultation_points_there(member_client, member, proto):
    from feedback.prototypes import services
    from tests.factories.feedback import sus_dict

    services.save_prototype_review(
        member=member,
        consultation=proto["consultation"],
        screens={},
        sus=sus_dict([5, 1] * 5),
        submit=True,
    )
    second = prototype_consultation(proto["prototype"], slug="second-look")

    response = member_client.get(f"/consultations/{second.slug}/prototype-review/")

    assert "You have already reviewed this version of the app, in “Try the app design”" in html(
        response
    )
    assert 'name="sus_1"' not in html(response)
