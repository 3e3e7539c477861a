"""Demo content for the stakeholder group, built by `manage.py load_demo` (through the
"load_demo" Wagtail hook): members, a campaign, a rate card, an open consultation the demo
patient partner can vote in, a closed one (whose "you said, we did" page feedback's demo
adds), and places at both events: the patient and carer day to come, nearly full, and the
regional event, where the demo patient partner came (so it is in their involvement log)."""

import datetime
import random

from django.utils import timezone

from engagement.consultations import selectors
from engagement.consultations import services as consultations_services
from engagement.consultations.models import Consultation, Feature, Poll, PollChoice
from engagement.events import services as events_services
from engagement.events.models import RegistrationSettings
from engagement.ideas.models import Idea
from engagement.involvement.models import RateCard
from engagement.membership import services as membership_services
from engagement.membership.models import Campaign, Channel, ConsentPurpose, Interest, Member, Role

FEATURES = [
    ("Symptom diary", "Write down how you feel each day, in a few taps.", "Symptom diary"),
    ("Medication reminders", "A gentle reminder when it is time to take your medicines.",
     "Medication reminders"),
    ("Contact my care team", "Send a message or call your CAR-T team from the app.",
     "Contact my care team"),
    ("Side-effect alerts", "Tells you when a symptom needs a call to the hospital straight away.",
     None),
    ("Wellbeing check-ins", "Short questions about mood, sleep and energy every week.",
     "Wellbeing check-in"),
]  # fmt: skip
# Synthetic members (no accounts, as if they answered on paper) so results have something in.
DEMO_CROWD = [Role.PATIENT] * 8 + [Role.CARER] * 5 + [Role.PUBLIC] * 9 + [Role.CLINICIAN] * 4


def build(context: dict) -> list[str]:
    rng = random.Random(20261126)  # noqa: S311 - demo data, not security
    now = timezone.now()
    campaign = _campaign(context["past_event"])
    _rate_card()
    patient = _patient_member(context["users"]["patient"], campaign)
    crowd = _crowd()
    open_consultation = _open_consultation(context["prototype"], now)
    closed = _closed_consultation(context["prototype"], now, [patient, *crowd], rng)
    # A few of the crowd have already voted in the open consultation.
    features = list(open_consultation.features.all())
    for member in crowd[::3]:
        if not selectors.my_votes(member, open_consultation):
            consultations_services.cast_votes(
                member=member,
                consultation=open_consultation,
                values={rng.choice(features).pk: 1, rng.choice(features).pk: 1},
            )
    _ideas(patient, crowd, open_consultation)
    _event_places(context["future_event"], context["past_event"], patient)
    return [
        f"Open consultation:   /consultations/{open_consultation.slug}/",
        "Ideas to review:     /admin/ideas/",
        f"Closed consultation: /consultations/{closed.slug}/results/",
        f"QR campaign:         /join/{campaign.code}/  (kiosk: /join/{campaign.code}/kiosk/)",
    ]


def _campaign(event) -> Campaign:
    campaign, _ = Campaign.objects.update_or_create(
        code="cart-day",
        defaults={
            "label": "Regional CAR-T event stand",
            "pitch": "Help us design an app for people having CAR-T therapy. It takes a minute.",
            "event": event,
        },
    )
    return campaign


def _rate_card() -> None:
    for activity, amount, start, end in [
        ("meeting", "25.00", datetime.date(2024, 4, 1), datetime.date(2025, 11, 30)),
        ("meeting", "27.50", datetime.date(2025, 12, 1), None),
        ("voting", "27.50", datetime.date(2025, 12, 1), None),
        ("questionnaire_review", "27.50", datetime.date(2025, 12, 1), None),
        ("prototype_review", "27.50", datetime.date(2025, 12, 1), None),
        ("event", "27.50", datetime.date(2025, 12, 1), None),
    ]:
        RateCard.objects.update_or_create(
            activity_type=activity,
            valid_from=start,
            defaults={"amount": amount, "valid_until": end, "basis": RateCard.Basis.HOURLY},
        )


def _patient_member(user, campaign) -> Member:
    member, created = Member.objects.get_or_create(
        user=user,
        defaults={
            "display_name": user.first_name,
            "role": Role.PATIENT,
            "status": Member.Status.ACTIVE,
            "channel": Channel.QR,
            "campaign": campaign,
            "confirmed_at": timezone.now(),
            "access_needs": "Larger text helps on bad days.",
        },
    )
    if created:
        member.interests.set(Interest.objects.all()[:3])
    for purpose in [ConsentPurpose.JOIN, ConsentPurpose.HEALTH_ROLE, ConsentPurpose.QUOTE]:
        membership_services.give_consent(member=member, purpose=purpose, channel=Channel.QR)
    return member


def _crowd() -> list[Member]:
    crowd = []
    for number, role in enumerate(DEMO_CROWD, start=1):
        member, _ = Member.objects.get_or_create(
            display_name=f"Demo member {number}",
            user=None,
            defaults={
                "role": role,
                "status": Member.Status.ACTIVE,
                "channel": Channel.ASSISTED,
                "confirmed_at": timezone.now(),
            },
        )
        membership_services.give_consent(
            member=member, purpose=ConsentPurpose.JOIN, channel=Channel.ASSISTED
        )
        crowd.append(member)
    return crowd


