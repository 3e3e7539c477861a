"""Kiosk mode: a shared tablet at an event stand keeps nothing of one person for the next."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail

from engagement.models import Campaign, Channel, Member, Role
from tests.factories.membership import CampaignFactory, InterestFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


URL = "/join/stand/kiosk/"
TOKEN = "health_role:1,join:1,quote:1"


@pytest.fixture
def campaign(db):
    return CampaignFactory(code="stand", label="Stand at the CAR-T day")


def person(**overrides):
    values = {
        "display_name": "Kim Kiosk",
        "email": "kim@example.org",
        "role": Role.PATIENT,
        "contact_preference": "phone",
        "phone": "07700 900456",
        "access_needs": "Needs step-free access",
        "consent_join": "on",
        "consent_health_role": "on",
        "consent_quote": "on",
        "consent_versions": TOKEN,
    }
    values.update(overrides)
    return values


def assert_no_session(response):
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.SESSION_COOKIE_NAME not in response.client.cookies
    assert not Session.objects.exists()


def test_kiosk_form_turns_autocomplete_off(client, campaign):
    page = soup(client.get(URL))

    form = page.find("form", class_="join-form")
    assert form["autocomplete"] == "off"
    inputs = [i for i in form.find_all(["input", "textarea"]) if i.get("type") not in {"hidden"}]
    assert inputs
    assert all(i.get("autocomplete") == "off" for i in inputs), [
        i.get("name") for i in inputs if i.get("autocomplete") != "off"
    ]


def test_public_join_page_does_offer_autocomplete(client, campaign):
    """The contrast: on a person's own phone their browser may fill the form in."""
    page = soup(client.get("/join/stand/"))
    assert page.find(id="id_email")["autocomplete"] == "email"
    assert page.find("form", class_="join-form").get("autocomplete") is None


def test_kiosk_pages_are_never_cached(client, campaign):
    for response in [client.get(URL), client.get(URL + "thanks/")]:
        assert "no-store" in response["Cache-Control"]
    response = client.post(URL, person(email=""))
    assert "no-store" in response["Cache-Control"]


def test_kiosk_sets_no_session_before_or_after_joining(client, campaign):
    response = client.get(URL)
    assert_no_session(response)

    response = client.post(URL, person())
    assert response.status_code == 302
    assert_no_session(response)

    response = client.get(response["Location"])
    assert_no_session(response)
    assert not response.context["messages"]._loaded_data  # no flash message left behind


def test_kiosk_sign_up_goes_to_a_thanks_page_that_returns_to_an_empty_form(client, campaign):
    InterestFactory(name="Checking questionnaires")
    response = client.post(URL, person())

    assert response.status_code == 302
    assert response["Location"] == URL + "thanks/"
    member = Member.objects.get()
    assert (member.channel, member.campaign) == (Channel.KIOSK, campaign)
    assert {r.channel for r in member.consents.all()} == {Channel.KIOSK}
    assert Campaign.objects.get().signup_count == 1
    assert mail.outbox[0].to == ["kim@example.org"]

    thanks = client.get(response["Location"])
    assert "Thank you" in soup(thanks).h1.get_text()
    assert "Kim" not in thanks.content.decode()
    assert soup(thanks).find("a", string="Next person")["href"] == URL
    # A timed return, if there is one, also goes back to the empty form.
    refresh = soup(thanks).find("meta", attrs={"http-equiv": "refresh"})
    if refresh is not None:
        assert re.fullmatch(r"\d+;url=(.+)", refresh["content"]).group(1) == URL

    page = soup(client.get(URL))
    for name in ["display_name", "email", "phone"]:
        assert not page.find(id=f"id_{name}").get("value"), name
    assert page.find(id="id_access_needs").get_text().strip() == ""
    assert not page.select('input[name="role"][checked]')
    for name in ["consent_join", "consent_health_role", "consent_quote"]:
        assert not page.find(id=f"id_{name}").has_attr("checked"), name
    html = page.decode()
    for secret in ["Kim Kiosk", "kim@example.org", "07700 900456", "step-free"]:
        assert secret not in html


def test_kiosk_visits_are_not_counted_as_poster_scans(client, campaign):
    client.get(URL)
    client.get(URL)
    assert Campaign.objects.get().visit_count == 0


def test_kiosk_with_mistakes_keeps_answers_for_the_same_person_only(client, campaign):
    response = client.post(URL, person(email="kim-at-example"))

    assert response.status_code == 200
    page = soup(response)
    assert page.find(id="id_display_name")["value"] == "Kim Kiosk"
    assert "Enter an email address like name@example.com" in page.select_one(".error-message").text
    assert_no_session(response)
    assert not Member.objects.exists()
    # The next person to walk up gets a clean form.
    assert "Kim Kiosk" not in client.get(URL).content.decode()


def test_kiosk_for_an_unknown_code_still_works_unattributed(client):
    response = client.get("/join/nope/kiosk/")
    assert response.status_code == 200
    assert "could not find" in soup(response).select_one(".message").text

    response = client.post("/join/nope/kiosk/", person())
    assert response["Location"] == "/join/nope/kiosk/thanks/"
    member = Member.objects.get()
    assert (member.channel, member.campaign) == (Channel.KIOSK, None)


def test_thank_you_screen_clears_itself_without_javascript_too(client, campaign, settings):
    settings.KIOSK_RETURN_SECONDS = 20
    page = soup(client.get(URL + "thanks/"))
    # In <noscript>: a browser without JavaScript refreshes to the empty form after the same
    # countdown the script shows; with JavaScript the script alone runs the timer.
    noscript = page.head.find("noscript")
    assert noscript is not None
    refresh = BeautifulSoup(noscript.decode_contents(), "html.parser").find(
        "meta", attrs={"http-equiv": "refresh"}
    )
    assert refresh["content"] == f"20;url={URL}"
    assert page.find(attrs={"data-kiosk-countdown": "20"}) is not None
    words = page.get_text(" ", strip=True)
    assert "This screen clears for the next person after 20 seconds." in words
    assert page.find("a", string="Keep this screen (stop the timer)")["href"] == "?stay=1"


def test_keep_this_screen_stops_the_timer(client, campaign):
    response = client.get(URL + "thanks/?stay=1")
    page = soup(response)
    assert page.head.find("noscript") is None
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert page.find(attrs={"data-kiosk-countdown": True}) is None
    assert page.find("script") is None
    assert "Timer stopped." in page.find(attrs={"role": "status"}).get_text()
    assert page.find("a", string="Next person")["href"] == URL
    assert_no_session(response)
