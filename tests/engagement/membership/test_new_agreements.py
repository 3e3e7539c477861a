"""Fresh agreement to new wording: after a manager publishes a new version of a consent text,
members who agreed to an earlier one are asked on one page, the next time they come, to agree
or decline (declining takes that agreement back); their data and leaving stay reachable."""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone

from engagement.models import ConsentPurpose, ConsentRecord, Role
from tests.factories.membership import ConsentTextFactory, ManagerFactory, MemberFactory
from tests.html import soup, table_rows, text_of

pytestmark = pytest.mark.django_db

QUOTE, HEALTH, JOIN = ConsentPurpose.QUOTE, ConsentPurpose.HEALTH_ROLE, ConsentPurpose.JOIN


@pytest.fixture
def ann():
    return MemberFactory(role=Role.PATIENT, consents=[JOIN, HEALTH, QUOTE])


@pytest.fixture
def client(ann):
    client = Client()
    client.force_login(ann.user)
    return client


def new_quote_wording():
    return ConsentTextFactory(
        purpose=QUOTE, statement="You may quote me, now in videos too.", body="Videos as well."
    )


def in_force(member, purpose):
    return list(
        ConsentRecord.objects.filter(
            member=member, text__purpose=purpose, withdrawn_at__isnull=True
        ).values_list("text__version", flat=True)
    )


def test_nothing_changed_nobody_is_asked(client):
    assert client.get("/me/").status_code == 200
    assert client.get("/me/agreements/new/")["Location"] == "/me/"


@pytest.mark.parametrize("url", ["/me/", "/me/preferences/", "/consultations/anything/"])
def test_after_new_wording_members_are_sent_to_one_page(client, url):
    new_quote_wording()

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/me/agreements/new/?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize(
    "url",
    ["/me/data/", "/me/data/my-ppie-data.json", "/me/withdraw/", "/me/preferences/withdraw/quote/"],
)
def test_their_data_and_leaving_stay_reachable(client, url):
    new_quote_wording()
    assert client.get(url).status_code == 200


def test_a_draft_or_a_scheduled_version_asks_nobody(client):
    ConsentTextFactory(purpose=QUOTE, published_at=None)
    ConsentTextFactory(purpose=HEALTH, published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get("/me/").status_code == 200


def test_members_who_never_agreed_are_not_asked():
    member = MemberFactory(consents=[JOIN])
    new_quote_wording()
    client = Client()
    client.force_login(member.user)
    assert client.get("/me/").status_code == 200


def test_the_page_shows_the_new_wording_and_agreeing_records_the_new_version(client, ann):
    new_quote_wording()

    page = client.get("/me/agreements/new/?next=/me/preferences/")

    assert page.status_code == 200
    words = text_of(page)
    assert "You may quote me, now in videos too." in words
    assert "Videos as well." in words
    assert "You agreed to version 1" in words and "This is version 2" in words
    links = {a["href"] for a in soup(page).find_all("a", href=True)}
    assert {"/me/data/", "/me/withdraw/"} <= links

    response = client.post(
        "/me/agreements/new/", {"quote": "agree", "next": "/me/preferences/"}, follow=True
    )

    assert response.redirect_chain == [("/me/preferences/", 302)]
    assert in_force(ann, QUOTE) == [2]
    old = ConsentRecord.objects.get(member=ann, text__purpose=QUOTE, text__version=1)
    assert old.withdrawn_at is not None  # ended, not rewritten: still points at version 1
    assert client.get("/me/").status_code == 200


def test_declining_takes_that_agreement_back(client, ann):
    new_quote_wording()

    client.post("/me/agreements/new/", {"quote": "decline"})

    assert in_force(ann, QUOTE) == []
    assert ConsentRecord.objects.filter(member=ann, action="withdrawn", text__version=1).exists()
    assert in_force(ann, HEALTH) == [1]
    assert client.get("/me/").status_code == 200  # not asked again


def test_declining_the_health_role_wording_removes_the_role(client, ann):
    ConsentTextFactory(purpose=HEALTH)

    client.post("/me/agreements/new/", {"health_role": "decline"})

    ann.refresh_from_db()
    assert ann.role == Role.OTHER
    assert in_force(ann, HEALTH) == []


def test_declining_the_join_wording_goes_to_the_leave_page(client, ann):
    ConsentTextFactory(purpose=JOIN)

    response = client.post("/me/agreements/new/", {"join": "decline"}, follow=True)

    assert response.redirect_chain == [("/me/withdraw/", 302)]
    assert "you cannot stay in the group" in text_of(response)
    assert in_force(ann, JOIN) == [1]  # nothing happens until they press "Leave the group"


def test_several_changes_on_one_page_each_with_its_error(client, ann):
    new_quote_wording()
    ConsentTextFactory(purpose=HEALTH)

    response = client.post("/me/agreements/new/", {"quote": "agree"})

    assert response.status_code == 400
    page = soup(response)
    group = page.find(id="id_health_role").find_parent("div", class_="form-group")
    assert "Choose whether you agree to the new wording" in group.get_text()
    # The answer given is kept, and nothing is saved yet.
    assert page.find("input", {"name": "quote", "value": "agree"}).has_attr("checked")
    assert in_force(ann, QUOTE) == [1]


def test_a_foreign_next_address_is_not_followed(client):
    new_quote_wording()
    response = client.post(
        "/me/agreements/new/", {"quote": "agree", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/me/"


def test_form_posts_are_not_interrupted(client, ann):
    new_quote_wording()
    response = client.post(
        "/me/preferences/",
        {"display_name": "Ann", "contact_preference": "email", "quote_consent": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/#profile-saved"  # saved, not sent to the new wording


def test_managers_see_how_many_agreed_to_each_version(ann):
    new_quote_wording()
    MemberFactory(consents=[JOIN, QUOTE])  # agrees to version 2
    client = Client()
    client.force_login(ManagerFactory())

    response = client.get("/admin/consent_texts/?purpose=quote")

    assert response.status_code == 200
    rows = table_rows(soup(response).select_one("table.listing"))
    header = rows[0]
    now, ever = header.index("Agree now"), header.index("Agreed to this version (ever)")
    by_version = {
        row[0].removesuffix(" Edit Copy Delete"): (row[now], row[ever]) for row in rows[1:]
    }
    assert by_version["Quote my anonymised words in reports (v2)"] == ("1", "1")
    assert by_version["Quote my anonymised words in reports (v1)"] == ("1", "1")


@override_settings(PAGE_CACHE_SECONDS=600)
def test_with_pages_kept_for_members_new_wording_is_still_asked_for_at_once(client):
    assert client.get("/me/").status_code == 200
    assert client.get("/me/").status_code == 200  # the page, and that nothing is to ask, kept

    new_quote_wording()

    assert client.get("/me/")["Location"] == "/me/agreements/new/?next=%2Fme%2F"


@override_settings(PAGE_CACHE_SECONDS=600)
def test_nothing_is_kept_past_the_moment_a_wording_published_for_later_comes_into_force(
    client, monkeypatch
):
    ConsentTextFactory(purpose=QUOTE, published_at=timezone.now() + datetime.timedelta(seconds=30))
    cache = caches["default"]
    kept, keep = {}, cache.set

    def set_and_note(key, value, timeout, **kwargs):
        kept[key.split(":")[0]] = timeout
        return keep(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", set_and_note)

    assert client.get("/me/").status_code == 200
    # What to ask them, and the page: at most until the new wording is in force (30 s).
    assert set(kept) >= {"person", "personal-page"}
    assert 0 < kept["person"] <= 30
    assert 0 < kept["personal-page"] <= 30
