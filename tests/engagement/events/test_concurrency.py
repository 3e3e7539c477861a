"""Registering at the same moment, for real: many threads, each with its own database
connection, register for (and cancel) the last places at once. On PostgreSQL the event's
settings row is locked (SELECT ... FOR UPDATE), so they queue: never more people with a place
than places, never two in one place, nobody lost, the waiting list in the order people joined
it. SQLite takes one writer at a time anyway, and has no row locks to test, so these run on
PostgreSQL only (CI runs the suite on both)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections

from engagement.events import services
from engagement.events.models import Registration

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite allows one writer "
        "at a time, so there is no race to test (set DATABASE_URL to run these)",
    ),
]
PEOPLE = 24
PLACES = 5


@pytest.fixture
def event(transactional_db):
    from tests.factories.cms import build_site
    from tests.factories.events import RegistrationSettingsFactory
    from tests.installation import restore_fresh_installation

    restore_fresh_installation()  # what an earlier test's flush took (root page, roles, texts)
    tree = build_site()
    RegistrationSettingsFactory(event=tree["event"], places=PLACES)
    return tree["event"]


def all_at_once(work, count: int) -> list:
    """Run work(i) for i in range(count) in as many threads, released together; each thread's
    result or exception, in order."""
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait()
            return work(i)
        except Exception as error:  # noqa: BLE001 - reported to the test
            return error
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def register_person(event, i):
    registration, _created = services.register(
        event=event, name=f"Person {i}", email=f"person{i}@example.org"
    )
    return registration


def assert_places_kept(event, places=PLACES):
    confirmed = list(Registration.objects.confirmed().filter(event=event))
    numbers = sorted(r.place for r in confirmed)
    assert len(confirmed) <= places
    assert numbers == sorted(set(numbers))
    assert all(1 <= n <= places for n in numbers)
    return confirmed


def test_registering_together_never_overbooks(event):
    results = all_at_once(lambda i: register_person(event, i), PEOPLE)

    assert [r for r in results if isinstance(r, Exception)] == []
    confirmed = assert_places_kept(event)
    assert sorted(r.place for r in confirmed) == list(range(1, PLACES + 1))
    waiting = Registration.objects.waiting().filter(event=event)
    assert waiting.count() == PEOPLE - PLACES
    assert Registration.objects.filter(event=event).count() == PEOPLE  # nobody lost


def test_without_a_waiting_list_the_rest_are_told_it_is_full(event):
    event.registration_settings.waiting_list = False
    event.registration_settings.save()

    results = all_at_once(lambda i: register_person(event, i), PEOPLE)

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == PEOPLE - PLACES
    assert all("this event is full" in " ".join(r.messages) for r in refused)
    assert len(assert_places_kept(event)) == PLACES


def test_the_same_person_twice_at_once_is_one_registration(event):
    results = all_at_once(
        lambda i: services.register(event=event, name="Ann", email="ann@example.org")[0], 8
    )
    assert {r.pk for r in results} == {results[0].pk}
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelling_and_registering_together_moves_the_waiting_list_up_in_order(event):
    for i in range(PLACES + 4):  # five places, four waiting
        register_person(event, i)
    holders = list(Registration.objects.confirmed().filter(event=event).order_by("place"))
    first_waiting = list(Registration.objects.waiting().filter(event=event))

    def work(i):
        if i < 3:  # three people give up their places ...
            return services.cancel(registration=holders[i])
        return register_person(event, 100 + i)  # ... while six more register

    results = all_at_once(work, 9)

    assert [r for r in results if isinstance(r, Exception)] == []
    confirmed = assert_places_kept(event)
    assert len(confirmed) == PLACES
    promoted = {r.pk for r in confirmed} - {h.pk for h in holders}
    # The three places went to the three people waiting longest, not to anyone who came later.
    assert promoted == {r.pk for r in first_waiting[:3]}
    still_waiting = list(Registration.objects.waiting().filter(event=event))
    assert still_waiting[0].pk == first_waiting[3].pk
    assert len(still_waiting) == 1 + 6


def test_the_database_stops_two_people_taking_one_place_even_without_the_lock(event, monkeypatch):
    """The constraint is the last line of defence: with the lock taken away, people racing
    for a place may be refused (IntegrityError), but no place is ever given twice."""
    from engagement.events.models import RegistrationSettings

    def unlocked(event):
        return RegistrationSettings.objects.select_related("event").get(event_id=event.pk)

    monkeypatch.setattr(services, "_locked_settings", unlocked)
    results = all_at_once(lambda i: register_person(event, i), PEOPLE)

    assert all(isinstance(r, Registration | IntegrityError) for r in results), results
    assert_places_kept(event)
