"""/me/data/: everything held about a member, as a page they can read and print and as a JSON
download, with their own receipts; the same number of queries however much they hold."""

import json

import pytest
from django.test import Client

from engagement.models import ConsentPurpose, InvolvementRecord
from tests.factories.membership import MemberFactory, UserFactory, consent_text
from tests.factories.personal_data import (
    EMAIL,
    FREE_TEXT,
    NAME,
    PHONE,
    PNG,
    member_with_everything,
)
from tests.html import labelled, section, soup, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]


@pytest.fixture
def zelda(site_tree):
    return member_with_everything(site_tree)


@pytest.fixture
def client(zelda):
    client = Client()
    client.force_login(zelda.user)
    return client


HEADINGS = [
    "Your details",
    "What you agreed to, and when",
    "Invitations we sent you",
    "Your votes",
    "Your answers to quick questions",
    "Events you registered for",
    "What you did with us, and payments",
    "Ideas you suggested",
    "Your questionnaire reviews",
    "Your app design reviews",
    "What we told you came of it",
    "Your equality monitoring answers",
]


def test_the_page_shows_everything_held_in_plain_english(client, zelda):
    response = client.get("/me/data/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Everything we hold about you"
    assert [h.get_text(strip=True) for h in page.find_all("h2")][1:] == HEADINGS
    details = section(response, "data-member-heading")
    for expected in [NAME, EMAIL, PHONE, "I have had, or am having, CAR-T therapy", "Website"]:
        assert expected in details
    consents = section(response, "data-consents-heading")
    for purpose in [ConsentPurpose.JOIN, ConsentPurpose.HEALTH_ROLE, ConsentPurpose.QUOTE]:
        assert consent_text(purpose).statement in consents
        assert consent_text(purpose).body in consents
    assert "Version of the wording 1" in consents
    assert "Feature 0" in section(response, "data-votes-heading")
    polls = section(response, "data-poll_answers-heading")
    assert "Daily" in polls and f"{FREE_TEXT} 0" in polls
    assert f"{FREE_TEXT} 0" in section(response, "data-invitations-heading")
    involvement = section(response, "data-involvement-heading")
    assert "Design workshop" in involvement and "30.00" in involvement
    questionnaires = section(response, "data-questionnaire_reviews-heading")
    assert "Item 1" in questionnaires and "Quite relevant" in questionnaires
    prototypes = section(response, "data-prototype_reviews-heading")
    assert "Design 0" in prototypes and "Home" in prototypes and "75" in prototypes
    assert "Outcome 0" in section(response, "data-outcome_notices-heading")
    ideas = section(response, "data-ideas-heading")
    assert f"{FREE_TEXT} 0" in ideas and "Not taken forward" in ideas
    assert "The feature it became Idea feature 0" in ideas
    events = section(response, "data-event_registrations-heading")
    assert "Event 0 (member)" in events and "Event 0 (visitor)" in events
    assert f"{FREE_TEXT} 0" in events and "Has a place" in events
    assert "White: Irish" in section(response, "data-equality_answers-heading")
    about = section(response, "about-heading")
    assert "6 years" in about  # FINANCE_RETENTION_YEARS
    links = {a["href"] for a in page.find_all("a", href=True)}
    assert "/me/data/my-ppie-data.json" in links


def test_the_json_download_holds_the_same(client, zelda):
    response = client.get("/me/data/my-ppie-data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="my-ppie-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["member"]["email"] == EMAIL
    assert data["member"]["phone"] == PHONE
    assert {c["version"] for c in data["consents"]} == {1}
    assert len(data["votes"]) == 2
    assert [a["other_text"] for a in data["poll_answers"]] == ["", f"{FREE_TEXT} 0 from {NAME}"]
    assert data["invitations"][0]["access_needs"].startswith(FREE_TEXT)
    record = data["involvement"][0]
    assert record["payment_offered"] == "30.00" and record["expenses_claimed"] == "4.50"
    assert record["download"].startswith("/me/data/receipts/")
    review = data["questionnaire_reviews"][0]
    assert review["overall_comment"].startswith(FREE_TEXT)
    assert [p["comment"] for p in review["parts"]] == [f"{FREE_TEXT} 0 from {NAME}"] * 2
    prototype = data["prototype_reviews"][0]
    assert prototype["sus_answers"][0] == 4
    assert prototype["parts"][0]["comment"].startswith(FREE_TEXT)
    assert data["outcome_notices"][0]["outcome"] == "Outcome 0"
    ideas = {idea["status"]: idea for idea in data["ideas"]}
    assert set(ideas) == {
        "Waiting for the team to look at it",
        "Not taken forward",
        "Taken forward",
    }
    assert ideas["Not taken forward"]["reason"] == f"{FREE_TEXT} 0 from {NAME}"
    assert ideas["Waiting for the team to look at it"]["suggested_for"] == "Consultation 0"
    assert ideas["Taken forward"]["feature"] == "Idea feature 0"
    registrations = data["event_registrations"]
    assert [r["event"] for r in registrations] == ["Event 0 (member)", "Event 0 (visitor)"]
    assert registrations[0]["email"] == EMAIL and registrations[0]["place"] == 1
    assert registrations[0]["dietary_needs"].startswith(FREE_TEXT)


def test_someone_else_sees_none_of_it(zelda):
    other = MemberFactory()
    client = Client()
    client.force_login(other.user)

    for url in ["/me/data/", "/me/data/my-ppie-data.json"]:
        body = client.get(url).content.decode()
        for secret in [NAME, EMAIL, PHONE, FREE_TEXT]:
            assert secret not in body


def test_a_member_downloads_their_own_receipt_and_nobody_else_can(client, zelda):
    record = InvolvementRecord.objects.get(member=zelda)
    url = f"/me/data/receipts/{record.pk}/"

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")

    other = Client()
    other.force_login(MemberFactory().user)
    assert other.get(url).status_code == 404
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


def test_a_record_without_a_receipt_is_not_found(client, zelda):
    record = InvolvementRecord.objects.get(member=zelda)
    record.receipt = ""
    record.save()
    assert client.get(f"/me/data/receipts/{record.pk}/").status_code == 404


def test_a_member_with_nothing_yet_sees_nothing_listed(site_tree):
    member = MemberFactory()
    client = Client()
    client.force_login(member.user)

    response = client.get("/me/data/")

    assert response.status_code == 200
    assert "Nothing." in section(response, "data-votes-heading")
    assert labelled(response, "data-member-heading")
    assert "Nothing." in text_of(response)
