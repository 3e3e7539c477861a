"""Registrations for events: the places an event page (cms.EventPage) offers, when they close,
what people are asked, and who registered, with a place or on the waiting list.

Capacity is kept by services.register() with the event's RegistrationSettings row locked, so
people registering at the same moment queue for it; the database backs that up: a place is a
number that belongs to one person at a time (UniqueConstraint), held only by a confirmed
registration (CheckConstraint), and services never give a number above `places`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from engagement.involvement.models import InvolvementRecord
from engagement.membership.models import Member

__all__ = ["Registration", "RegistrationSettings"]  # what engagement.models re-exports

ACCESS_NEEDS_MAX = 1000
DIETARY_NEEDS_MAX = 500
NAME_MAX = 150
# The reminder goes at this local time on the day before the event.
REMINDER_HOUR = 9


class RegistrationSettings(models.Model):
    """An event that takes registrations: how many places, until when, what people are asked.
    Its row is the lock every registration and cancellation of the event waits for."""

    event = models.OneToOneField(
        "cms.EventPage",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registration_settings",
    )
    places = models.PositiveIntegerField(
        _("places"), help_text=_("How many people can come (not counting the team).")
    )
    closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to take registrations until the event starts."),
    )
    ask_access_needs = models.BooleanField(
        _("ask about access needs"),
        default=True,
        help_text=_("For example step-free access, a hearing loop, a quiet room, rest breaks."),
    )
    ask_dietary_needs = models.BooleanField(
        _("ask about dietary needs"), default=False, help_text=_("When food is served.")
    )
    waiting_list = models.BooleanField(
        _("waiting list when full"),
        default=True,
        help_text=_(
            "When a place is given up, the first person waiting gets it and an email saying so."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-event__start"]
        verbose_name = _("event registrations")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places__gte=1), name="event_places_at_least_1"
            )
        ]

    def __str__(self) -> str:
        return self.event.title if self.event_id else gettext("Event registrations")

    def clean(self):
        super().clean()
        if self.places is not None and self.places < 1:
            raise ValidationError({"places": _("Offer at least 1 place.")})
        if self.closes_at and self.event_id and self.closes_at > self.event.end:
            raise ValidationError(
                {"closes_at": _("Registration cannot close after the event has ended.")}
            )

    def closing_time(self) -> datetime.datetime:
        """When registration closes: the time set, else when the event starts."""
        return self.closes_at or self.event.start

    def is_closed(self, at=None) -> bool:
        return (at or timezone.now()) >= self.closing_time()

    def reminder_due_at(self) -> datetime.datetime:
        """9:00 local time on the day before the event (or the event's start, if earlier)."""
        start = timezone.localtime(self.event.start)
        day_before = start.date() - datetime.timedelta(days=1)
        due = timezone.make_aware(
            datetime.datetime.combine(day_before, datetime.time(REMINDER_HOUR)),
            timezone.get_current_timezone(),
        )
        return min(due, self.event.start)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """With a place or on the waiting list."""
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("registered_at", "pk")


class Registration(models.Model):
    """One person registered for one event: with a place (numbered 1 to the event's places),
    on the waiting list, or cancelled. Visitors who are not members give a name and an email;
    a signed-in member's registration points at them."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Has a place")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not marked")
        ATTENDED = "attended", _("Came")
        ABSENT = "absent", _("Did not come")

    event = models.ForeignKey(
        "cms.EventPage",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    access_needs = models.TextField(_("access needs"), max_length=ACCESS_NEEDS_MAX, blank=True)
    dietary_needs = models.TextField(_("dietary needs"), max_length=DIETARY_NEEDS_MAX, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    place = models.PositiveIntegerField(_("place"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    place_given_at = models.DateTimeField(_("place given"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    involvement = models.OneToOneField(
        InvolvementRecord,
        verbose_name=_("involvement record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registration",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # Two people never hold the same place, whatever the code above does.
            models.UniqueConstraint(
                fields=["event", "place"],
                condition=models.Q(place__isnull=False),
                name="registration_one_person_per_place",
            ),
            # A place is held exactly while the registration is confirmed.
            models.CheckConstraint(
                condition=(
                    models.Q(status="confirmed") & models.Q(place__isnull=False, place__gte=1)
                )
                | (~models.Q(status="confirmed") & models.Q(place__isnull=True)),
                name="registration_place_only_when_confirmed",
            ),
            # A double submit or a second tab is the same registration, never a second place.
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=~models.Q(status="cancelled") & ~models.Q(email=""),
                name="registration_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=~models.Q(status="cancelled") & models.Q(member__isnull=False),
                name="registration_one_active_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(attendance="") | models.Q(status="confirmed"),
                name="registration_attendance_only_with_a_place",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        who = self.name or gettext("Registration #%(id)s") % {"id": self.pk}
        return f"{who} – {self.event.title}" if self.event_id else who

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED
