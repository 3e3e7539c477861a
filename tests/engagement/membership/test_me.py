"""A member's own area: /me/, their details, their data, and leaving the group."""

import datetime
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from engagement.models import ConsentPurpose, ConsentRecord, Member, Role
from tests.clients import CommittingClient
from tests.factories.membership import (
    CampaignFactory,
    ConsentTextFactory,
    InterestFactory,
    MemberFactory,
    UserFactory,
    consent_text,
)
from tests.html import labelled, saved_message, section, soup, text_of

User = get_user_model()
pytestmark = pytest.mark.django_db

SIGN_IN_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


@pytest.fixture
def ann(db):
    return MemberFactory(
        display_name="Ann",
        user__email="ann@example.org",
        role=Role.CARER,
        interests=[InterestFactory(name="Trying app designs")],
        access_needs="Large print",
        contact_preference="phone",
        phone="07700 900111",
        campaign=CampaignFactory(label="Regional CAR-T day"),
        consents=[ConsentPurpose.JOIN, ConsentPurpose.HEALTH_ROLE],
        verified_email=True,
    )


@pytest.fixture
def bob(db):
    return MemberFactory(
        display_name="Bobby Secret",
        user__email="bob.secret@example.org",
        role=Role.PATIENT,
        interests=[InterestFactory(name="Meetings and events")],
        access_needs="Bob's wheelchair",
        phone="07700 900999",
        consents=[ConsentPurpose.JOIN, ConsentPurpose.HEALTH_ROLE, ConsentPurpose.QUOTE],
    )


BOB_SECRETS = ["Bobby Secret", "bob.secret@example.org", "Bob's wheelchair", "07700 900999"]


# --- Who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/me/", "/me/preferences/", "/me/data/", "/me/withdraw/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_signed_in_but_not_a_member(client):
    client.force_login(UserFactory())

    response = client.get("/me/")
    assert response.status_code == 200
    assert "not a member of the stakeholder group" in text_of(response)
    assert soup(response).find("a", string="Join the stakeholder group")["href"] == "/join/"
    assert client.get("/me/data/").status_code == 404
    assert client.get("/me/data/my-ppie-data.json").status_code == 404
    assert client.get("/me/preferences/").status_code == 404
    assert client.get("/me/withdraw/").status_code == 404


# --- /me/ -------------------------------------------------------------------------------------


def test_member_sees_their_own_details_and_consents(client, ann, bob):
    client.force_login(ann.user)

    response = client.get("/me/")

    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == "Hello Ann"
    details = section(response, "profile-heading")
    for expected in [
        "ann@example.org",
        "I care for someone who has had CAR-T therapy",
        "Trying app designs",
        "Large print",
        "Phone call (07700 900111)",
        "Regional CAR-T day",
    ]:
        assert expected in details
    consents = section(response, "consent-heading")
    assert consent_text(ConsentPurpose.JOIN).statement in consents
    assert consent_text(ConsentPurpose.HEALTH_ROLE).statement in consents
    assert consent_text(ConsentPurpose.QUOTE).statement not in consents
    assert consents.count("version 1") == 2
    html = response.content.decode()
    for secret in BOB_SECRETS + ["Meetings and events"]:
        assert secret not in html


def test_withdrawn_consent_is_not_listed_as_current(client, ann):
    ConsentRecord.objects.create(
        member=ann,
        text=consent_text(ConsentPurpose.QUOTE),
        channel="web",
        withdrawn_at=ann.joined_at + datetime.timedelta(days=1),
    )
    client.force_login(ann.user)

    consents = section(client.get("/me/"), "consent-heading")

    assert consent_text(ConsentPurpose.QUOTE).statement not in consents


def test_member_page_has_links_to_change_download_and_leave(client, ann):
    client.force_login(ann.user)
    page = soup(client.get("/me/"))
    hrefs = {a["href"] for a in page.find_all("a", href=True)}
    assert {"/me/preferences/", "/me/data/", "/me/withdraw/"} <= hrefs


# --- /me/data/ --------------------------------------------------------------------------------


def test_download_my_data(client, ann, bob):
    old_quote = ConsentRecord.objects.create(
        member=ann,
        text=consent_text(ConsentPurpose.QUOTE),
        channel="web",
        given_at=ann.joined_at + datetime.timedelta(hours=1),
        withdrawn_at=ann.joined_at + datetime.timedelta(days=1),
    )
    client.force_login(ann.user)

    response = client.get("/me/data/my-ppie-data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    member = data["member"]
    assert member["name_to_use"] == "Ann"
    assert member["email"] == "ann@example.org"
    assert member["interests"] == ["Trying app designs"]
    assert member["access_needs"] == "Large print"
    assert member["phone"] == "07700 900111"
    assert member["joined_via"] == "Regional CAR-T day"
    history = data["consents"]
    assert len(history) == 3  # join, health role, and the quote consent given then withdrawn
    for entry in history:
        assert {"statement", "version", "given_at", "withdrawn_at", "full_text"} <= set(entry)
        assert entry["version"] == 1
    statements = [entry["statement"] for entry in history]
    assert consent_text(ConsentPurpose.JOIN).statement in statements
    quote = next(e for e in history if e["statement"] == old_quote.text.statement)
    assert quote["given_at"] == old_quote.given_at.isoformat()
    assert quote["withdrawn_at"] == old_quote.withdrawn_at.isoformat()
    assert datetime.datetime.fromisoformat(history[0]["given_at"]) == ann.joined_at
    dumped = response.content.decode()
    for secret in BOB_SECRETS:
        assert secret not in dumped


def test_download_shows_the_version_each_consent_was_given_to(client, ann):
    ConsentTextFactory(purpose=ConsentPurpose.QUOTE, statement="Quote me, version two.")
    client.force_login(ann.user)
    client.post(
        "/me/preferences/",
        {
            "display_name": "Ann",
            "contact_preference": "email",
            "quote_consent": "on",
        },
    )

    history = json.loads(client.get("/me/data/my-ppie-data.json").content)["consents"]

    quote = [e for e in history if e["statement"] == "Quote me, version two."]
    assert [e["version"] for e in quote] == [2]


# --- /me/preferences/ -------------------------------------------------------------------------


def test_preferences_form_starts_with_the_current_details(client, ann):
    client.force_login(ann.user)

    page = soup(client.get("/me/preferences/"))

    assert page.find(id="id_display_name")["value"] == "Ann"
    assert page.find(id="id_phone")["value"] == "07700 900111"
    assert page.find(id="id_access_needs").get_text().strip() == "Large print"
    assert page.select_one('input[name="contact_preference"][checked]')["value"] == "phone"
    checked = page.select('input[name="interests"][checked]')
    assert [i.find_next("label").get_text() for i in checked] == ["Trying app designs"]
    assert not page.find(id="id_quote_consent").has_attr("checked")


def test_changing_preferences(client, ann):
    newsletters = InterestFactory(name="News and updates")
    client.force_login(ann.user)

    response = client.post(
        "/me/preferences/",
        {
            "display_name": "  Annie   B ",
            "interests": [newsletters.pk],
            "access_needs": "",
            "contact_preference": "email",
            "phone": "",
            "quote_consent": "on",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/me/#profile-saved", 302)]
    assert saved_message(response, "profile") == "Your changes are saved."
    assert labelled(response, "profile-heading").find(id="profile-saved") is not None
    assert soup(response).h1.get_text(strip=True) == "Hello Annie B"
    details = section(response, "profile-heading")
    assert "News and updates" in details
    assert "Trying app designs" not in details
    assert "None given" in details
    consents = section(response, "consent-heading")
    assert consent_text(ConsentPurpose.QUOTE).statement in consents

    # Unticking takes the agreement back, as easily as it was given.
    client.post(
        "/me/preferences/",
        {"display_name": "Annie B", "contact_preference": "email"},
    )
    consents = section(client.get("/me/"), "consent-heading")
    assert consent_text(ConsentPurpose.QUOTE).statement not in consents
    record = ConsentRecord.objects.get(
        member=ann, text__purpose=ConsentPurpose.QUOTE, action="given"
    )
    assert record.withdrawn_at is not None
    assert ConsentRecord.objects.filter(
        member=ann, text__purpose=ConsentPurpose.QUOTE, action="withdrawn"
    ).exists()


@pytest.mark.parametrize(
    "field, bad, message",
    [
        ("phone", {"contact_preference": "text", "phone": ""}, "Enter a phone number"),
        ("display_name", {"display_name": "x" * 81}, "Name must be 80 characters or fewer"),
        ("display_name", {"display_name": " "}, "Enter the name you would like us to use"),
        ("access_needs", {"access_needs": "y" * 1001}, "1000 characters or fewer"),
        ("contact_preference", {"contact_preference": "pigeon"}, "Choose one of the options"),
    ],
)
def test_preferences_errors_are_shown_next_to_the_field(client, ann, field, bad, message):
    client.force_login(ann.user)
    posted = {
        "display_name": "Annie",
        "contact_preference": "phone",
        "phone": "07700 900222",
        "access_needs": "Rest breaks",
        "quote_consent": "on",
    }
    posted.update(bad)

    response = client.post("/me/preferences/", posted)

    assert response.status_code == 200
    page = soup(response)
    element = page.find(id=f"id_{field}")
    group = element.find_parent("div", class_="form-group")
    assert message in group.select_one(".error-message").get_text()
    if element.name == "fieldset":
        assert f"id_{field}-error" in element["aria-describedby"]
    else:
        assert element["aria-invalid"] == "true"
    # Nothing changed, and the other answers are still in the form.
    ann.refresh_from_db()
    assert (ann.display_name, ann.phone, ann.access_needs) == ("Ann", "07700 900111", "Large print")
    assert not ann.consents.filter(text__purpose=ConsentPurpose.QUOTE).exists()
    if field != "display_name":
        assert page.find(id="id_display_name")["value"] == "Annie"
    if field != "access_needs":
        assert page.find(id="id_access_needs").get_text().strip() == "Rest breaks"
    assert page.find(id="id_quote_consent").has_attr("checked")


# --- Leaving ----------------------------------------------------------------------------------


def test_withdraw_asks_first(client, ann):
    client.force_login(ann.user)

    response = client.get("/me/withdraw/")

    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Leave the stakeholder group"
    assert page.find("form", method="post").find("button", string="Leave the group")
    assert "we delete your name, email address, phone number and access needs" in text_of(response)
    assert Member.objects.get(pk=ann.pk).status == Member.Status.ACTIVE


def test_withdrawing_signs_out_and_cannot_sign_in_again(client, ann):
    # Signing in by code works before leaving...
    client.post("/accounts/login/code/", {"email": "ann@example.org"})
    assert SIGN_IN_CODE.search(mail.outbox[-1].body)
    client.force_login(ann.user)

    response = client.post("/me/withdraw/", follow=True)

    assert response.redirect_chain == [("/me/withdrawn/", 302)]
    assert soup(response).h1.get_text(strip=True) == "You have left the group"
    assert "Sign in" in soup(response).find("nav").get_text()  # signed out
    assert client.get("/me/")["Location"] == "/accounts/login/?next=/me/"

    member = Member.objects.get(pk=ann.pk)
    assert member.status == Member.Status.WITHDRAWN
    assert member.user is None
    assert (member.display_name, member.phone, member.access_needs) == ("", "", "")
    assert all(r.withdrawn_at for r in member.consents.all())
    assert not User.objects.filter(email="ann@example.org").exists()
    assert not EmailAddress.objects.filter(email="ann@example.org").exists()

    # ...and afterwards no sign-in code is sent: there is no account any more.
    mail.outbox.clear()
    client.post("/accounts/login/code/", {"email": "ann@example.org"})
    assert not any(SIGN_IN_CODE.search(message.body) for message in mail.outbox)


def test_withdraw_by_get_changes_nothing(client, ann):
    client.force_login(ann.user)
    client.get("/me/withdraw/")
    client.get("/me/withdraw/?confirm=1")
    assert Member.objects.get(pk=ann.pk).status == Member.Status.ACTIVE
    assert User.objects.filter(pk=ann.user.pk).exists()


def test_withdrawing_needs_the_form_token():
    ann = MemberFactory()
    browser = CommittingClient(enforce_csrf_checks=True)
    browser.force_login(ann.user)

    assert browser.post("/me/withdraw/").status_code == 403
    assert Member.objects.get(pk=ann.pk).status == Member.Status.ACTIVE


def test_leaving_does_not_touch_anyone_else(client, ann, bob):
    client.force_login(ann.user)
    client.post("/me/withdraw/")

    bob.refresh_from_db()
    assert bob.status == Member.Status.ACTIVE
    assert bob.display_name == "Bobby Secret"
    assert all(r.withdrawn_at is None for r in bob.consents.all())
