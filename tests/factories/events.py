"""Event registrations: an event page taking registrations, and people registered for it.

event_with_places(tree, places=3)            the site tree's event (in 10 days) with 3 places
event_with_places(tree, started=True)        the event started an hour ago
RegistrationSettingsFactory(event=page)      settings for any event page
register(event, "Ann")                       through the service, as the form does
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from engagement.events import services
from engagement.involvement.models import ActivityType, RateCard
from engagement.models import RegistrationSettings


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    places = 3
    ask_access_needs = True
    ask_dietary_needs = True
    waiting_list = True

    class Meta:
        model = RegistrationSettings


def event_with_places(tree, *, started=False, **fields) -> RegistrationSettings:
    event = tree["event"]
    if started:
        event.start = timezone.now() - datetime.timedelta(hours=1)
        event.end = timezone.now() + datetime.timedelta(hours=4)
        event.save_revision().publish()
    return RegistrationSettingsFactory(event=event, **fields)


def register(event, name: str, *, email: str | None = None, member=None, **fields):
    """Register through the service; the registration."""
    if email is None:
        email = member.user.email if member else f"{name.lower().replace(' ', '.')}@example.org"
    registration, _created = services.register(
        event=event, name=name, email=email, member=member, **fields
    )
    return registration


def event_rate(amount: str = "27.50", basis: str = RateCard.Basis.HOURLY) -> RateCard:
    """The rate card's line for events, valid from 2020."""
    return RateCard.objects.create(
        activity_type=ActivityType.EVENT,
        basis=basis,
        amount=Decimal(amount),
        valid_from=datetime.date(2020, 1, 1),
    )
