"""The join form every QR code opens is stored once and served to each visitor with their own
CSRF token (cms/page_cache.form_page): fast at a busy stand, never a token shared."""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import SiteSettings
from cms.page_cache import CSRF_PLACEHOLDER, current_version
from engagement.models import ConsentPurpose, Interest, Member
from tests.factories.membership import CampaignFactory, ConsentTextFactory, InterestFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # made on the first visit


def token_on(page) -> str:
    return soup(page).select_one(".join-form input[name=csrfmiddlewaretoken]")["value"]


def join_answers(page, email) -> dict:
    html = page.content.decode()
    index = next(
        i for i, f in enumerate(soup(html).find_all("form")) if "join-form" in f.get("class", [])
    )
    data = querydict_from_html(html, form_index=index, exclude_csrf=False)
    data.update(
        {
            "display_name": "Ann",
            "email": email,
            "role": "public",
            "contact_preference": "email",
            "consent_join": "on",
        }
    )
    return data


def test_two_visitors_get_their_own_token_and_each_can_join(django_assert_num_queries):
    first_visitor = Client(enforce_csrf_checks=True)
    second_visitor = Client(enforce_csrf_checks=True)
    first = first_visitor.get("/join/")

    with django_assert_num_queries(0):  # from the cache: no database work at all
        second = second_visitor.get("/join/")

    assert second.status_code == 200
    assert token_on(first) != token_on(second)
    assert CSRF_PLACEHOLDER not in second.content.decode()
    assert first_visitor.cookies["csrftoken"].value != second_visitor.cookies["csrftoken"].value
    for visitor, page, email in [
        (first_visitor, first, "first@example.org"),
        (second_visitor, second, "second@example.org"),
    ]:
        joined = visitor.post("/join/", join_answers(page, email))
        assert joined.status_code == 302, joined.content.decode()[:300]
    assert (
        Member.objects.filter(user__email__in=["first@example.org", "second@example.org"]).count()
        == 2
    )


def test_a_token_from_someone_else_s_page_does_not_work():
    """The stored page holds no visitor's token, so one cannot be handed to another."""
    owner, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = owner.get("/join/")
    other.get("/join/")

    refused = other.post("/join/", join_answers(page, "someone@example.org"))

    assert refused.status_code == 403
    assert not Member.objects.filter(user__email="someone@example.org").exists()


def test_what_is_stored_holds_the_placeholder_not_a_token():
    page = Client().get("/join/")

    stored = cache.get(f"form-page:{current_version()}:testserver:/join/")

    assert CSRF_PLACEHOLDER in stored
    assert token_on(page) not in stored


def test_a_new_interest_or_consent_text_shows_at_once():
    Client().get("/join/")
    InterestFactory(name="Sleep and tiredness")

    assert "Sleep and tiredness" in Client().get("/join/").content.decode()

    ConsentTextFactory(purpose=ConsentPurpose.JOIN, statement="I agree to version two.")
    assert "I agree to version two." in Client().get("/join/").content.decode()


def test_campaign_visits_are_still_counted_when_the_page_is_stored():
    campaign = CampaignFactory(pitch="Welcome, visitors to our stand")
    for _ in range(3):
        page = Client().get(f"/join/{campaign.code}/")
        assert "Welcome, visitors to our stand" in page.content.decode()

    campaign.refresh_from_db()
    assert campaign.visit_count == 3


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page():
    Client().get("/join/")
    Interest.objects.bulk_create([Interest(name="Added without a signal", sort_order=1)])
    assert "Added without a signal" not in Client().get("/join/").content.decode()  # stored

    visitor = Client()
    visitor.cookies["messages"] = "x"

    assert "Added without a signal" in visitor.get("/join/").content.decode()