def _features(consultation, prototype) -> None:
    screens = {s.title: s for s in prototype.screens.all()}
    for order, (title, description, screen) in enumerate(FEATURES):
        Feature.objects.update_or_create(
            consultation=consultation,
            title=title,
            defaults={
                "description": description,
                "sort_order": order,
                "screen": screens.get(screen),
            },
        )


def _open_consultation(prototype, now) -> Consultation:
    consultation, created = Consultation.objects.get_or_create(
        slug="which-features-matter",
        defaults={
            "title": "Which app features matter most to you?",
            "summary": "You have points to give to the features you want most in the app.",
            "description": (
                "We cannot build everything at once. Tell us which features would help you most "
                "in the months after CAR-T therapy. You can change your points until it closes."
            ),
            "opens_at": now - datetime.timedelta(days=2),
            "released_at": now - datetime.timedelta(days=2),
            "closes_at": now + datetime.timedelta(days=28),
            "voting_method": Consultation.Method.POINTS,
            "results_visibility": Consultation.Visibility.AFTER_CLOSE,
            "prototype": prototype,
        },
    )
    _features(consultation, prototype)
    poll, _ = Poll.objects.get_or_create(
        consultation=consultation,
        question="When would you most likely use the app?",
        defaults={"kind": Poll.Kind.SINGLE, "allow_other": True},
    )
    for order, text in enumerate(["In the morning", "During the day", "In the evening"]):
        PollChoice.objects.get_or_create(poll=poll, text=text, defaults={"sort_order": order})
    return consultation


def _closed_consultation(prototype, now, members, rng) -> Consultation:
    consultation = Consultation.objects.filter(slug="what-first").first()
    if consultation is not None:
        return consultation
    consultation = Consultation.objects.create(
        slug="what-first",
        title="What should the app do first?",
        summary="Rate each feature from 1 (not important) to 9 (critical).",
        opens_at=now - datetime.timedelta(days=60),
        released_at=now - datetime.timedelta(days=60),
        closes_at=now + datetime.timedelta(days=1),
        voting_method=Consultation.Method.DELPHI,
        results_visibility=Consultation.Visibility.AFTER_CLOSE,
        prototype=prototype,
    )
    _features(consultation, prototype)
    features = list(consultation.features.all())
    leaning = {0: 8, 1: 7, 2: 8, 3: 6, 4: 4}  # where the group's ratings centre, per feature
    for member in members:
        values = {
            f.pk: max(1, min(9, leaning[i] + rng.choice([-2, -1, 0, 0, 1, 1])))
            for i, f in enumerate(features)
        }
        consultations_services.cast_votes(member=member, consultation=consultation, values=values)
    # It closed five weeks ago.
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=now - datetime.timedelta(days=35)
    )
    consultation.refresh_from_db()
    return consultation


def _ideas(patient, crowd, consultation) -> None:
    """Two ideas members put forward, waiting for a manager's review."""
    Idea.objects.get_or_create(
        member=patient,
        title="A reminder to drink water",
        defaults={
            "description": "On tired days I forget to drink enough.",
            "consultation": consultation,
        },
    )
    Idea.objects.get_or_create(
        member=crowd[0],
        title="Going back to work after treatment",
        defaults={"kind": Idea.Kind.TOPIC, "description": "How others managed it."},
    )


# Visitors who registered for the patient and carer day without joining the group.
DEMO_VISITORS = [
    ("Alex Morgan", "Step-free access, please.", ""),
    ("Jo Patel", "", "Vegetarian"),
    ("Chris Evans", "A seat near the front: I do not hear well.", ""),
    ("Sam's partner, Lee", "", "Gluten free"),
]


def _event_places(future, past, patient: Member) -> None:
    """Places at both events (registrations made through the services, so the places, the
    waiting list and the involvement record are as the site would make them; running the demo
    again finds them made)."""
    day = RegistrationSettings.objects.filter(event=future).first()
    if day is None:
        day = events_services.save_settings(
            settings=RegistrationSettings(
                event=future,
                places=6,
                closes_at=future.start - datetime.timedelta(days=2),
                ask_access_needs=True,
                ask_dietary_needs=True,
                waiting_list=True,
            )
        )
    user = patient.user
    events_services.register(
        event=future,
        name=patient.display_name,
        email=user.email,
        access_needs=patient.access_needs,
        member=patient,
    )
    for number, (name, access, diet) in enumerate(DEMO_VISITORS, start=1):
        events_services.register(
            event=future,
            name=name,
            email=f"visitor{number}@example.org",
            access_needs=access,
            dietary_needs=diet,
        )
    # The regional event took registrations before it, and the demo patient partner came.
    if not RegistrationSettings.objects.filter(event=past).exists():
        events_services.save_settings(
            settings=RegistrationSettings(event=past, places=40, ask_access_needs=True)
        )
    before = past.start - datetime.timedelta(days=14)
    registration, _created = events_services.register(
        event=past, name=patient.display_name, email=user.email, member=patient, now=before
    )
    for number in range(1, 4):
        events_services.register(
            event=past,
            name=f"Stand visitor {number}",
            email=f"stand{number}@example.org",
            now=before,
        )
    events_services.record_attendance(registration=registration, attended=True)
