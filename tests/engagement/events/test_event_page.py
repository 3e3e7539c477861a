"""Registering on an event's page, as a visitor and as a signed-in member; the page after
registering (check your email, and an offer to join, already filled in); the page every email
links to, without signing in: see it, cancel it, download it for a calendar."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import formats, timezone

from cms.models import SiteSettings
from engagement.events import selectors, services
from engagement.events.models import Registration, RegistrationSettings
from engagement.models import Campaign
from tests.clients import CommittingClient
from tests.factories.events import event_with_places, register
from tests.factories.membership import MemberFactory
from tests.html import field, field_value, labelled, saved_message, soup, text_of, words

pytestmark = pytest.mark.django_db
URL = "/events/car-t-day/"


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def places(site_tree):
    return event_with_places(site_tree, places=2)


def answers(**overrides) -> dict:
    values = {
        "form": "event-registration",
        "name": "Ann Visitor",
        "email": "ann@example.org",
        "access_needs": "A seat near the door",
        "dietary_needs": "Vegetarian",
        "website": "",
    }
    values.update(overrides)
    return values


def test_an_event_without_registrations_shows_no_form(client, site_tree):
    response = client.get(URL)
    assert response.status_code == 200
    assert not soup(response).find("form", method="post")
    assert "Places" not in text_of(response)


def test_the_page_shows_places_left_and_the_form(client, places):
    response = client.get(URL)

    assert response.status_code == 200
    section = labelled(response, "register-heading")
    assert "There are 2 places left." in words(section)
    closes = timezone.localtime(places.closing_time())
    # The time first: "10:00 a.m." ends in a full stop, so the sentence cannot end with it.
    assert (
        f"You can register until {formats.date_format(closes, 'g:i a')} on "
        f"{formats.date_format(closes, 'l j F Y')}." in words(section)
    )
    assert ".." not in words(section)
    assert "You do not need to be a member of our group to come." in words(section)
    assert field(section, "name").get("autocomplete") == "name"
    assert field(section, "access_needs").name == "textarea"
    assert field(section, "dietary_needs").name == "textarea"
    assert "2 of 2 left" in text_of(response)  # in the summary at the top
    assert section.find("button").get_text(strip=True) == "Register"


def test_a_visitor_registers_and_is_offered_the_join_form_filled_in(client, places):
    response = client.post(URL, answers())

    assert response.status_code == 302
    assert response["Location"] == "/registrations/thanks/"
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.status, registration.place) == (
        "Ann Visitor",
        "ann@example.org",
        "confirmed",
        1,
    )
    assert registration.member is None
    assert (registration.access_needs, registration.dietary_needs) == (
        "A seat near the door",
        "Vegetarian",
    )
    [email] = mail.outbox
    assert email.to == ["ann@example.org"]
    assert selectors.registration_link(registration) in email.body

    thanks = client.get(response["Location"])
    assert "We have sent an email to ann@example.org" in text_of(thanks)
    join = labelled(thanks, "join-heading")
    assert "You do not have to, and you can still come to the event." in words(join)
    link = join.find("a", string="Join the group")
    assert link["href"] == "/join/"

    form = client.get(link["href"])
    assert field_value(form, "display_name") == "Ann Visitor"
    assert field_value(form, "email") == "ann@example.org"


def test_the_join_offer_goes_through_the_events_campaign(client, places):
    Campaign.objects.create(code="cart-day", label="CAR-T day stand", event=places.event)
    response = client.post(URL, answers())
    thanks = client.get(response["Location"])
    join = labelled(thanks, "join-heading")
    assert join.find("a", string="Join the group")["href"] == "/join/cart-day/"


def test_the_answer_is_the_same_for_an_email_already_registered(client, places):
    """Nobody learns from the page who is going to an event (health events say something
    about health): the second registration with the same address looks the same, and the
    owner of the address gets the email again."""
    register(places.event, "Ann", email="ann@example.org")
    mail.outbox.clear()

    other = CommittingClient()
    response = other.post(URL, answers(name="Someone else"))

    assert response["Location"] == "/registrations/thanks/"
    assert Registration.objects.count() == 1
    assert Registration.objects.get().name == "Ann"


def test_errors_show_by_the_fields_and_keep_the_answers(client, places):
    response = client.post(URL, answers(name=" ", email="not an email"))

    assert response.status_code == 400
    page = soup(response)
    summary = page.find(class_="error-summary")
    assert "Enter your name" in words(summary)
    assert "Enter an email address like name@example.com" in words(summary)
    assert field_value(page, "access_needs") == "A seat near the door"
    assert field(page, "email")["aria-invalid"] == "true"
    assert not Registration.objects.exists()


def test_a_bot_filling_the_honeypot_registers_nobody(client, places):
    response = client.post(URL, answers(website="http://spam.example"))
    assert response["Location"] == "/registrations/thanks/"
    assert not Registration.objects.exists()


def test_too_many_registrations_from_one_address_are_refused_politely(client, places, settings):
    settings.JOIN_RATE_LIMITS = "1/60"
    client.post(URL, answers())
    response = client.post(URL, answers(email="bob@example.org"))
    assert response.status_code == 429
    assert "Please wait a minute" in text_of(response)
    assert field_value(response, "email") == "bob@example.org"
    assert Registration.objects.count() == 1


def test_when_full_the_form_offers_the_waiting_list(client, places):
    register(places.event, "Ann")
    register(places.event, "Bob")

    response = client.get(URL)
    section = labelled(response, "register-heading")
    assert "The event is full, but you can join the waiting list." in words(section)
    assert section.find("button").get_text(strip=True) == "Join the waiting list"

    client.post(URL, answers(email="cat@example.org"))
    assert Registration.objects.get(email="cat@example.org").status == "waiting"


def test_full_without_a_waiting_list_and_closed_show_no_form(client, site_tree):
    settings = event_with_places(site_tree, places=1, waiting_list=False)
    register(settings.event, "Ann")
    response = client.get(URL)
    assert "Sorry, this event is full." in text_of(response)
    assert not soup(response).find("form", method="post")

    settings.closes_at = timezone.now() - datetime.timedelta(hours=1)
    settings.save()
    response = client.get(URL)
    assert "Registration closed on" in text_of(response)
    response = client.post(URL, answers())  # a form loaded before it closed
    assert response.status_code == 400
    assert "Registration closed on" in text_of(response)
    assert Registration.objects.count() == 1


def test_a_signed_in_member_finds_their_details_filled_in(client, places):
    member = MemberFactory(display_name="Pat", access_needs="Large print")
    client.force_login(member.user)

    response = client.get(URL)
    section = labelled(response, "register-heading")
    assert field_value(section, "name") == "Pat"
    assert field_value(section, "access_needs") == "Large print"
    email = field(section, "email")
    assert email.get("value") == member.user.email and email.has_attr("disabled")
    assert "Sign in" not in words(section)

    response = client.post(URL, answers(name="Pat", email="forged@example.org"))
    assert response.status_code == 302
    assert response["Location"] == URL + "#registration-saved"
    registration = Registration.objects.get()
    assert (registration.member, registration.email) == (member, member.user.email)

    page = client.get(URL)
    assert saved_message(page, "registration").startswith("You have a place.")
    section = labelled(page, "register-heading")
    assert not section.find("form")
    link = section.find("a", string=lambda s: s and "cancel it" in s)
    assert link["href"] == selectors.registration_url(registration)


def test_the_email_link_page_works_without_signing_in(places):
    ann = register(places.event, "Ann")
    visitor = Client()
    url = selectors.registration_url(ann)

    response = visitor.get(url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "You have a place" in text_of(response)
    assert soup(response).find("meta", attrs={"name": "robots"})["content"] == "noindex"
    calendar = visitor.get(selectors.calendar_url(ann))
    assert calendar["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in calendar.content


def test_cancelling_by_the_link_moves_the_waiting_list_up(places):
    ann, _bob, cat = [register(places.event, n) for n in ["Ann", "Bob", "Cat"]]
    visitor = CommittingClient()
    url = selectors.registration_url(ann)
    mail.outbox.clear()

    page = visitor.get(url)
    form = soup(page).find("form", method="post")
    assert form.find("button").get_text(strip=True) == "Cancel my place"
    response = visitor.post(form["action"])

    assert response["Location"] == url + "#registration-saved"
    page = visitor.get(url)
    assert saved_message(page, "registration").startswith("Done: your registration is cancelled")
    assert "Cancelled" in text_of(page)
    assert not soup(page).find("form", method="post")
    cat.refresh_from_db()
    assert (cat.status, cat.place) == ("confirmed", 1)
    assert [m.to for m in mail.outbox] == [["cat@example.org"]]


def test_a_cancel_link_needs_its_signature(places):
    ann = register(places.event, "Ann")
    visitor = Client()
    assert visitor.get(f"/registrations/{ann.pk}/").status_code == 404
    assert visitor.get(f"/registrations/{ann.pk}:forged/").status_code == 404
    assert visitor.post(f"/registrations/{ann.pk}:forged/cancel/").status_code == 404
    assert visitor.get("/registrations/" + "9" * 30 + ":x/").status_code == 404
    ann.refresh_from_db()
    assert ann.status == "confirmed"
    assert (
        visitor.get(selectors.calendar_url(ann).replace(str(ann.pk), "1" + str(ann.pk))).status_code
        == 404
    )


def test_the_event_page_is_never_served_from_the_page_cache(site_tree, settings):
    """Places change without a publish: a full event (no form on the page, so nothing else
    stops the cache) shows the place given up a moment later."""
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(site_tree["home"].get_site())  # made on a first visit otherwise
    full = event_with_places(site_tree, places=1, waiting_list=False)
    ann = register(full.event, "Ann")
    assert "Sorry, this event is full." in text_of(Client().get(URL))

    services.cancel(registration=ann)

    response = Client().get(URL)
    assert "There is 1 place left." in text_of(response)


def test_taking_registrations_shows_at_once_on_a_cached_page(
    site_tree, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(site_tree["home"].get_site())
    assert "Places" not in text_of(Client().get(URL))
    with django_assert_num_queries(0):
        Client().get(URL)  # stored: an event without registrations is a plain page

    with django_capture_on_commit_callbacks(execute=True):
        services.save_settings(settings=RegistrationSettings(event=site_tree["event"], places=5))

    assert "There are 5 places left." in text_of(Client().get(URL))
