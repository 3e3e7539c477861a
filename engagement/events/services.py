"""Every write with a rule about event registrations: registering (a place, or the waiting
list), cancelling (the first person waiting moves up), the manager's settings and attendance
(which writes the involvement record that pays members), reminders the day before, and what
leaving and retention erase.

Every change to an event's places runs with its RegistrationSettings row locked
(`_locked_settings`), so people registering or cancelling at the same moment queue for it and
never take the same place or more places than there are."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import page_cache
from cms.site_url import absolute, public_base_url
from engagement.common.dates import long_date
from engagement.common.tasks import send_templated
from engagement.common.text import clean_text
from engagement.events import calendar, selectors
from engagement.events.models import (
    ACCESS_NEEDS_MAX,
    DIETARY_NEEDS_MAX,
    NAME_MAX,
    Registration,
    RegistrationSettings,
)
from engagement.involvement.models import ActivityType
from engagement.involvement.services import record_activity
from engagement.membership.models import Member

logger = logging.getLogger(__name__)


def _locked_settings(event) -> RegistrationSettings:
    """The event's settings row, locked until the transaction ends (only that row: the event
    page is read in the same query, not locked)."""
    settings = (
        RegistrationSettings.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(event_id=event.pk)
        .first()
    )
    if settings is None:
        raise ValidationError(_("This event does not take registrations."))
    return settings


def _free_place(settings: RegistrationSettings) -> int | None:
    """The lowest place number not held, from 1 to the event's places; None when full."""
    held = set(
        Registration.objects.confirmed()
        .filter(event_id=settings.event_id)
        .values_list("place", flat=True)
    )
    return next((n for n in range(1, settings.places + 1) if n not in held), None)


def has_started(event, now=None) -> bool:
    return (now or timezone.now()) >= event.start


def _clean_name(name: str) -> str:
    name = " ".join(clean_text(name, max_length=NAME_MAX).split())
    if not name:
        raise ValidationError({"name": _("Enter your name")})
    return name


# --- Registering and cancelling --------------------------------------------------------------


@transaction.atomic
def register(
    *,
    event,
    name: str,
    email: str,
    access_needs: str = "",
    dietary_needs: str = "",
    member: Member | None = None,
    now=None,
) -> tuple[Registration, bool]:
    """Register someone for an event: a place if one is free, else the waiting list (when the
    event keeps one). Returns (registration, created): a second submit with the same email
    address (or by the same member) is the registration made the first time, never a second
    place. An email confirms it: with a calendar file for a place, with the position on the
    waiting list otherwise."""
    now = now or timezone.now()
    settings = _locked_settings(event)
    if settings.is_closed(now):
        raise ValidationError(
            _("Registration for this event closed on %(date)s.")
            % {"date": long_date(settings.closing_time())}
        )
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Enter your email address")})
    existing = Registration.objects.active().filter(event_id=event.pk)
    same = Q(email__iexact=email) | (Q(member=member) if member is not None else Q(pk__in=[]))
    found = existing.filter(same).first()
    if found is not None:
        return found, False
    registration = Registration(
        event_id=event.pk,
        member=member,
        name=_clean_name(name),
        email=email,
        access_needs=clean_text(access_needs, max_length=ACCESS_NEEDS_MAX)
        if settings.ask_access_needs
        else "",
        dietary_needs=clean_text(dietary_needs, max_length=DIETARY_NEEDS_MAX)
        if settings.ask_dietary_needs
        else "",
        registered_at=now,
    )
    place = _free_place(settings)
    if place is not None:
        registration.status = Registration.Status.CONFIRMED
        registration.place = place
        registration.place_given_at = now
    elif settings.waiting_list:
        registration.status = Registration.Status.WAITING
    else:
        raise ValidationError(_("Sorry, this event is full."))
    registration.full_clean(exclude=["event", "member", "involvement"])
    registration.save()
    if registration.status == Registration.Status.CONFIRMED:
        _email(registration, settings, "events/email/confirmed", calendar=True)
    else:
        _email(registration, settings, "events/email/waiting")
    return registration, True


