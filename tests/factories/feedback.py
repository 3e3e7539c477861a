"""Factories for structured feedback: questionnaires with items, reviews written through the
services (as a member would) or in bulk (for query counts), prototype set-ups with screens.

Members and managers come from tests/engagement/factories.py, consultations from
tests/engagement/consultation_factories.py, the page tree from tests/cms/factories.py.

QuestionnaireFactory()                 in review, in an open consultation, no items
QuestionnaireFactory(items=6)          with six items ("Item 1" ... "Item 6"), in order
QuestionnaireFactory(items=["A", "B"]) with these item texts
"""

from __future__ import annotations

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.models import PrototypeScreen
from engagement.membership.selectors import current_consent_texts
from engagement.models import Channel, ConsentPurpose, ConsentRecord, Consultation, Member
from feedback.models import (
    Item,
    ItemFeedback,
    PrototypeReview,
    Questionnaire,
    QuestionnaireReview,
    ScreenComment,
)
from feedback.prototypes import services as prototypes_services
from feedback.questionnaires import services as questionnaires_services
from tests.factories.cms import PrototypePageFactory
from tests.factories.consultations import ConsultationFactory

ITEM_TEXTS = [
    "How tired have you felt?",
    "How much has tiredness stopped you doing things you wanted to do?",
    "Have you had trouble remembering things?",
    "Have you found it hard to concentrate, for example on reading or TV?",
    "How often have you felt low or down?",
    "How worried have you been about your health?",
    "How much have you been able to do your usual daily activities?",
    "Have you been able to go back to work, study or caring, as much as you wanted?",
]
OPTIONS = "Not at all\nA little\nQuite a bit\nVery much"
ROLE_CYCLE = ["patient", "carer", "public", "clinician"]
_counter = itertools.count(1)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Recovery after CAR-T ({n})")
    version = 1
    status = Questionnaire.Status.IN_REVIEW
    consultation = factory.SubFactory(ConsultationFactory)
    recall_period = "the past 7 days"
    instructions = "These questions ask about the past 7 days. There are no wrong answers."

    class Meta:
        model = Questionnaire
        skip_postgeneration_save = True

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        """items=N: N items "Item 1".."Item N"; items=[texts]: those texts, in order."""
        if not (create and extracted):
            return
        texts = extracted
        if isinstance(extracted, int):
            texts = [f"Item {i}" for i in range(1, extracted + 1)]
        for order, text in enumerate(texts):
            Item.objects.create(
                questionnaire=obj, text=text, sort_order=order, response_options=OPTIONS
            )


def items_of(questionnaire: Questionnaire) -> list[Item]:
    return list(questionnaire.items.order_by("sort_order"))


def review_all(member, questionnaire, *, submit=True, **data) -> QuestionnaireReview:
    """The member answers every item through the services (relevance 4 unless given)."""
    review = questionnaires_services.start_review(member=member, questionnaire=questionnaire)
    for item in items_of(questionnaire):
        questionnaires_services.save_item_feedback(
            review=review, item=item, data={"relevance": 4, **data}
        )
    if submit:
        questionnaires_services.submit_review(review=review)
    review.refresh_from_db()
    return review


def give_consent(member, purpose=ConsentPurpose.QUOTE) -> None:
    ConsentRecord.objects.create(
        member=member, text=current_consent_texts()[purpose], channel=Channel.WEB
    )


def bulk_members(n: int, *, prefix: str = "reviewer") -> list[Member]:
    """n active members (roles cycling patient, carer, public, clinician) in two queries."""
    user_model = get_user_model()
    start = next(_counter) * 100_000
    users = user_model.objects.bulk_create(
        [user_model(email=f"{prefix}{start + i}@example.org") for i in range(n)]
    )
    return Member.objects.bulk_create(
        [
            Member(
                user=user,
                display_name=f"Reviewer {start + i}",
                role=ROLE_CYCLE[i % len(ROLE_CYCLE)],
                status=Member.Status.ACTIVE,
                channel=Channel.WEB,
                confirmed_at=timezone.now(),
            )
            for i, user in enumerate(users)
        ]
    )


