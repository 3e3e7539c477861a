"""What event registrations hold about a person, and what goes: a member's registrations are
in their data page (tests/engagement/membership/test_my_data.py); leaving gives up places
still to come (the waiting list moves up) and keeps past attendance as an anonymous count;
access and dietary needs go with the rest of their free text; and after an event, retention
erases the needs, and visitors' names and addresses."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from engagement.events import services
from engagement.events.models import Registration
from engagement.membership import hooks as membership_hooks
from tests.factories.cms import EventPageFactory
from tests.factories.events import RegistrationSettingsFactory, event_with_places, register
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


def test_leaving_gives_up_places_to_come_and_keeps_past_attendance(
    site_tree, django_capture_on_commit_callbacks
):
    settings = event_with_places(site_tree, places=1)
    pat = MemberFactory(display_name="Pat", user__email="pat@example.org")
    coming = register(settings.event, "Pat", member=pat, dietary_needs="No nuts")
    waiting = register(settings.event, "Sam")
    past = EventPageFactory(
        parent=site_tree["event_index"],
        slug="last-year",
        start=timezone.now() - datetime.timedelta(days=30, hours=6),
        end=timezone.now() - datetime.timedelta(days=30),
    )
    RegistrationSettingsFactory(event=past)
    came = Registration.objects.create(
        event=past,
        member=pat,
        name="Pat",
        email="pat@example.org",
        access_needs="Step-free",
        status=Registration.Status.CONFIRMED,
        place=1,
        attendance=Registration.Attendance.ATTENDED,
    )
    mail.outbox.clear()
    client = Client()
    client.force_login(pat.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/withdraw/")

    coming.refresh_from_db()
    waiting.refresh_from_db()
    came.refresh_from_db()
    assert (coming.status, coming.name, coming.email, coming.dietary_needs) == (
        "cancelled",
        "",
        "",
        "",
    )
    assert (waiting.status, waiting.place) == ("confirmed", 1)
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert (came.status, came.attendance, came.name, came.email, came.access_needs) == (
        "confirmed",
        "attended",
        "",
        "",
        "",
    )


def test_erasing_free_text_by_member_blanks_their_needs_only(site_tree):
    settings = event_with_places(site_tree)
    pat = MemberFactory()
    theirs = register(settings.event, "Pat", member=pat, access_needs="Quiet room")
    other = register(settings.event, "Sam", access_needs="Hearing loop")

    membership_hooks.erase_free_text(member_ids=[pat.pk])
    assert membership_hooks.erase_free_text(consultation_ids=[1]) >= 0  # events are not these

    theirs.refresh_from_db()
    other.refresh_from_db()
    assert (theirs.access_needs, theirs.name) == ("", "Pat")
    assert other.access_needs == "Hearing loop"


def test_retention_after_an_event_erases_needs_and_visitors_details(site_tree, settings):
    settings.EVENT_RETENTION_DAYS = 30
    event_settings = event_with_places(site_tree)
    pat = MemberFactory(display_name="Pat")
    member_row = register(event_settings.event, "Pat", member=pat, access_needs="Quiet room")
    visitor = register(event_settings.event, "Sam", dietary_needs="Vegan")
    event = event_settings.event

    call_command("apply_retention", stdout=StringIO())
    visitor.refresh_from_db()
    assert (visitor.name, visitor.dietary_needs) == ("Sam", "Vegan")  # not yet

    event.start = timezone.now() - datetime.timedelta(days=32)
    event.end = event.start + datetime.timedelta(hours=6)
    event.save_revision().publish()
    out = StringIO()
    call_command("apply_retention", stdout=out)

    visitor.refresh_from_db()
    member_row.refresh_from_db()
    assert (visitor.name, visitor.email, visitor.dietary_needs, visitor.status) == (
        "",
        "",
        "",
        "confirmed",
    )
    assert (member_row.name, member_row.access_needs) == ("Pat", "")
    assert "of 2 event registration(s) for events that ended" in out.getvalue()


def test_erase_after_events_leaves_events_still_to_come(site_tree):
    settings = event_with_places(site_tree)
    visitor = register(settings.event, "Sam", access_needs="Ramp")
    assert services.erase_after_events(ended_before=timezone.now()) == 0
    visitor.refresh_from_db()
    assert visitor.access_needs == "Ramp"