@transaction.atomic
def cancel(*, registration: Registration, now=None) -> Registration:
    """Give up a place (or leave the waiting list). A place given up goes straight to the first
    person waiting, who is emailed. Safe to repeat; not once the event has started."""
    now = now or timezone.now()
    settings = _locked_settings(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if has_started(settings.event, now):
        raise ValidationError(
            _("This event has started, so the registration can no longer be cancelled here.")
        )
    registration.status = Registration.Status.CANCELLED
    registration.place = None
    registration.cancelled_at = now
    registration.save(update_fields=["status", "place", "cancelled_at"])
    _fill_places(settings, now=now)
    return registration


def _fill_places(settings: RegistrationSettings, *, now) -> list[Registration]:
    """Give the free places, in order, to the people waiting longest (with the settings row
    locked by the caller); each is emailed that the place is theirs. Nobody moves up once the
    event has started."""
    if now >= settings.event.start:
        return []
    moved = []
    waiting = list(
        Registration.objects.waiting()
        .filter(event_id=settings.event_id)
        .select_for_update()[: settings.places]
    )
    for registration in waiting:
        place = _free_place(settings)
        if place is None:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.place = place
        registration.place_given_at = now
        registration.save(update_fields=["status", "place", "place_given_at"])
        _email(registration, settings, "events/email/moved_up", calendar=True)
        moved.append(registration)
    return moved


# --- The manager's settings ------------------------------------------------------------------


@transaction.atomic
def save_settings(*, settings: RegistrationSettings) -> RegistrationSettings:
    """Save a manager's settings for an event (new or changed). Fewer places than people
    holding one is refused; places are renumbered to fit; new places go to the waiting list
    at once; the reminder the day before is queued."""
    now = timezone.now()
    if settings.pk:
        _locked_settings(settings.event)
    held = list(
        Registration.objects.confirmed()
        .filter(event_id=settings.event_id)
        .select_for_update()
        .order_by("place")
    )
    if settings.places is not None and len(held) > settings.places:
        raise ValidationError(
            {
                "places": _(
                    "%(n)d people already have a place. Offer at least %(n)d places, or cancel "
                    "some registrations first."
                )
                % {"n": len(held)}
            }
        )
    settings.full_clean()
    settings.save()
    _renumber(settings, held)
    _fill_places(settings, now=now)
    settings_id, due = settings.pk, settings.reminder_due_at()
    transaction.on_commit(lambda: queue_reminders(settings_id=settings_id, at=due))
    # The event page had no registration section until now (or its cached copy is outdated).
    transaction.on_commit(page_cache.invalidate)
    return settings


def _renumber(settings: RegistrationSettings, held: list[Registration]) -> None:
    """Places above the (lowered) number of places move to the lowest free numbers."""
    numbers = {r.place for r in held}
    for registration in held:
        if registration.place <= settings.places:
            continue
        free = next(n for n in range(1, settings.places + 1) if n not in numbers)
        numbers.discard(registration.place)
        numbers.add(free)
        registration.place = free
        registration.save(update_fields=["place"])


# --- Attendance -------------------------------------------------------------------------------


def _member_to_pay(registration: Registration) -> Member | None:
    """The member a registration is for: the one who registered signed in, else the member
    with that email address (a visitor who joined afterwards), if they are in the group."""
    in_group = [Member.Status.ACTIVE, Member.Status.PAUSED]
    if registration.member_id:
        member = registration.member
        return member if member.status in in_group else None
    if not registration.email:
        return None
    return Member.objects.filter(
        user__email__iexact=registration.email, status__in=in_group
    ).first()


@transaction.atomic
def record_attendance(*, registration: Registration, attended: bool, now=None) -> Registration:
    """A manager marks whether someone with a place came. Coming writes the member's
    involvement record (the time of the event, the rate card's payment), once per
    registration however often it is marked; a visitor who is not a member gets none.
    "Did not come" is refused once that record exists (change it in the involvement log)."""
    now = now or timezone.now()
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "member")
        .get(pk=registration.pk)
    )
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only people with a place can be marked as coming."))
    event = registration.event
    if now < event.start:
        raise ValidationError(_("Attendance can be marked once the event has started."))
    if not attended:
        if registration.involvement_id:
            raise ValidationError(
                _(
                    "%(name)s is in the involvement log for this event, so stays marked as "
                    "coming. Change or delete that record in the involvement log first."
                )
                % {"name": registration.name or registration}
            )
        registration.attendance = Registration.Attendance.ABSENT
        registration.save(update_fields=["attendance"])
        return registration
    registration.attendance = Registration.Attendance.ATTENDED
    fields = ["attendance"]
    if registration.involvement_id is None:
        member = _member_to_pay(registration)
        others = Registration.objects.filter(event_id=event.pk, member=member).exclude(
            pk=registration.pk
        )
        if member is not None and not others.filter(involvement__isnull=False).exists():
            registration.involvement = record_activity(
                member=member,
                activity_type=ActivityType.EVENT,
                description=event.title,
                date=timezone.localtime(event.start).date(),
                contact_minutes=selectors.attendance_minutes(event),
            )
            fields.append("involvement")
            if registration.member_id is None and not others.active().exists():
                registration.member = member  # the visitor who joined afterwards
                fields.append("member")
    registration.save(update_fields=fields)
    return registration


