"""Each agreement taken back on its own from /me/preferences/ (Art. 7(3)): first what changes,
then a button; every change a new consent record, nothing overwritten."""

import pytest
from django.test import Client

from engagement.membership import services
from engagement.models import ConsentPurpose, ConsentRecord, Member, Role
from tests.factories.membership import MemberFactory, consent_text
from tests.html import section, soup, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    member = MemberFactory(
        display_name="Ann",
        role=Role.PATIENT,
        phone="07700 900111",
        contact_preference=Member.ContactPreference.PHONE,
        consents=[
            ConsentPurpose.JOIN,
            ConsentPurpose.HEALTH_ROLE,
            ConsentPurpose.QUOTE,
            ConsentPurpose.PHONE,
        ],
    )
    return member


@pytest.fixture
def client(ann):
    client = Client()
    client.force_login(ann.user)
    return client


def records(member, purpose):
    return list(
        ConsentRecord.objects.filter(member=member, text__purpose=purpose)
        .order_by("pk")
        .values_list("action", "withdrawn_at")
    )


def test_preferences_list_each_agreement_with_a_way_to_take_it_back(client):
    response = client.get("/me/preferences/")

    agreements = section(response, "agreements-heading")
    assert "Store my health-related role Agreed (version 1" in agreements
    assert "Use my equality monitoring answers Not agreed" in agreements
    hrefs = {a["href"] for a in soup(response).find_all("a", href=True)}
    for purpose in ["quote", "health_role", "phone"]:
        assert f"/me/preferences/withdraw/{purpose}/" in hrefs
    assert "/me/preferences/withdraw/equality/" not in hrefs  # nothing to take back


@pytest.mark.parametrize("purpose", ["quote", "health_role", "phone"])
def test_the_confirm_page_says_exactly_what_changes(client, ann, purpose):
    response = client.get(f"/me/preferences/withdraw/{purpose}/")

    assert response.status_code == 200
    page_text = text_of(response)
    assert consent_text(purpose).statement in page_text
    for effect in services.WITHDRAWAL_EFFECTS[purpose]:
        assert str(effect) in page_text
    assert soup(response).find("form", method="post").find("button", string="Take it back")
    # Looking changes nothing.
    assert records(ann, purpose) == [("given", None)]


def test_taking_back_the_health_role_removes_the_role_and_keeps_membership(client, ann):
    response = client.post("/me/preferences/withdraw/health_role/", follow=True)

    assert response.redirect_chain == [("/me/preferences/", 302)]
    assert "Done: you have taken back “Store my health-related role”." in text_of(response)
    ann.refresh_from_db()
    assert ann.role == Role.OTHER
    assert ann.status == Member.Status.ACTIVE
    (given, given_ended), (withdrawn, withdrawn_at) = records(ann, "health_role")
    assert (given, withdrawn) == ("given", "withdrawn")
    assert given_ended == withdrawn_at is not None
    # The others stay.
    assert records(ann, "quote") == [("given", None)]
    assert records(ann, "join") == [("given", None)]
    assert "Store my health-related role Not agreed" in section(response, "agreements-heading")


def test_taking_back_phone_contact_deletes_the_number(client, ann):
    client.post("/me/preferences/withdraw/phone/")

    ann.refresh_from_db()
    assert (ann.phone, ann.contact_preference) == ("", Member.ContactPreference.EMAIL)
    assert [a for a, _ in records(ann, "phone")] == ["given", "withdrawn"]
    assert ann.role == Role.PATIENT


def test_taking_back_quotes_changes_nothing_else(client, ann):
    client.post("/me/preferences/withdraw/quote/")

    ann.refresh_from_db()
    assert [a for a, _ in records(ann, "quote")] == ["given", "withdrawn"]
    assert (ann.role, ann.phone) == (Role.PATIENT, "07700 900111")


def test_taking_back_twice_adds_no_second_record(client, ann):
    client.post("/me/preferences/withdraw/quote/")
    response = client.post("/me/preferences/withdraw/quote/", follow=True)

    assert "nothing to take back" in text_of(response)
    assert len(records(ann, "quote")) == 2


@pytest.mark.parametrize("purpose", ["join", "nonsense", "equality-x"])
def test_other_purposes_are_not_found(client, purpose):
    assert client.get(f"/me/preferences/withdraw/{purpose}/").status_code == 404
    assert client.post(f"/me/preferences/withdraw/{purpose}/").status_code == 404


def test_withdrawing_needs_the_form_token(ann):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ann.user)
    assert client.post("/me/preferences/withdraw/quote/").status_code == 403
    assert records(ann, "quote") == [("given", None)]


def test_saving_a_phone_number_records_the_agreement_and_clearing_it_ends_it():
    member = MemberFactory(display_name="Bo")
    client = Client()
    client.force_login(member.user)
    client.post(
        "/me/preferences/",
        {"display_name": "Bo", "contact_preference": "text", "phone": "07700 900555"},
    )
    assert records(member, "phone") == [("given", None)]

    client.post("/me/preferences/", {"display_name": "Bo", "contact_preference": "email"})
    assert [a for a, _ in records(member, "phone")] == ["given", "withdrawn"]
