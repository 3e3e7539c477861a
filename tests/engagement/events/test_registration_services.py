"""Registering, the waiting list and cancelling, through the services the page and the admin
call: places never go past the number offered, a double submit is one registration, a place
given up goes to the first person waiting (who is emailed), and the database refuses what the
code must never do."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.events import services
from engagement.events.models import Registration
from tests.factories.events import event_with_places, register
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def settings_3(site_tree):
    return event_with_places(site_tree, places=3)


def statuses(event):
    return [
        (r.name, r.status, r.place)
        for r in Registration.objects.filter(event=event).order_by("registered_at", "pk")
    ]


def test_places_in_order_then_the_waiting_list(settings_3, django_capture_on_commit_callbacks):
    event = settings_3.event
    with django_capture_on_commit_callbacks(execute=True):
        for name in ["Ann", "Bob", "Cat", "Dan", "Eve"]:
            register(event, name)

    assert statuses(event) == [
        ("Ann", "confirmed", 1),
        ("Bob", "confirmed", 2),
        ("Cat", "confirmed", 3),
        ("Dan", "waiting", None),
        ("Eve", "waiting", None),
    ]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["ann@example.org"] == f"PPIE Hub: Your place at {event.title}"
    assert subjects["dan@example.org"] == f"PPIE Hub: You are on the waiting list for {event.title}"
    assert "You are number 1." in next(m for m in mail.outbox if m.to == ["dan@example.org"]).body
    assert "You are number 2." in next(m for m in mail.outbox if m.to == ["eve@example.org"]).body
    # Only a place comes with a calendar file.
    ann = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    assert [a[0] for a in ann.attachments] == ["event.ics"]
    assert not next(m for m in mail.outbox if m.to == ["dan@example.org"]).attachments


def test_a_second_submit_is_the_same_registration(settings_3, django_capture_on_commit_callbacks):
    event = settings_3.event
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.register(event=event, name="Ann", email="Ann@Example.org")
        again, created_again = services.register(event=event, name="Ann B", email="ann@example.org")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_member_registers_once_whatever_email_they_type(settings_3):
    member = MemberFactory(display_name="Pat")
    first = register(settings_3.event, "Pat", member=member)
    again = register(settings_3.event, "Pat", email="other@example.org", member=member)
    assert again.pk == first.pk
    assert first.member == member


def test_cancelling_a_place_moves_the_first_person_waiting_up(
    settings_3, django_capture_on_commit_callbacks
):
    event = settings_3.event
    ann, bob, _cat, dan, eve = [register(event, n) for n in ["Ann", "Bob", "Cat", "Dan", "Eve"]]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=bob)

    assert statuses(event)[1:] == [
        ("Bob", "cancelled", None),
        ("Cat", "confirmed", 3),
        ("Dan", "confirmed", 2),  # Bob's place
        ("Eve", "waiting", None),
    ]
    [email] = mail.outbox
    assert email.to == ["dan@example.org"]
    assert email.subject == f"PPIE Hub: Good news: you have a place at {event.title}"
    assert [a[0] for a in email.attachments] == ["event.ics"]
    # Leaving the waiting list moves nobody; cancelling twice changes nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=eve)
        services.cancel(registration=eve)
        services.cancel(registration=ann)
    assert statuses(event)[0] == ("Ann", "cancelled", None)
    assert mail.outbox == []
    assert Registration.objects.confirmed().filter(event=event).count() == 2


def test_full_without_a_waiting_list_says_so(site_tree):
    settings = event_with_places(site_tree, places=1, waiting_list=False)
    register(settings.event, "Ann")
    with pytest.raises(ValidationError, match="this event is full"):
        register(settings.event, "Bob")
    assert Registration.objects.count() == 1


def test_registration_closes_at_its_time(site_tree):
    settings = event_with_places(
        site_tree, closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="closed on"):
        register(settings.event, "Ann")


def test_no_cancelling_once_the_event_has_started(site_tree):
    settings = event_with_places(site_tree)
    ann = register(settings.event, "Ann")
    with pytest.raises(ValidationError, match="has started"):
        services.cancel(registration=ann, now=settings.event.start)


def test_only_the_questions_asked_are_kept(site_tree):
    settings = event_with_places(site_tree, ask_access_needs=True, ask_dietary_needs=False)
    ann = register(
        settings.event,
        "Ann",
        access_needs="<b>Step-free</b> access",
        dietary_needs="Vegetarian",
    )
    assert (ann.access_needs, ann.dietary_needs) == ("Step-free access", "")


def test_more_places_go_to_the_waiting_list_and_fewer_are_renumbered(
    settings_3, django_capture_on_commit_callbacks
):
    event = settings_3.event
    people = [register(event, n) for n in ["Ann", "Bob", "Cat", "Dan"]]
    services.cancel(registration=people[0])  # Dan takes place 1
    mail.outbox.clear()

    settings_3.places = 2
    with pytest.raises(ValidationError) as refused:
        services.save_settings(settings=settings_3)
    assert "3 people already have a place" in str(refused.value)

    services.cancel(registration=people[2])  # Cat (place 3) leaves: Bob 2, Dan 1
    settings_3.refresh_from_db()
    settings_3.places = 2
    services.save_settings(settings=settings_3)
    assert sorted(Registration.objects.confirmed().values_list("place", flat=True)) == [1, 2]

    eve = register(event, "Eve")
    assert eve.status == "waiting"
    settings_3.places = 5
    with django_capture_on_commit_callbacks(execute=True):
        services.save_settings(settings=settings_3)
    eve.refresh_from_db()
    assert (eve.status, eve.place) == ("confirmed", 3)
    assert [m.to for m in mail.outbox] == [["eve@example.org"]]


def test_the_database_refuses_two_people_in_one_place(settings_3):
    ann = register(settings_3.event, "Ann")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=settings_3.event,
            name="Bob",
            email="bob@example.org",
            status=Registration.Status.CONFIRMED,
            place=ann.place,
        )


def test_the_database_refuses_a_place_without_a_confirmation(settings_3):
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=settings_3.event,
            name="Bob",
            email="bob@example.org",
            status=Registration.Status.WAITING,
            place=2,
        )


def test_the_database_refuses_a_second_active_registration_by_email(settings_3):
    register(settings_3.event, "Ann", email="ann@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=settings_3.event,
            name="Ann",
            email="ANN@example.org",
            status=Registration.Status.WAITING,
        )