@transaction.atomic
def save_attendance(*, event, came: set[int], shown: set[int], now=None) -> list[Registration]:
    """The attendance form: of the registrations shown, those ticked came, the rest did not.
    Those already in the involvement log stay as coming."""
    changed = []
    for registration in Registration.objects.confirmed().filter(event_id=event.pk, pk__in=shown):
        attended = registration.pk in came or bool(registration.involvement_id)
        target = Registration.Attendance.ATTENDED if attended else Registration.Attendance.ABSENT
        if registration.attendance == target and (registration.involvement_id or not attended):
            continue
        changed.append(record_attendance(registration=registration, attended=attended, now=now))
    return changed


# --- Reminders the day before ----------------------------------------------------------------


@transaction.atomic
def send_reminders(*, settings: RegistrationSettings, now=None) -> list[Registration] | None:
    """Remind, once each, the people with a place, once the reminder's time has come (9:00 the
    day before) and before the event starts; None when it is not time. Those who got their
    place after that time had their confirmation already. Safe to run any number of times."""
    now = now or timezone.now()
    settings = _locked_settings(settings.event)
    due = settings.reminder_due_at()
    if now < due or now >= settings.event.start:
        return None
    pending = list(
        Registration.objects.confirmed()
        .select_for_update()
        .filter(event_id=settings.event_id, reminded_at__isnull=True, place_given_at__lt=due)
        .exclude(email="")
    )
    Registration.objects.filter(pk__in=[r.pk for r in pending]).update(reminded_at=now)
    for registration in pending:
        _email(registration, settings, "events/email/reminder", calendar=False)
    return pending


def queue_reminders(*, settings_id: int, at) -> bool:
    """Queue the reminders of an event to run at `at`; False when the task backend cannot wait
    (the immediate backend used in development: `manage.py send_due_reminders` covers it)."""
    from engagement.events.tasks import send_event_reminders

    if not send_event_reminders.get_backend().supports_defer:
        return False
    send_event_reminders.using(run_after=at).enqueue(settings_id=settings_id)
    return True


