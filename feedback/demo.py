"""Demo content for structured feedback (`manage.py load_demo`, "load_demo" hook): a draft
PRO questionnaire in the open demo consultation, some item reviews and prototype reviews, and
the "you said, we did" page of the closed consultation."""

import random

from engagement.consultations.models import Consultation
from engagement.membership.models import Member
from feedback.outcomes.models import OutcomeChange, OutcomeIndexPage, OutcomePage
from feedback.prototypes import services as prototypes_services
from feedback.prototypes.models import PrototypeReview
from feedback.questionnaires import services as questionnaires_services
from feedback.questionnaires.models import Item, Questionnaire

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
    _outcome(
        context["home"],
        Consultation.objects.get(slug="what-first"),
        context["prototype"],
    )
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
        review = questionnaires_services.start_review(member=member, questionnaire=questionnaire)
        if review.submitted_at:
            continue
        for index, item in enumerate(items):
            data = {"relevance": rng.choice([3, 4, 4, 2])}
            if index == 3 and member.pk % 2:
                data["unclear_words"] = "concentrate"
                data["suggested_rewording"] = "Has it been hard to keep your mind on things?"
            if index == 5:
                data["upsetting"] = rng.choice(["no", "a_little"])
            questionnaires_services.save_item_feedback(review=review, item=item, data=data)
        questionnaires_services.save_overall(
            review=review, data={"instructions_clear": "yes", "length_burden": "about_right"}
        )
        questionnaires_services.submit_review(review=review)
    prototype = context["prototype"]
    screens = list(prototype.screens.all())
    for member in crowd[:10]:
        if PrototypeReview.objects.filter(member=member, prototype=prototype).exists():
            continue
        prototypes_services.save_prototype_review(
            member=member,
            consultation=consultation,
            screens={s.pk: {"ease": rng.choice([3, 4, 5]), "comment": ""} for s in screens},
            sus={n: rng.choice([4, 5]) if n % 2 else rng.choice([1, 2]) for n in range(1, 11)},
            submit=True,
        )
    return [f"Questionnaire to review: {questionnaire} ({len(items)} items)"]


def _outcome(home, consultation, prototype) -> None:
    index = OutcomeIndexPage.objects.child_of(home).first()
    if index is None:
        index = OutcomeIndexPage(
            title="You said, we did",
            slug="you-said-we-did",
            intro="What we changed in the app because of what you told us.",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    if OutcomePage.objects.filter(consultation=consultation).exists():
        return
    page = OutcomePage(
        title="What the app will do first",
        slug="what-the-app-will-do-first",
        consultation=consultation,
        summary="You told us the symptom diary and contacting the care team matter most. "
        "They are now the first two screens of the app.",
        what_we_asked="<p>We asked you to rate five features from 1 to 9.</p>",
        reflections="<p>Patients and carers answered quickly. Fewer professionals took part "
        "than we hoped; next time we will invite them at a team meeting.</p>",
    )
    index.add_child(instance=page)
    features = {f.title: f for f in consultation.features.all()}
    screens = {s.title: s for s in prototype.screens.all()}
    change = OutcomeChange.objects.create(
        page=page,
        title="The symptom diary is now on the home screen",
        description="It takes two taps to record how you feel.",
        app_version=prototype,
        sort_order=0,
    )
    change.features.set([features["Symptom diary"]])
    change.screens.set([s for t, s in screens.items() if t == "Symptom diary"])
    change.save()
    change = OutcomeChange.objects.create(
        page=page,
        title="A button to contact your care team on every screen",
        app_version=prototype,
        sort_order=1,
    )
    change.features.set([features["Contact my care team"]])
    change.save()
    OutcomePage.objects.get(pk=page.pk).save_revision().publish()
