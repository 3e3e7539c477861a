"""Demo content for structured feedback (`manage.py load_demo`, "load_demo" hook): a draft
PRO questionnaire in the open demo consultation, some item reviews and prototype reviews."""

import random

from engagement.consultations.models import Consultation
from engagement.membership.models import Member

from . import services
from .models import Item, PrototypeReview, Questionnaire

ITEMS = [
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


def build(context: dict) -> list[str]:
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    consultation = Consultation.objects.get(slug="which-features-matter")
    questionnaire, created = Questionnaire.objects.get_or_create(
        title="Recovery after CAR-T (draft)",
        version=1,
        defaults={
            "status": Questionnaire.Status.IN_REVIEW,
            "consultation": consultation,
            "recall_period": "the past 7 days",
            "instructions": "These questions ask about the past 7 days. Choose the answer "
            "that fits you best. There are no right or wrong answers.",
        },
    )
    if created:
        for order, text in enumerate(ITEMS):
            Item.objects.create(
                questionnaire=questionnaire,
                text=text,
                sort_order=order,
                response_options=OPTIONS,
                response_type=Item.ResponseType.SCALE,
            )
    crowd = list(Member.objects.filter(display_name__startswith="Demo member", user=None))
    items = list(questionnaire.items.all())
    for member in crowd[:6]:
        review = services.start_review(member=member, questionnaire=questionnaire)
        if review.submitted_at:
            continue
        for index, item in enumerate(items):
            data = {"relevance": rng.choice([3, 4, 4, 2])}
            if index == 3 and member.pk % 2:
                data["unclear_words"] = "concentrate"
                data["suggested_rewording"] = "Has it been hard to keep your mind on things?"
            if index == 5:
                data["upsetting"] = rng.choice(["no", "a_little"])
            services.save_item_feedback(review=review, item=item, data=data)
        services.save_overall(
            review=review, data={"instructions_clear": "yes", "length_burden": "about_right"}
        )
        services.submit_review(review=review)
    prototype = context["prototype"]
    screens = list(prototype.screens.all())
    for member in crowd[:10]:
        if PrototypeReview.objects.filter(member=member, prototype=prototype).exists():
            continue
        services.save_prototype_review(
            member=member,
            consultation=consultation,
            screens={s.pk: {"ease": rng.choice([3, 4, 5]), "comment": ""} for s in screens},
            sus={n: rng.choice([4, 5]) if n % 2 else rng.choice([1, 2]) for n in range(1, 11)},
            submit=True,
        )
    return [f"Questionnaire to review: {questionnaire} ({len(items)} items)"]