def send_due_reminders(*, now=None) -> dict[RegistrationSettings, list[Registration]]:
    """Every event whose reminder time has come and that has not started: the reminders not
    sent yet (the daily safety net of `manage.py send_due_reminders`)."""
    now = now or timezone.now()
    window = now + timezone.timedelta(days=2)  # reminders go at most a day and a bit before
    sent = {}
    for settings in RegistrationSettings.objects.select_related("event").filter(
        event__start__gt=now, event__start__lte=window
    ):
        reminded = send_reminders(settings=settings, now=now)
        if reminded:
            sent[settings] = reminded
    return sent


# --- Emails -----------------------------------------------------------------------------------


def calendar_attachment(registration: Registration) -> dict:
    """The event as an .ics attachment (send_email's plain-data form)."""
    event = registration.event
    host = public_base_url().split("://", 1)[-1].split("/", 1)[0] or "ppie-hub"
    text = calendar.event_calendar(
        uid=f"event-{event.pk}@{host}",
        title=event.title,
        start=event.start,
        end=event.end,
        location=selectors.location_of(event),
        description=_("Your place at %(title)s. To cancel: %(url)s")
        % {"title": event.title, "url": selectors.registration_link(registration)},
        url=absolute(event.url or "/"),
    )
    return {"filename": calendar.FILENAME, "content": text, "mimetype": calendar.CONTENT_TYPE}


def _email(registration: Registration, settings: RegistrationSettings, template, *, calendar=False):
    """Queue one of the registration emails after the commit (to the address given)."""
    if not registration.email:
        return
    registration.event = settings.event
    context = {
        "registration": registration,
        "event": settings.event,
        "settings": settings,
        "event_url": absolute(settings.event.url or "/"),
        "registration_url": selectors.registration_link(registration),
        "location": selectors.location_of(settings.event),
        "position": selectors.waiting_position(registration),
    }
    attachments = [calendar_attachment(registration)] if calendar else None
    email = registration.email
    transaction.on_commit(lambda: send_templated(template, email, context, attachments=attachments))


# --- Leaving and retention (membership's hooks) ----------------------------------------------


def member_leaving(*, member: Member, name: str, email: str) -> None:
    """The member_leaving hook: their registrations (and any made with their email address)
    stop naming them; places at events still to come are given up, and the next person
    waiting gets them, because nobody could know who they are at the door. Attendance stays,
    as an anonymous count; the access and dietary needs go with their other free text
    (erase_free_text), or here for registrations made with their email but not signed in."""
    theirs = Q(member=member)
    if email:
        theirs |= Q(email__iexact=email)
    now = timezone.now()
    for registration in (
        Registration.objects.active().filter(theirs, event__start__gt=now).select_related("event")
    ):
        cancel(registration=registration, now=now)
    Registration.objects.filter(theirs, member__isnull=True).update(
        access_needs="", dietary_needs=""
    )
    Registration.objects.filter(theirs).update(name="", email="")


def erase_free_text(*, member_ids=None, consultation_ids=None) -> int:
    """The erase_free_text hook: the access and dietary needs those members told us. Events
    are not consultations, so erasing by consultation changes nothing here."""
    if member_ids is None:
        return 0
    return (
        Registration.objects.filter(member_id__in=member_ids)
        .exclude(access_needs="", dietary_needs="")
        .update(access_needs="", dietary_needs="")
    )


@transaction.atomic
def erase_after_events(*, ended_before) -> int:
    """Registrations of events that ended before `ended_before`: the access and dietary needs
    go, and so do the names and email addresses of visitors who are not members (members' own
    registrations stay in their data until they leave). Places and attendance stay, as counts."""
    past = Registration.objects.filter(event__end__lt=ended_before)
    needs = ~Q(access_needs="") | ~Q(dietary_needs="")
    visitor = Q(member__isnull=True) & (~Q(name="") | ~Q(email=""))
    ids = list(past.filter(needs | visitor).values_list("pk", flat=True))
    rows = Registration.objects.filter(pk__in=ids)
    rows.update(access_needs="", dietary_needs="")
    rows.filter(member__isnull=True).update(name="", email="")
    return len(ids)
