"""The rules of giving feedback on a questionnaire, through the services: item reviews saved as you
go and resumed, submitted once and editable until the consultation closes, bad input refused with
nothing lost; the next questionnaire version built from the item-tracking matrix."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from engagement.models import ActivityType, Consultation, InvolvementRecord, Member
from feedback.models import Item, ItemFeedback, PrototypeReview, Questionnaire, ScreenComment
from feedback.prototypes import services as prototypes_services
from feedback.questionnaires import services as questionnaires_services
from tests.factories.consultations import ConsultationFactory, InvitationFactory
from tests.factories.feedback import (
    QuestionnaireFactory,
    items_of,
    prototype_consultation,
    review_all,
    sus_dict,
)
from tests.factories.membership import ManagerFactory, MemberFactory

pytestmark = pytest.mark.django_db


def save(review, item, **data):
    return questionnaires_services.save_item_feedback(review=review, item=item, data=data)


def close(consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )


def test_each_item_save_is_stored_and_moves_the_position_on(review, questionnaire):
    items = items_of(questionnaire)
    assert review.position == 1

    save(review, items[0], relevance="4", own_words="How worn out I have been")
    review.refresh_from_db()
    assert review.position == 2
    first = ItemFeedback.objects.get(review=review, item=items[0])
    assert (first.relevance, first.own_words) == (4, "How worn out I have been")

    save(review, items[1], relevance=2, recall_fit="too_short", would_skip="on")
    review.refresh_from_db()
    assert review.position == 3
    second = ItemFeedback.objects.get(review=review, item=items[1])
    assert (second.relevance, second.recall_fit, second.would_skip) == (2, "too_short", True)


def test_going_back_to_change_an_earlier_item_keeps_the_place(review, questionnaire):
    items = items_of(questionnaire)
    for item in items[:4]:
        save(review, item, relevance=3)

    save(review, items[0], relevance=1, comment="Changed my mind")

    review.refresh_from_db()
    assert review.position == 5
    assert ItemFeedback.objects.filter(review=review).count() == 4
    changed = ItemFeedback.objects.get(review=review, item=items[0])
    assert (changed.relevance, changed.comment) == (1, "Changed my mind")


def test_the_last_item_leads_to_the_questions_about_the_whole(review, questionnaire):
    for item in items_of(questionnaire):
        save(review, item, relevance=4)

    review.refresh_from_db()
    assert review.position == 7  # one past the six items: the overall questions


def test_a_new_session_days_later_resumes_at_the_next_unanswered_item(member, questionnaire):
    """Answer items 1–3 in one browser session, come back three days later in another."""
    first = Client()
    first.force_login(member.user)
    base = f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"
    assert first.get(base).url == base + "items/1/"
    for number in (1, 2, 3):
        response = first.post(base + f"items/{number}/", {"relevance": "3"})
        assert response.status_code == 302
    first.logout()
    review = member.questionnaire_reviews.get()
    review.__class__.objects.filter(pk=review.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=3)
    )

    later = Client()
    later.force_login(member.user)
    response = later.get(base)

    assert response.status_code == 302
    assert response.url == base + "items/4/"
    page = later.get(response.url)
    assert "Question 4 of 6" in page.content.decode()


def test_resuming_after_every_item_goes_to_the_overall_questions(member, questionnaire):
    review_all(member, questionnaire, submit=False)
    client = Client()
    client.force_login(member.user)
    base = f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"

    assert client.get(base).url == base + "overall/"


def test_submit_needs_relevance_for_every_item_and_says_how_many_are_missing(review, questionnaire):
    for item in items_of(questionnaire)[:4]:
        save(review, item, relevance=4)

    with pytest.raises(ValidationError) as caught:
        questionnaires_services.submit_review(review=review)

    assert "Missing: 2." in " ".join(caught.value.messages)
    assert "how relevant" in " ".join(caught.value.messages)
    review.refresh_from_db()
    assert review.submitted_at is None
    assert not InvolvementRecord.objects.filter(member=review.member).exists()


def test_submit_with_every_item_answered_records_the_involvement(member, questionnaire):
    invitation = InvitationFactory(consultation=questionnaire.consultation, member=member)

    review = review_all(member, questionnaire)

    assert review.submitted_at is not None
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    record = InvolvementRecord.objects.get(member=member)
    assert record.activity_type == ActivityType.QUESTIONNAIRE_REVIEW
    assert record.consultation == questionnaire.consultation


def test_a_second_submit_changes_nothing(member, questionnaire):
    review = review_all(member, questionnaire)
    sent_at = review.submitted_at

    again = questionnaires_services.submit_review(review=review)

    assert again.submitted_at == sent_at
    review.refresh_from_db()
    assert review.submitted_at == sent_at
    assert InvolvementRecord.objects.filter(member=member).count() == 1


def test_after_submitting_an_item_can_change_until_the_consultation_closes(member, questionnaire):
    review = review_all(member, questionnaire)
    first = items_of(questionnaire)[0]

    save(review, first, relevance=1, comment="On reflection, not for me")
    stored = ItemFeedback.objects.get(review=review, item=first)
    assert (stored.relevance, stored.comment) == (1, "On reflection, not for me")

    close(questionnaire.consultation)
    with pytest.raises(ValidationError, match="closed"):
        save(review, first, relevance=4, comment="Too late")
    with pytest.raises(ValidationError, match="closed"):
        questionnaires_services.save_overall(review=review, data={"overall_comment": "Too late"})

    stored.refresh_from_db()
    assert (stored.relevance, stored.comment) == (1, "On reflection, not for me")
    review.refresh_from_db()
    assert review.overall_comment == ""


def test_a_review_cannot_start_outside_the_open_window_or_without_a_consultation(member):
    closed = QuestionnaireFactory(items=2, consultation=ConsultationFactory(closed=True))
    upcoming = QuestionnaireFactory(items=2, consultation=ConsultationFactory(upcoming=True))
    loose = QuestionnaireFactory(items=2, consultation=None)

    with pytest.raises(ValidationError, match="closed"):
        questionnaires_services.start_review(member=member, questionnaire=closed)
    with pytest.raises(ValidationError, match="not opened yet"):
        questionnaires_services.start_review(member=member, questionnaire=upcoming)
    with pytest.raises(ValidationError, match="not open for review"):
        questionnaires_services.start_review(member=member, questionnaire=loose)
    assert not member.questionnaire_reviews.exists()


def test_only_invited_active_members_can_review_an_invited_only_consultation(questionnaire):
    Consultation.objects.filter(pk=questionnaire.consultation_id).update(
        audience=Consultation.Audience.INVITED
    )
    questionnaire.refresh_from_db()
    outsider = MemberFactory()
    paused = MemberFactory(status=Member.Status.PAUSED)
    invited = MemberFactory()
    InvitationFactory(consultation=questionnaire.consultation, member=invited)

    with pytest.raises(ValidationError, match="invited members only"):
        questionnaires_services.start_review(member=outsider, questionnaire=questionnaire)
    with pytest.raises(ValidationError, match="Your membership is paused"):
        questionnaires_services.start_review(member=paused, questionnaire=questionnaire)
    assert questionnaires_services.start_review(member=invited, questionnaire=questionnaire).pk


def test_an_item_from_another_questionnaire_is_refused(review):
    other = QuestionnaireFactory(items=1, consultation=review.questionnaire.consultation)

    with pytest.raises(ValidationError, match="not part of this questionnaire"):
        save(review, items_of(other)[0], relevance=4)

    assert not ItemFeedback.objects.exists()
    review.refresh_from_db()
    assert review.position == 1


@pytest.mark.parametrize("relevance", [0, 5, "x", "", None, "2.5", -1])
def test_relevance_out_of_range_is_refused(review, questionnaire, relevance):
    item = items_of(questionnaire)[0]

    with pytest.raises(ValidationError) as caught:
        save(review, item, relevance=relevance, comment="Kept?")

    assert "relevance" in caught.value.message_dict
    assert not ItemFeedback.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("recall_fit", "forever"), ("options_fit", "maybe"), ("upsetting", "very")],
)
def test_a_choice_that_is_not_offered_is_refused(review, questionnaire, field, value):
    with pytest.raises(ValidationError) as caught:
        save(review, items_of(questionnaire)[0], relevance=3, **{field: value})

    assert caught.value.message_dict[field] == ["Choose one of the options shown"]
    assert not ItemFeedback.objects.exists()


def test_a_50000_character_comment_is_refused_and_the_earlier_answer_is_kept(review, questionnaire):
    item = items_of(questionnaire)[0]
    save(review, item, relevance=3, comment="Short and kind", suggested_rewording="How weary?")

    with pytest.raises(ValidationError) as caught:
        save(review, item, relevance=1, comment="x" * 50_000)

    assert "Please keep this to 2000 characters" in caught.value.message_dict["comment"][0]
    stored = ItemFeedback.objects.get(review=review, item=item)
    assert (stored.relevance, stored.comment, stored.suggested_rewording) == (
        3,
        "Short and kind",
        "How weary?",
    )


def test_unclear_words_are_limited_to_500_characters(review, questionnaire):
    with pytest.raises(ValidationError) as caught:
        save(review, items_of(questionnaire)[0], relevance=3, unclear_words="w" * 501)

    assert "Please keep this to 500 characters" in caught.value.message_dict["unclear_words"][0]


def test_tags_are_stripped_and_a_formula_is_stored_as_plain_text(review, questionnaire):
    item = items_of(questionnaire)[0]

    save(
        review,
        item,
        relevance=2,
        comment="<script>alert(1)</script>Too <b>long</b>",
        suggested_rewording='=HYPERLINK("http://evil.example","click")',
        own_words="&lt;script&gt;alert(2)&lt;/script&gt;",
        unclear_words="fatigue & brain fog, a < b",
    )

    stored = ItemFeedback.objects.get(review=review, item=item)
    assert "<" not in stored.comment
    assert stored.comment == "alert(1)Too long"
    assert stored.suggested_rewording == '=HYPERLINK("http://evil.example","click")'
    assert "script>" not in stored.own_words  # typed as entities, still no tag
    # Plain text, not HTML: what people typed comes back as typed (no "&amp;").
    assert stored.unclear_words == "fatigue & brain fog, a < b"


def test_line_breaks_are_kept_and_windows_ones_normalised(review, questionnaire):
    item = items_of(questionnaire)[0]

    save(review, item, relevance=2, comment="  First line\r\nSecond line  ")

    assert ItemFeedback.objects.get(item=item).comment == "First line\nSecond line"


def test_overall_answers_are_checked_like_item_answers(review):
    with pytest.raises(ValidationError) as caught:
        questionnaires_services.save_overall(review=review, data={"length_burden": "endless"})
    assert "length_burden" in caught.value.message_dict

    with pytest.raises(ValidationError) as caught:
        questionnaires_services.save_overall(review=review, data={"missing_topics": "m" * 2001})
    assert "Please keep this to 2000" in caught.value.message_dict["missing_topics"][0]

    questionnaires_services.save_overall(
        review=review,
        data={"instructions_clear": "partly", "missing_topics": "<i>Sleep</i>"},
    )
    review.refresh_from_db()
    assert (review.instructions_clear, review.missing_topics) == ("partly", "Sleep")


def test_assisted_entry_is_marked(member, questionnaire):
    manager = ManagerFactory()
    review = questionnaires_services.start_review(member=member, questionnaire=questionnaire)

    questionnaires_services.save_item_feedback(
        review=review, item=items_of(questionnaire)[0], data={"relevance": 3}, assisted_by=manager
    )

    review.refresh_from_db()
    assert review.assisted_by == manager


def decide(item, decision, **extra):
    return questionnaires_services.save_tracking(item=item, data={"decision": decision, **extra})


def test_save_tracking_stores_the_row_and_needs_wording_for_revise(questionnaire):
    item = items_of(questionnaire)[0]

    with pytest.raises(ValidationError) as caught:
        decide(item, "revise", problems=["comprehension"], severity="major")
    assert "revised_wording" in caught.value.message_dict
    assert Item.objects.get(pk=item.pk).decision == ""

    decide(
        item,
        "revise",
        problems=["comprehension", "recall", "sensitive"],
        severity="major",
        revised_wording="How worn out have you felt?",
        rationale="Four of six found “tired” vague.",
    )

    item.refresh_from_db()
    assert (item.decision, item.problems, item.severity) == (
        "revise",
        ["comprehension", "recall", "sensitive"],
        "major",
    )
    assert item.problem_labels() == [
        "Not understood as intended",
        "Recall period",
        "Upsetting or intrusive",
    ]
    assert item.revised_wording == "How worn out have you felt?"


@pytest.mark.parametrize(
    ("field", "value"),
    [("decision", "rewrite"), ("severity", "catastrophic"), ("problems", ["recall", "typo"])],
)
def test_save_tracking_refuses_choices_that_do_not_exist(questionnaire, field, value):
    with pytest.raises(ValidationError) as caught:
        questionnaires_services.save_tracking(item=items_of(questionnaire)[0], data={field: value})
    assert field in caught.value.message_dict


def test_the_next_version_follows_the_decisions(questionnaire):
    one, two, three, four, five, six = items_of(questionnaire)
    decide(one, "keep")
    decide(two, "revise", revised_wording="How much has tiredness held you back?")
    decide(three, "drop", rationale="Covered by item 4")
    decide(four, "keep")
    decide(five, "drop")
    decide(six, "revise", revised_wording="Item six, reworded")

    new = questionnaires_services.create_next_version(questionnaire=questionnaire)

    assert (new.title, new.version) == (questionnaire.title, 2)
    assert new.previous_version == questionnaire
    assert new.status == Questionnaire.Status.DRAFT
    assert new.recall_period == questionnaire.recall_period
    new_items = items_of(new)
    assert [i.text for i in new_items] == [
        "Item 1",
        "How much has tiredness held you back?",
        "Item 4",
        "Item six, reworded",
    ]
    assert [i.previous_item for i in new_items] == [one, two, four, six]
    assert [i.sort_order for i in new_items] == [0, 1, 2, 3]
    assert all(i.decision == "" for i in new_items)  # a fresh matrix for the new version


def test_the_next_version_needs_a_decision_for_every_item(questionnaire):
    for item in items_of(questionnaire)[:5]:
        decide(item, "keep")

    with pytest.raises(ValidationError, match="Missing: 1."):
        questionnaires_services.create_next_version(questionnaire=questionnaire)

    assert Questionnaire.objects.count() == 1


def test_there_is_only_one_next_version(questionnaire):
    for item in items_of(questionnaire):
        decide(item, "keep")
    questionnaires_services.create_next_version(questionnaire=questionnaire)

    with pytest.raises(ValidationError, match="already exists"):
        questionnaires_services.create_next_version(questionnaire=questionnaire)

    assert Questionnaire.objects.filter(title=questionnaire.title).count() == 2


def save_proto(member, proto, *, sus, screens=None, submit, assisted_by=None):
    return prototypes_services.save_prototype_review(
        member=member,
        consultation=proto["consultation"],
        screens=screens or {},
        sus=sus_dict(sus),
        submit=submit,
        assisted_by=assisted_by,
    )


def test_a_partial_save_keeps_every_answer_given(member, proto):
    first, second = proto["screens"][:2]

    review, missing = save_proto(
        member,
        proto,
        sus=[4, 2, 5, None, None, None, None, None, None, None],
        screens={first.pk: {"ease": 4, "comment": "Clear"}, second.pk: {"ease": None}},
        submit=False,
    )

    assert missing == []
    review.refresh_from_db()
    assert review.sus_answers() == [4, 2, 5, None, None, None, None, None, None, None]
    assert review.sus_score is None and review.submitted_at is None
    comments = {c.screen_id: (c.ease, c.comment) for c in ScreenComment.objects.all()}
    assert comments == {first.pk: (4, "Clear"), second.pk: (None, "")}
    assert not InvolvementRecord.objects.filter(member=member).exists()


def test_a_full_submit_scores_by_the_formula(member, proto):
    answers = [4, 2, 5, 1, 3, 2, 4, 3, 5, 1]  # hand-computed in test_sus: 80

    review, missing = save_proto(member, proto, sus=answers, submit=True)

    assert missing == []
    review.refresh_from_db()
    assert float(review.sus_score) == 80.0
    assert review.submitted_at is not None
    assert InvolvementRecord.objects.get(member=member).activity_type == (
        ActivityType.PROTOTYPE_REVIEW
    )


def test_answers_saved_earlier_complete_a_later_submit(member, proto):
    save_proto(member, proto, sus=[5, 1, 5, 1, 5, None, None, None, None, None], submit=False)

    review, missing = prototypes_services.save_prototype_review(
        member=member,
        consultation=proto["consultation"],
        screens={},
        sus={6: 1, 7: 5, 8: 1, 9: 5, 10: 1},
        submit=True,
    )

    assert missing == []
    review.refresh_from_db()
    assert float(review.sus_score) == 100.0


def test_an_answer_sent_empty_is_cleared(member, proto):
    save_proto(member, proto, sus=[5, 1, 5, 1, 5, None, None, None, None, None], submit=False)

    review, missing = save_proto(member, proto, sus=[None] * 5 + [1, 5, 1, 5, 1], submit=True)

    assert missing == [1, 2, 3, 4, 5]
    review.refresh_from_db()
    assert review.sus_score is None
    assert review.sus_answers() == [None] * 5 + [1, 5, 1, 5, 1]


def test_changing_answers_after_sending_changes_the_score(member, proto):
    save_proto(member, proto, sus=[5, 1] * 5, submit=True)

    review, missing = save_proto(member, proto, sus=[1, 5] * 5, submit=False)

    assert missing == []
    review.refresh_from_db()
    assert float(review.sus_score) == 0.0  # not the 100 of the answers it replaced
    assert review.submitted_at is not None


def test_a_sent_review_cannot_lose_an_answer(member, proto):
    save_proto(member, proto, sus=[5, 1] * 5, submit=True)

    with pytest.raises(ValidationError) as refused:
        save_proto(member, proto, sus=[None, 5] + [5, 1] * 4, submit=False)

    assert "statement 1 needs an answer" in str(refused.value)
    review = PrototypeReview.objects.get(member=member)
    assert review.sus_answers() == [5, 1] * 5 and float(review.sus_score) == 100.0


def test_the_same_version_in_a_second_consultation_leaves_the_first_review_alone(member, proto):

    save_proto(member, proto, sus=[5, 1] * 5, submit=True)
    second = prototype_consultation(proto["prototype"], slug="second-look")

    with pytest.raises(ValidationError) as refused:
        prototypes_services.save_prototype_review(
            member=member, consultation=second, screens={}, sus=sus_dict([1, 5] * 5), submit=False
        )

    assert "already reviewed this version of the app" in str(refused.value)
    review = PrototypeReview.objects.get(member=member)
    assert (review.consultation, float(review.sus_score)) == (proto["consultation"], 100.0)
    assert InvolvementRecord.objects.filter(member=member, consultation=second).count() == 0
