"""A member with something in every table that holds personal data: for their data page (and
its query count at two sizes) and for proving that leaving erases them.

member_with_everything(tree, scale=N) writes N of each thing straight to the tables (the
services that write them have their own tests). Every piece of free text carries the marker
FREE_TEXT, so a test can search for it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cms.models import PrototypeScreen
from engagement.models import (
    ActivityType,
    ConsentPurpose,
    EqualityAnswers,
    Feature,
    Idea,
    Invitation,
    InvolvementRecord,
    Member,
    PollAnswer,
    PollChoice,
    Registration,
    RegistrationSettings,
    Role,
    Vote,
)
from feedback.models import (
    ItemFeedback,
    OutcomeNotice,
    PrototypeReview,
    QuestionnaireReview,
    ScreenComment,
)
from tests.factories.cms import EventPageFactory, PrototypePageFactory
from tests.factories.consultations import ConsultationFactory, PollFactory
from tests.factories.feedback import QuestionnaireFactory
from tests.factories.files import PNG
from tests.factories.membership import CampaignFactory, InterestFactory, MemberFactory
from tests.factories.outcomes import outcome_index, outcome_page

NAME = "Zelda Quartermaine"
EMAIL = "zelda.quartermaine@example.org"
PHONE = "07700 900432"
ACCESS = "Zelda needs step-free access"
FREE_TEXT = "zq-free-text"

SURNAME = "Quartermaine"
SECRETS = [NAME, SURNAME, EMAIL, PHONE, ACCESS, FREE_TEXT]


def member_with_everything(tree, *, scale: int = 1, prefix: str = "") -> Member:
    name, email = f"{prefix}{NAME}", f"{prefix}{EMAIL}"
    member = MemberFactory(
        display_name=name,
        user__email=email,
        user__first_name=name,
        role=Role.PATIENT,
        access_needs=ACCESS,
        contact_preference=Member.ContactPreference.PHONE,
        phone=PHONE,
        campaign=CampaignFactory(),
        interests=[InterestFactory(name="Trying app designs")],
        consents=[
            ConsentPurpose.JOIN,
            ConsentPurpose.HEALTH_ROLE,
            ConsentPurpose.QUOTE,
            ConsentPurpose.PHONE,
            ConsentPurpose.EQUALITY,
        ],
        verified_email=True,
    )
    EqualityAnswers.objects.create(
        member=member,
        age_band="45_54",
        sex="female",
        gender_same_as_sex="yes",
        ethnic_group="white_irish",
        long_term_condition="yes",
        activity_limited="a_little",
        area="north_west",
    )
    index = outcome_index(tree["home"])
    for n in range(scale):
        text = f"{FREE_TEXT} {n} from {name}"
        consultation = ConsultationFactory(title=f"Consultation {prefix}{n}")
        features = [
            Feature.objects.create(consultation=consultation, title=f"Feature {i}", sort_order=i)
            for i in range(2)
        ]
        for feature in features:
            Vote.objects.create(
                consultation=consultation, feature=feature, member=member, kind="support", value=1
            )
        poll = PollFactory(consultation=consultation, allow_other=True, choices=["Daily"])
        PollAnswer.objects.create(
            poll=poll, member=member, choice=PollChoice.objects.get(poll=poll)
        )
        PollAnswer.objects.create(poll=poll, member=member, other_text=text)
        Invitation.objects.create(consultation=consultation, member=member, access_needs=text)
        record = InvolvementRecord.objects.create(
            member=member,
            consultation=consultation,
            activity_type=ActivityType.MEETING,
            description="Design workshop",
            date=datetime.date(2026, 1, 20),
            contact_minutes=60,
            source=InvolvementRecord.Source.MANAGER,
            payment_offered=Decimal("30.00"),
            payment_choice=InvolvementRecord.PaymentChoice.FULL,
            expenses_claimed=Decimal("4.50"),
        )
        record.receipt.save(f"{name} receipt {n}.png", ContentFile(PNG), save=True)
        questionnaire = QuestionnaireFactory(consultation=consultation, items=2)
        review = QuestionnaireReview.objects.create(
            member=member,
            questionnaire=questionnaire,
            submitted_at=timezone.now(),
            missing_topics=text,
            overall_comment=text,
        )
        for item in questionnaire.items.all():
            ItemFeedback.objects.create(
                review=review,
                item=item,
                relevance=3,
                own_words=text,
                unclear_words=text,
                suggested_rewording=text,
                comment=text,
            )
        prototype = PrototypePageFactory(
            parent=tree["prototype_index"], title=f"Design {prefix}{n}", slug=f"design-{prefix}{n}"
        )
        screen = PrototypeScreen.objects.create(page=prototype, title="Home", sort_order=0)
        prototype_review = PrototypeReview.objects.create(
            member=member,
            prototype=prototype,
            consultation=consultation,
            submitted_at=timezone.now(),
            sus_1=4,
            sus_score=Decimal("75"),
        )
        ScreenComment.objects.create(review=prototype_review, screen=screen, ease=4, comment=text)
        Idea.objects.create(member=member, title=text, description=text, consultation=consultation)
        Idea.objects.create(
            member=member, title=text, kind="topic", status="declined", decline_reason=text
        )
        taken = Idea.objects.create(member=member, title=text, description=text, status="accepted")
        # The team's wording of it: a feature others vote on, which stays when they leave.
        Feature.objects.create(
            consultation=consultation, title=f"Idea feature {n}", sort_order=9, idea=taken
        )
        page = outcome_page(
            index, consultation, publish=False, slug=f"outcome-{prefix}{n}", title=f"Outcome {n}"
        )
        OutcomeNotice.objects.create(member=member, page=page)
        # Two events: one registered for signed in, one as a visitor with the same address.
        for kind in ("member", "visitor"):
            event = EventPageFactory(
                parent=tree["event_index"],
                title=f"Event {prefix}{n} ({kind})",
                slug=f"event-{prefix}{n}-{kind}",
            )
            RegistrationSettings.objects.create(event=event, places=10, ask_dietary_needs=True)
            Registration.objects.create(
                event=event,
                member=member if kind == "member" else None,
                name=name,
                email=email,
                access_needs=text,
                dietary_needs=text,
                status=Registration.Status.CONFIRMED,
                place=1,
                place_given_at=timezone.now(),
            )
    return member
