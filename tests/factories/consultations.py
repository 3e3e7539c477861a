"""Factories for consultations: features to vote on, polls and their choices, invitations.

Members, users and managers come from tests/engagement/factories.py.

ConsultationFactory()                         open now (opened a day ago, closes in a week)
ConsultationFactory(closed=True)              closed yesterday
ConsultationFactory(upcoming=True)            opens tomorrow
ConsultationFactory(features=5)               with five features ("Feature 1" ... "Feature 5")
ConsultationFactory(voting_method="points")   points (budget: a quarter of the features)
ConsultationFactory(draft=True)               a draft: not opened by a manager, not seen by members
"""

import datetime

import factory
from django.utils import timezone

from engagement.models import Consultation, Feature, Invitation, Poll, PollChoice, Vote


class ConsultationFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Which app features matter? ({n})")
    slug = factory.Sequence(lambda n: f"app-features-{n}")
    summary = "Tell us which features of the CAR-T app matter most to you."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    audience = Consultation.Audience.ALL_ACTIVE
    voting_method = Consultation.Method.SUPPORT
    results_visibility = Consultation.Visibility.LIVE
    # Opened (or scheduled) by a manager, so members see it; draft=True for one they do not.
    released_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        draft = factory.Trait(released_at=None)
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=8)),
        )

    @factory.post_generation
    def features(obj, create, extracted, **kwargs):
        """features=N creates N features titled "Feature 1".."Feature N" in that order."""
        if create and extracted:
            for i in range(1, extracted + 1):
                FeatureFactory(consultation=obj, title=f"Feature {i}", sort_order=i)


class FeatureFactory(factory.django.DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Feature {n}")
    description = "What this feature does, in plain words."
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = Feature


class PollFactory(factory.django.DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory)
    question = factory.Sequence(lambda n: f"How would you use the app? ({n})")
    kind = Poll.Kind.SINGLE
    allow_other = False

    class Meta:
        model = Poll
        skip_postgeneration_save = True

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):
        """choices=["A", "B"] creates those choices in order."""
        if create and extracted:
            for i, text in enumerate(extracted):
                PollChoice.objects.create(poll=obj, text=text, sort_order=i)


class InvitationFactory(factory.django.DjangoModelFactory):
    consultation = factory.SubFactory(ConsultationFactory)
    member = None  # always pass one

    class Meta:
        model = Invitation


def add_votes(consultation, member, values: dict, *, vote_round: int = 1) -> list[Vote]:
    """Write votes straight to the table (for results tests): {feature: value}. The kind follows
    the consultation's voting method. Bypasses the services on purpose, so results tests do not
    depend on the voting rules (which have their own tests)."""
    kind = {
        Consultation.Method.SUPPORT: Vote.Kind.SUPPORT,
        Consultation.Method.POINTS: Vote.Kind.POINTS,
        Consultation.Method.DELPHI: Vote.Kind.RATING,
    }[consultation.voting_method]
    return Vote.objects.bulk_create(
        [
            Vote(
                consultation=consultation,
                feature=feature,
                member=member,
                kind=kind,
                value=value,
                round=vote_round,
            )
            for feature, value in values.items()
        ]
    )


ROLE_CYCLE = ["patient", "carer", "public", "clinician"]


def bulk_voters(consultation, n: int, *, value=None, vote_round: int = 1) -> list:
    """n active members (roles cycling patient, carer, public, clinician) who each vote on every
    feature of the consultation, created in a handful of queries (for query-count tests).
    value: the vote value (default: 1 for support and points, member-dependent 1–9 for Delphi)."""
    from django.contrib.auth import get_user_model

    from engagement.models import Channel, Member

    user_model = get_user_model()
    start = user_model.objects.count()
    users = user_model.objects.bulk_create(
        [user_model(email=f"voter{start + i}@example.org") for i in range(n)]
    )
    members = Member.objects.bulk_create(
        [
            Member(
                user=user,
                display_name=f"Voter {start + i}",
                role=ROLE_CYCLE[i % len(ROLE_CYCLE)],
                status=Member.Status.ACTIVE,
                channel=Channel.WEB,
            )
            for i, user in enumerate(users)
        ]
    )
    features = list(consultation.features.all())
    for i, member in enumerate(members):
        if value is not None:
            v = value
        elif consultation.voting_method == Consultation.Method.DELPHI:
            v = 1 + i % 9
        else:
            v = 1
        add_votes(consultation, member, dict.fromkeys(features, v), vote_round=vote_round)
    return members
