"""What feedback holds about one member, for their data page and download, and erasing the
free text they wrote: registered under engagement.membership.hooks (MEMBER_DATA,
ERASE_FREE_TEXT) in feedback/wagtail_hooks.py, so that membership never imports feedback."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from engagement.membership.hooks import Entry, Field, Section, iso
from feedback.outcomes.models import OutcomeNotice
from feedback.prototypes.models import SUS_NUMBERS, PrototypeReview, ScreenComment
from feedback.questionnaires.models import ItemFeedback, QuestionnaireReview

# Free text a member writes in feedback, per model: blanked when they leave or when the
# consultation's free text passes its retention period. Ratings and choices stay.
REVIEW_TEXT = ["missing_topics", "overall_comment"]
ITEM_TEXT = ["own_words", "unclear_words", "suggested_rewording", "comment"]
SCREEN_TEXT = ["comment"]


def _text(value):
    return str(value) if value not in (None, "") else value


def member_data(member) -> list[Section]:
    """Questionnaire reviews with each item's feedback, prototype reviews with each screen's
    comment, and the outcome notices sent (5 queries, however many)."""
    reviews = (
        QuestionnaireReview.objects.filter(member=member)
        .select_related("questionnaire")
        .prefetch_related(
            Prefetch(
                "answers",
                ItemFeedback.objects.select_related("item").order_by("item__sort_order", "pk"),
            )
        )
        .order_by("started_at", "pk")
    )
    questionnaire_entries = [
        Entry(
            review.questionnaire.title,
            [
                Field("questionnaire", _("Questionnaire"), review.questionnaire.title),
                Field("started_at", _("Started"), iso(review.started_at)),
                Field("submitted_at", _("Sent"), iso(review.submitted_at)),
                Field(
                    "instructions_clear",
                    _("Were the instructions clear?"),
                    _text(review.get_instructions_clear_display()),
                ),
                Field("missing_topics", _("Anything missing"), review.missing_topics),
                Field("length_burden", _("Its length"), _text(review.get_length_burden_display())),
                Field("overall_comment", _("Your comment"), review.overall_comment),
            ],
            parts=[
                Entry(
                    answer.item.text,
                    [
                        Field("relevance", _("Relevance"), str(answer.get_relevance_display())),
                        Field("own_words", _("In your own words"), answer.own_words),
                        Field("unclear_words", _("Unclear words"), answer.unclear_words),
                        Field(
                            "recall_fit",
                            _("Recall period"),
                            _text(answer.get_recall_fit_display()),
                        ),
                        Field(
                            "options_fit",
                            _("Answer options fit"),
                            _text(answer.get_options_fit_display()),
                        ),
                        Field(
                            "upsetting",
                            _("Upsetting or intrusive"),
                            _text(answer.get_upsetting_display()),
                        ),
                        Field("would_skip", _("Would skip it"), answer.would_skip),
                        Field(
                            "suggested_rewording",
                            _("Suggested rewording"),
                            answer.suggested_rewording,
                        ),
                        Field("comment", _("Comment"), answer.comment),
                    ],
                )
                for answer in review.answers.all()
            ],
        )
        for review in reviews
    ]
    prototype_reviews = (
        PrototypeReview.objects.filter(member=member)
        .select_related("prototype")
        .prefetch_related(
            Prefetch(
                "screens",
                ScreenComment.objects.select_related("screen").order_by("screen__sort_order"),
            )
        )
        .order_by("started_at", "pk")
    )
    prototype_entries = [
        Entry(
            review.prototype.title,
            [
                Field("prototype", _("App design"), review.prototype.title),
                Field("started_at", _("Started"), iso(review.started_at)),
                Field("submitted_at", _("Sent"), iso(review.submitted_at)),
                Field(
                    "sus_answers",
                    _("Your answers to the 10 usability statements (1 to 5)"),
                    [getattr(review, f"sus_{n}") for n in SUS_NUMBERS],
                ),
                Field(
                    "sus_score",
                    _("Usability score"),
                    str(review.sus_score) if review.sus_score is not None else None,
                ),
            ],
            parts=[
                Entry(
                    comment.screen.title,
                    [
                        Field("ease", _("How easy"), _text(comment.get_ease_display())),
                        Field("comment", _("Comment"), comment.comment),
                    ],
                )
                for comment in review.screens.all()
            ],
        )
        for review in prototype_reviews
    ]
    notices = [
        Entry(
            notice.page.title,
            [
                Field("outcome", _("Outcome"), notice.page.title),
                Field("sent_at", _("Told you"), iso(notice.sent_at)),
            ],
        )
        for notice in OutcomeNotice.objects.filter(member=member)
        .select_related("page")
        .order_by("sent_at", "pk")
    ]
    return [
        Section(
            "questionnaire_reviews", _("Your questionnaire reviews"), 60, questionnaire_entries
        ),
        Section("prototype_reviews", _("Your app design reviews"), 61, prototype_entries),
        Section("outcome_notices", _("What we told you came of it"), 70, notices),
    ]


def _blank(queryset, fields) -> int:
    has_text = Q()
    for name in fields:
        has_text |= ~Q(**{name: ""})
    return queryset.filter(has_text).update(**dict.fromkeys(fields, ""))


def erase_free_text(*, member_ids=None, consultation_ids=None) -> int:
    """Blank every free-text answer written by these members or in these consultations."""
    reviews = QuestionnaireReview.objects.all()
    items = ItemFeedback.objects.all()
    screens = ScreenComment.objects.all()
    if member_ids is not None:
        reviews = reviews.filter(member_id__in=member_ids)
        items = items.filter(review__member_id__in=member_ids)
        screens = screens.filter(review__member_id__in=member_ids)
    if consultation_ids is not None:
        reviews = reviews.filter(questionnaire__consultation_id__in=consultation_ids)
        items = items.filter(review__questionnaire__consultation_id__in=consultation_ids)
        screens = screens.filter(review__consultation_id__in=consultation_ids)
    return _blank(reviews, REVIEW_TEXT) + _blank(items, ITEM_TEXT) + _blank(screens, SCREEN_TEXT)