def bulk_reviews(questionnaire: Questionnaire, n: int) -> list[QuestionnaireReview]:
    """n submitted reviews answering every item, with some text and flags, in a few queries
    (the services have their own tests; this is data for the analysis pages)."""
    members = bulk_members(n)
    reviews = QuestionnaireReview.objects.bulk_create(
        [
            QuestionnaireReview(
                member=m, questionnaire=questionnaire, submitted_at=timezone.now(), position=99
            )
            for m in members
        ]
    )
    answers = []
    for i, review in enumerate(reviews):
        for j, item in enumerate(items_of(questionnaire)):
            answers.append(
                ItemFeedback(
                    review=review,
                    item=item,
                    relevance=1 + (i + j) % 4,
                    unclear_words="fatigue" if (i + j) % 3 == 0 else "",
                    upsetting="yes" if (i + j) % 5 == 0 else "no",
                    comment=f"Comment {i}/{j}",
                    suggested_rewording=f"Rewording {i}/{j}" if i % 2 else "",
                )
            )
    ItemFeedback.objects.bulk_create(answers)
    return reviews


# --- Prototypes ------------------------------------------------------------------------------


def add_screens(prototype, titles=("Sign in", "Today's symptoms", "My diary")) -> list:
    """More screens after those the prototype has, in order."""
    start = prototype.screens.count()
    for offset, title in enumerate(titles):
        PrototypeScreen.objects.create(
            page=prototype, title=title, sort_order=start + offset, description=f"{title}."
        )
    return list(prototype.screens.order_by("sort_order"))


def second_prototype(
    tree, *, title="PRO-CAR-T app", version_label="v0.4", slug="pro-car-t-app-v04"
):
    """Another version of the app under the same prototype index, with one screen."""
    page = PrototypePageFactory(
        parent=tree["prototype_index"], title=title, slug=slug, version_label=version_label
    )
    PrototypeScreen.objects.create(page=page, title="New home screen", sort_order=0)
    return page


def prototype_consultation(prototype, **kwargs) -> Consultation:
    return ConsultationFactory(prototype=prototype, title="Try the app design", **kwargs)


def sus_dict(answers: list[int | None]) -> dict[int, int | None]:
    return dict(enumerate(answers, start=1))


def bulk_prototype_reviews(
    prototype, n: int, *, scores=None, consultation=None
) -> list[PrototypeReview]:
    """n submitted prototype reviews with SUS answers and a comment per screen, in a few
    queries, sent in `consultation` (a review counts in the consultation it was given in; none:
    in no consultation's findings). scores: SUS answer lists to cycle through (default: a
    spread)."""
    scores = scores or [
        [4, 2, 4, 2, 4, 2, 4, 2, 4, 2],  # 75
        [5, 1, 5, 1, 5, 1, 5, 1, 5, 1],  # 100
        [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],  # 50
        [2, 4, 2, 4, 2, 4, 2, 4, 2, 4],  # 25
    ]
    members = bulk_members(n, prefix="tester")
    reviews = PrototypeReview.objects.bulk_create(
        [
            PrototypeReview(
                member=m,
                prototype=prototype,
                consultation=consultation,
                submitted_at=timezone.now() - datetime.timedelta(minutes=i),
                sus_score=prototypes_services.sus_score(scores[i % len(scores)]),
                **{f"sus_{k}": v for k, v in enumerate(scores[i % len(scores)], start=1)},
            )
            for i, m in enumerate(members)
        ]
    )
    screens = list(prototype.screens.all())
    ScreenComment.objects.bulk_create(
        [
            ScreenComment(review=r, screen=s, ease=1 + (i % 5), comment=f"Screen note {i}")
            for i, r in enumerate(reviews)
            for s in screens
        ]
    )
    return reviews
