"""Reads about event registrations: places left, a person's own registration and its link,
the manager's list, and what is held about a member (their data page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.site_url import absolute
from engagement.common.forms import parse_id
from engagement.events.models import Registration, RegistrationSettings
from engagement.membership.hooks import Entry, Field, Section, iso

TOKEN_SALT = "engagement.events.registration"  # noqa: S105 - a salt, not a secret
# Attending counts for payment as contact time, up to a working day for each day it spans.
DAY_MINUTES = 8 * 60


def settings_for(event) -> RegistrationSettings | None:
    """The event's registration settings (with the event), or None when it takes none."""
    if event is None or not event.pk:
        return None
    return RegistrationSettings.objects.select_related("event").filter(event_id=event.pk).first()


@dataclass(frozen=True)
class Availability:
    places: int
    taken: int
    waiting: int
    closed: bool  # registration has closed (or the event has started)
    over: bool  # the event has ended
    waiting_list: bool

    @property
    def places_left(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def taking_registrations(self) -> bool:
        """The form is shown: open, and a place or a waiting list to join."""
        return not self.closed and (not self.full or self.waiting_list)


def availability(settings: RegistrationSettings, *, at=None) -> Availability:
    """Places, taken and waiting for one event, counted by the database (1 query)."""
    at = at or timezone.now()
    counts = Registration.objects.filter(event_id=settings.event_id).aggregate(
        taken=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
    )
    return Availability(
        places=settings.places,
        taken=counts["taken"],
        waiting=counts["waiting"],
        closed=settings.is_closed(at),
        over=at >= settings.event.end,
        waiting_list=settings.waiting_list,
    )


def own_registration(member, event, *, email: str) -> Registration | None:
    """The member's active registration for this event: theirs, or made with their email
    address (the signed-in account's) before they were signed in."""
    if member is None:
        return None
    theirs = Q(member=member) | (Q(email__iexact=email) if email else Q(pk__in=[]))
    return (
        Registration.objects.active()
        .filter(event_id=event.pk)
        .filter(theirs)
        .order_by("registered_at", "pk")
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None when not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = (
        Registration.objects.waiting()
        .filter(event_id=registration.event_id)
        .filter(
            Q(registered_at__lt=registration.registered_at)
            | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


# --- The link in every email: the registration, without signing in --------------------------


def token_for(registration: Registration) -> str:
    """A signed token naming the registration: whoever has the email can see and cancel it,
    nobody can make one up."""
    return signing.Signer(salt=TOKEN_SALT).sign(str(registration.pk))


def registration_for_token(token: str) -> Registration | None:
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk = parse_id(value)
    if pk is None:
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def registration_url(registration: Registration) -> str:
    return reverse("engagement:registration", kwargs={"token": token_for(registration)})


def registration_link(registration: Registration) -> str:
    """The registration page, as an absolute address for emails."""
    return absolute(registration_url(registration))


def calendar_url(registration: Registration) -> str:
    return reverse("engagement:registration_calendar", kwargs={"token": token_for(registration)})


# --- What an event is worth in the involvement log -------------------------------------------


def attendance_minutes(event) -> int:
    """The event's length, up to a working day (8 hours) for each day it spans."""
    minutes = max(int((event.end - event.start).total_seconds() // 60), 0)
    days = (timezone.localtime(event.end).date() - timezone.localtime(event.start).date()).days
    return min(minutes, DAY_MINUTES * (days + 1))


def location_of(event) -> str:
    """The venue and its address on one line: "Town Hall, 1 High Street, Midtown"."""
    lines = [event.venue, *(line.strip() for line in (event.address or "").splitlines())]
    return ", ".join(line for line in lines if line)


# --- The manager's lists ---------------------------------------------------------------------


def settings_with_counts():
    """Every event taking registrations with its places taken and people waiting (1 query)."""
    return RegistrationSettings.objects.select_related("event").annotate(
        taken=Count("event__registrations", filter=Q(event__registrations__status="confirmed")),
        waiting_count=Count(
            "event__registrations", filter=Q(event__registrations__status="waiting")
        ),
    )


def registrations_of(event):
    """An event's registrations for its list: places first (by place), then the waiting list
    in order, then cancellations; with the member and the involvement record (1 query)."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        Registration.objects.filter(event_id=event.pk)
        .select_related("member", "involvement", "event")
        .annotate(
            status_order=Case(
                When(status=Registration.Status.CONFIRMED, then=Value(0)),
                When(status=Registration.Status.WAITING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("status_order", "place", "registered_at", "pk")
    )


def number_waiting(registrations) -> None:
    """Give each waiting registration of a list (in waiting-list order) its `position`."""
    position = 0
    for registration in registrations:
        if registration.status == Registration.Status.WAITING:
            position += 1
            registration.position = position
        else:
            registration.position = None


# --- A member's own data (/me/data/ and its download) ----------------------------------------


def member_registrations(member):
    """Registrations that are the member's: linked to them, or made with their email."""
    condition = Q(member=member)
    if member.user_id and member.user.email:
        condition |= Q(email__iexact=member.user.email)
    return Registration.objects.filter(condition)


def member_data(member) -> list[Section]:
    """Every event registration of the member, with what they told us (1 query)."""
    entries = []
    registrations = (
        member_registrations(member).select_related("event").order_by("registered_at", "pk")
    )
    for r in registrations:
        entries.append(
            Entry(
                f"{r.event.title}, {timezone.localtime(r.event.start):%d %B %Y}",
                [
                    Field("event", _("Event"), r.event.title),
                    Field("event_starts", _("Event starts"), iso(r.event.start)),
                    Field("name", _("Name given"), r.name),
                    Field("email", _("Email address given"), r.email),
                    Field("status", _("Status"), str(r.get_status_display())),
                    Field("place", _("Place number"), r.place),
                    Field("access_needs", _("Access needs"), r.access_needs),
                    Field("dietary_needs", _("Dietary needs"), r.dietary_needs),
                    Field("registered_at", _("Registered"), iso(r.registered_at)),
                    Field("cancelled_at", _("Cancelled"), iso(r.cancelled_at)),
                    Field("reminded_at", _("Reminder sent"), iso(r.reminded_at)),
                    Field("attendance", _("Attendance"), str(r.get_attendance_display())),
                ],
            )
        )
    return [Section("event_registrations", _("Events you registered for"), 45, entries)]
