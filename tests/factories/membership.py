"""Factories for the stakeholder group: users, members, campaigns, consent.

The first consent texts (version 1 of "join", "health_role" and "quote") and the starting
interests come from engagement.membership.initial_content (migration 0003), exactly as on a
fresh installation: `consent_text()` and `ConsentTextFactory` (for new versions) build on that
data instead of inventing their own.
"""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.roles import MANAGERS_GROUP
from engagement.membership.selectors import current_consent_texts
from engagement.models import (
    Campaign,
    Channel,
    ConsentPurpose,
    ConsentRecord,
    ConsentText,
    Interest,
    Member,
    Role,
)

User = get_user_model()


def consent_text(purpose: str, version: int = 1) -> ConsentText:
    """A consent text the migration published (or a later version a test added)."""
    return ConsentText.objects.get(purpose=purpose, version=version)


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Person {n}")

    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """UserFactory(verified_email=True): allauth knows the address and it is confirmed, so
        the user can sign in (by code) like a member who confirmed their sign-up."""
        if create and extracted:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"primary": True, "verified": True}
            )


class ManagerFactory(UserFactory):
    """A PPIE manager: in the group cms.roles declares (applied after migrate)."""

    email = factory.Sequence(lambda n: f"manager{n}@example.org")

    @factory.post_generation
    def managers_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=MANAGERS_GROUP))


class InterestFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Interest {n}")
    sort_order = factory.Sequence(lambda n: 100 + n)

    class Meta:
        model = Interest
        django_get_or_create = ["name"]


class CampaignFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"event-{n}")
    label = factory.Sequence(lambda n: f"Event stand {n}")
    pitch = "Tell us what the app should do."
    active_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    active_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))

    class Meta:
        model = Campaign


class ConsentTextFactory(factory.django.DjangoModelFactory):
    """A NEW version of a purpose's text (version = the highest so far + 1), published now."""

    purpose = ConsentPurpose.QUOTE
    version = factory.LazyAttribute(
        lambda o: (
            ConsentText.objects.filter(purpose=o.purpose).order_by("-version").first().version + 1
            if ConsentText.objects.filter(purpose=o.purpose).exists()
            else 1
        )
    )
    statement = factory.LazyAttribute(lambda o: f"New wording for {o.purpose}, v{o.version}.")
    body = factory.LazyAttribute(lambda o: f"The full text of {o.purpose}, version {o.version}.")
    published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ConsentText


class MemberFactory(factory.django.DjangoModelFactory):
    """An active member who confirmed their email.

    MemberFactory(verified_email=True)  allauth EmailAddress, verified: can sign in by code
    MemberFactory(interests=[...])      interests
    MemberFactory(consents=["join", "quote"])  records to the current versions (default: join,
                                        plus health_role for patient/carer roles)
    MemberFactory(pending=True)         not yet confirmed (no confirmed_at, status pending)
    """

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    role = Role.PUBLIC
    status = Member.Status.ACTIVE
    channel = Channel.WEB
    joined_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))

    class Meta:
        model = Member
        skip_postgeneration_save = True

    class Params:
        pending = factory.Trait(status=Member.Status.PENDING, confirmed_at=None)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and obj.user_id:
            EmailAddress.objects.update_or_create(
                user=obj.user,
                email=obj.user.email,
                defaults={"primary": True, "verified": bool(extracted)},
            )

    @factory.post_generation
    def interests(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.interests.set(extracted)

    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [ConsentPurpose.JOIN]
            if obj.role in {Role.PATIENT, Role.CARER}:
                extracted.append(ConsentPurpose.HEALTH_ROLE)
        texts = current_consent_texts()
        for purpose in extracted:
            ConsentRecord.objects.create(
                member=obj, text=texts[purpose], given_at=obj.joined_at, channel=obj.channel
            )
