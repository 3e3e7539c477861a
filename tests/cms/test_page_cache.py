"""The anonymous page cache: a second visit is served without touching the database, and any
publish shows the new content at once; signed-in people always get a fresh page."""

import pytest
from django.test import override_settings

from cms.models import SiteSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]


@override_settings(PAGE_CACHE_SECONDS=600)
def test_second_anonymous_visit_is_served_from_the_cache(
    client, site_tree, django_assert_num_queries
):
    news = site_tree["news"]
    SiteSettings.for_site(site_tree["home"].get_site())  # created on the very first visit
    first = client.get(news.url)
    assert first.status_code == 200
    # Wagtail still finds the site and walks to the page; rendering (settings, menu, tags,
    # images) is skipped: 12 queries uncached (tests/cms/test_query_counts.py).
    with django_assert_num_queries(6):
        second = client.get(news.url)
    assert second.status_code == 200
    assert second.content == first.content
    assert "script-src 'self'" in second["Content-Security-Policy"]


@override_settings(PAGE_CACHE_SECONDS=600)
def test_publishing_shows_the_change_at_once(client, site_tree):
    news = site_tree["news"]
    client.get(news.url)
    news.title = "A brand new headline"
    news.save_revision().publish()
    assert b"A brand new headline" in client.get(news.url).content


@override_settings(PAGE_CACHE_SECONDS=600)
def test_signed_in_members_get_a_fresh_page(client, site_tree, django_user_model):
    user = django_user_model.objects.create_user(email="pat@example.org")
    client.get(site_tree["home"].url)
    client.force_login(user)
    assert b"Sign out" in client.get(site_tree["home"].url).content


@override_settings(PAGE_CACHE_SECONDS=0)
def test_turned_off_with_zero_seconds(client, site_tree, django_assert_max_num_queries):
    client.get(site_tree["news"].url)
    response = client.get(site_tree["news"].url)
    assert response.status_code == 200
