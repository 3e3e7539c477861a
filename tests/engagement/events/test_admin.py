"""The manager's side of event registrations: setting an event's places, the registration list
and its downloads (formula-safe CSV, XLSX), marking who came, which writes each member's
involvement record once (the rate card's payment), and cancelling for someone."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from engagement.events import services
from engagement.events.models import Registration, RegistrationSettings
from engagement.involvement.models import ActivityType, InvolvementRecord
from tests.clients import CommittingClient
from tests.factories.events import event_rate, event_with_places, register
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.html import captioned, soup, table_rows, text_of, words
from tests.spreadsheets import content_of, xlsx_table, xlsx_title

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    client = CommittingClient()
    client.force_login(ManagerFactory())
    return client


def list_url(settings) -> str:
    return reverse("event_registrations:registrations", args=[settings.pk])


def attendance_url(settings) -> str:
    return reverse("event_registrations:attendance", args=[settings.pk])


def test_a_manager_sets_places_for_an_event(manager, site_tree):
    event = site_tree["event"]
    add = manager.get(reverse("event_registrations:add") + f"?event={event.pk}")
    assert add.status_code == 200

    response = manager.post(
        reverse("event_registrations:add"),
        {
            "event": event.pk,
            "places": "30",
            "closes_at": "",
            "ask_access_needs": "on",
            "ask_dietary_needs": "on",
            "waiting_list": "on",
        },
    )

    assert response.status_code == 302, text_of(response)
    settings = RegistrationSettings.objects.get()
    assert (settings.event_id, settings.places, settings.closing_time()) == (
        event.pk,
        30,
        event.start,
    )
    listing = manager.get(reverse("event_registrations:index"))
    assert event.title in text_of(listing)


def test_fewer_places_than_people_holding_one_is_refused_on_the_form(manager, site_tree):
    settings = event_with_places(site_tree, places=3)
    for name in ["Ann", "Bob", "Cat"]:
        register(settings.event, name)

    response = manager.post(
        reverse("event_registrations:edit", args=[settings.pk]),
        {"event": settings.event.pk, "places": "2", "closes_at": "", "waiting_list": "on"},
    )

    assert response.status_code == 200
    assert "3 people already have a place" in text_of(response)
    settings.refresh_from_db()
    assert settings.places == 3


def test_an_event_takes_one_set_of_places(manager, site_tree):
    settings = event_with_places(site_tree)
    response = manager.post(
        reverse("event_registrations:add"), {"event": settings.event.pk, "places": "5"}
    )
    assert response.status_code == 200
    assert "This event takes registrations already." in text_of(response)
    assert RegistrationSettings.objects.count() == 1


def test_the_event_page_in_the_explorer_links_to_its_registrations(manager, site_tree):
    event = site_tree["event"]
    explorer = manager.get(reverse("wagtailadmin_explore", args=[event.get_parent().pk]))
    assert explorer.status_code == 200
    edit = manager.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert link_to(edit, "Take registrations") == reverse("event_registrations:add") + (
        f"?event={event.pk}"
    )
    settings = event_with_places(site_tree)
    edit = manager.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert link_to(edit, "Registrations") == list_url(settings)
    # Not on other pages.
    news = manager.get(reverse("wagtailadmin_pages:edit", args=[site_tree["news"].pk]))
    assert link_to(news, "Take registrations") is None


def link_to(page, label: str) -> str | None:
    found = [a["href"] for a in soup(page).find_all("a") if words(a) == label]
    return found[0] if found else None


@pytest.fixture
def registered(site_tree):
    """Two places: Ann (a member) and Bob (a visitor) have them, Cat waits, Dan cancelled."""
    settings = event_with_places(site_tree, places=2)
    ann = MemberFactory(display_name="Ann", user__email="ann@example.org")
    people = {
        "ann": register(settings.event, "Ann", member=ann, access_needs="Step-free access"),
        "bob": register(settings.event, '=HYPERLINK("http://x")', email="bob@example.org"),
        "cat": register(settings.event, "Cat", dietary_needs="Vegan"),
        "dan": register(settings.event, "Dan"),
    }
    services.cancel(registration=people["dan"])
    return settings, people, ann


def test_the_list_shows_places_waiting_and_cancelled_in_order(manager, registered):
    settings, _people, _ann = registered

    response = manager.get(list_url(settings))

    assert response.status_code == 200
    rows = table_rows(soup(response).find("table", class_="listing"))
    assert [row[0] for row in rows[1:]] == [
        "Place 1",
        "Place 2",
        "Waiting: number 1",
        "Cancelled",
    ]
    assert rows[1][1:4] == ["Ann", "ann@example.org", "Member"]
    assert "Step-free access" in rows[1]


def test_the_csv_is_formula_safe_and_the_xlsx_says_what_it_is(manager, registered):
    settings, _people, _ann = registered

    response = manager.get(list_url(settings) + "?export=csv")
    rows = list(csv.DictReader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    assert rows[1]["Name"] == '\'=HYPERLINK("http://x")'
    assert [r["Place or waiting list"] for r in rows] == [
        "Place 1",
        "Place 2",
        "Waiting: number 1",
        "Cancelled",
    ]
    assert rows[2]["Dietary needs"] == "Vegan"

    book = manager.get(list_url(settings) + "?export=xlsx")
    assert xlsx_title(book)[0] == f"Registrations: {settings.event.title}"
    table = xlsx_table(book)
    assert table[1]["Name"] == '=HYPERLINK("http://x")'  # a value, never a formula
    assert [r["Member or visitor"] for r in table] == ["Member", "Visitor", "Visitor", "Visitor"]

    confirmed = manager.get(list_url(settings) + "?status=confirmed&export=csv")
    names = [
        r["Name"] for r in csv.DictReader(io.StringIO(content_of(confirmed).decode("utf-8-sig")))
    ]
    assert names == ["Ann", '\'=HYPERLINK("http://x")']


def test_attendance_writes_the_members_involvement_record_once(manager, registered):
    settings, people, ann = registered
    event_rate("27.50")
    event = settings.event
    event.start = timezone.now() - datetime.timedelta(hours=6)
    event.end = event.start + datetime.timedelta(hours=5, minutes=30)
    event.save_revision().publish()

    page = manager.get(attendance_url(settings))
    table = captioned(page, "People with a place")
    assert [row[1:3] for row in table_rows(table)[1:]] == [
        ["2", '=HYPERLINK("http://x")'],
        ["1", "Ann"],
    ]
    shown = [people["ann"].pk, people["bob"].pk]
    data = {"shown": shown, "came": [people["ann"].pk, people["bob"].pk]}

    response = manager.post(attendance_url(settings), data)
    manager.post(attendance_url(settings), data)  # saved twice: still one record

    assert response.status_code == 302
    [record] = InvolvementRecord.objects.all()
    assert (record.member, record.consultation, record.activity_type) == (
        ann,
        None,
        ActivityType.EVENT,
    )
    assert (record.description, record.contact_minutes, record.mode) == (
        event.title,
        330,
        InvolvementRecord.Mode.IN_PERSON,
    )
    assert record.date == timezone.localtime(event.start).date()
    assert record.payment_offered == Decimal("151.25")  # 5.5 hours at £27.50
    people["ann"].refresh_from_db()
    assert people["ann"].involvement == record
    assert people["bob"].involvement is None  # a visitor: nothing to pay through the log
    assert set(
        Registration.objects.filter(attendance="attended").values_list("name", flat=True)
    ) == {
        "Ann",
        '=HYPERLINK("http://x")',
    }
    # The member sees it on their page, to choose their payment.
    member = Client()
    member.force_login(ann.user)
    assert event.title in text_of(member.get("/me/"))
    # Unticking Ann does not undo her record: she stays as coming.
    manager.post(attendance_url(settings), {"shown": shown, "came": []})
    people["ann"].refresh_from_db()
    people["bob"].refresh_from_db()
    assert (people["ann"].attendance, people["bob"].attendance) == ("attended", "absent")
    assert InvolvementRecord.objects.count() == 1


def test_a_visitor_who_joined_afterwards_is_paid_as_a_member(manager, site_tree):
    settings = event_with_places(site_tree)
    registration = register(settings.event, "Eve", email="eve@example.org")
    eve = MemberFactory(display_name="Eve", user__email="EVE@example.org")
    settings.event.start = timezone.now() - datetime.timedelta(hours=1)
    settings.event.save_revision().publish()

    services.record_attendance(registration=registration, attended=True)

    registration.refresh_from_db()
    assert registration.member == eve
    assert registration.involvement.member == eve


def test_attendance_waits_for_the_event(manager, registered):
    settings, people, _ann = registered
    page = manager.get(attendance_url(settings))
    assert "You can mark who came once it has started." in text_of(page)
    response = manager.post(
        attendance_url(settings), {"shown": [people["ann"].pk], "came": [people["ann"].pk]}
    )
    assert response.status_code == 302
    assert not InvolvementRecord.objects.exists()
    assert Registration.objects.get(pk=people["ann"].pk).attendance == ""


def test_a_manager_cancels_for_someone_and_the_waiting_list_moves_up(manager, registered):
    settings, people, _ann = registered
    mail.outbox.clear()
    url = reverse("event_registrations:cancel", args=[people["bob"].pk])
    assert "Cancel the registration" in text_of(manager.get(url))

    response = manager.post(url)

    assert response["Location"] == list_url(settings)
    people["cat"].refresh_from_db()
    assert (people["cat"].status, people["cat"].place) == ("confirmed", 2)
    assert [m.to for m in mail.outbox] == [["cat@example.org"]]


def test_members_and_visitors_cannot_open_the_managers_pages(registered):
    settings, people, ann = registered
    member = Client()
    member.force_login(ann.user)
    for url in [
        reverse("event_registrations:index"),
        list_url(settings),
        list_url(settings) + "?export=csv",
        attendance_url(settings),
        reverse("event_registrations:cancel", args=[people["bob"].pk]),
    ]:
        assert member.get(url).status_code == 302  # to the sign-in: no admin for members
        assert Client().get(url).status_code == 302
    assert (
        member.post(reverse("event_registrations:cancel", args=[people["bob"].pk])).status_code
        == 302
    )
    assert Registration.objects.get(pk=people["bob"].pk).status == "confirmed"
