"""The anonymous page cache: a second visit is served without touching the database, and any
publish shows the new content at once; signed-in people always get a fresh page."""

import pytest
from django.test import Client, override_settings

from cms.models import SiteSettings
from tests.html import soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)


@override_settings(PAGE_CACHE_SECONDS=600)
def test_second_anonymous_visit_is_served_from_the_cache(
    client, site_tree, django_assert_num_queries
):
    news = site_tree["news"]
    SiteSettings.for_site(site_tree["home"].get_site())  # created on the very first visit
    first = client.get(news.url)
    assert first.status_code == 200
    # Answered before routing: no query at all (12 uncached, tests/cms/test_query_counts.py).
    with django_assert_num_queries(0):
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


def stored(site_tree, *, then_changed: bool = False):
    """The news page, stored by a visitor without cookies; `then_changed`: its title then
    changed in the database without a publish, so a page showing the old title came from the
    store."""
    news = site_tree["news"]
    SiteSettings.for_site(site_tree["home"].get_site())  # made on a site's very first visit
    Client().get(news.url)
    if then_changed:
        type(news).objects.filter(pk=news.pk).update(title="Changed without publishing")
    return news


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_version_the_cache_lost_never_brings_back_a_page_stored_before(client, site_tree):
    """The version counter evicted (a full Redis, say) starts again from the clock, not from
    the number a page was stored at."""
    from django.core.cache import cache

    from cms import page_cache

    SiteSettings.for_site(site_tree["home"].get_site())
    cache.delete(page_cache.VERSION_KEY)  # as on its first use
    news = stored(site_tree, then_changed=True)
    cache.delete(page_cache.VERSION_KEY)  # evicted

    assert b"Changed without publishing" in client.get(news.url).content


def signed_in(client, django_user_model, email="pat@example.org", **fields):
    client.force_login(django_user_model.objects.create_user(email=email, **fields))
    return client


def test_a_member_gets_the_page_they_would_get_rendered_from_the_store(
    client, site_tree, django_user_model, settings
):
    """The stored page with their own account links is, byte for byte, the page rendered for
    them."""
    news = site_tree["news"]
    SiteSettings.for_site(site_tree["home"].get_site())
    signed_in(client, django_user_model)
    settings.PAGE_CACHE_SECONDS = 0
    rendered = client.get(news.url).content

    settings.PAGE_CACHE_SECONDS = 600
    Client().get(news.url)  # a visitor without cookies: the page is stored
    from_the_store = client.get(news.url)

    assert from_the_store.status_code == 200
    assert from_the_store.content == rendered
    assert "Sign out" in soup(from_the_store).find("nav").get_text()


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_member_is_served_the_stored_page_with_their_links_in_two_queries(
    client, site_tree, django_user_model, django_assert_num_queries
):
    news = stored(site_tree, then_changed=True)
    signed_in(client, django_user_model)

    with django_assert_num_queries(2):  # who they are, and whether they may manage
        response = client.get(news.url)

    assert b"Changed without publishing" not in response.content  # the stored page
    links = [a.get_text() for a in soup(response).find("nav").find_all("a")]
    assert links[-2:] == ["Your page", "Sign out"]
    assert "Sign in" not in links and "Manage" not in links


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_manager_is_shown_the_way_into_the_admin_on_a_stored_page(client, site_tree):
    from tests.factories.membership import ManagerFactory

    news = stored(site_tree)
    client.force_login(ManagerFactory())

    links = [a.get_text() for a in soup(client.get(news.url)).find("nav")("a")]

    assert links[-3:] == ["Your page", "Manage", "Sign out"]


@override_settings(
    PAGE_CACHE_SECONDS=600,
    MESSAGE_STORAGE="django.contrib.messages.storage.session.SessionStorage",
)
def test_a_member_with_a_message_waiting_in_the_session_gets_a_fresh_page_that_shows_it(
    client, site_tree, django_user_model
):
    """(With the default storage a waiting message is a cookie: see the test below.)"""
    from types import SimpleNamespace

    from django.contrib.messages import SUCCESS
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.session import SessionStorage

    news = stored(site_tree)
    signed_in(client, django_user_model)
    session = client.session
    storage = SessionStorage(SimpleNamespace(session=session))
    session[SessionStorage.session_key] = storage.serialize_messages(
        [Message(SUCCESS, "You are signed in.")]
    )
    session.save()

    assert "You are signed in." in soup(client.get(news.url)).find(class_="messages").get_text()


@pytest.mark.parametrize("cookie", ["messages", "django_language", "anything_else"])
@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_member_with_another_cookie_gets_a_freshly_rendered_page(
    client, site_tree, django_user_model, cookie
):
    news = stored(site_tree, then_changed=True)
    signed_in(client, django_user_model)
    client.cookies[cookie] = "x"

    assert b"Changed without publishing" in client.get(news.url).content


@override_settings(PAGE_CACHE_SECONDS=0)
def test_turned_off_with_zero_seconds(client, site_tree, django_assert_max_num_queries):
    client.get(site_tree["news"].url)
    response = client.get(site_tree["news"].url)
    assert response.status_code == 200


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_page_made_private_is_never_served_from_the_cache(client, site_tree):
    from wagtail.models import PageViewRestriction

    news = site_tree["news"]
    assert client.get(news.url).status_code == 200
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(news.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    assert client.get(news.url).status_code == 302  # and the private page was not stored


@override_settings(PAGE_CACHE_SECONDS=600)
def test_an_outcome_page_shows_new_responses_without_waiting_for_the_cache(client, site_tree):
    from engagement.models import Feature
    from tests.factories.consultations import ConsultationFactory
    from tests.factories.membership import MemberFactory
    from tests.factories.outcomes import outcome_index, outcome_page, vote_for

    consultation = ConsultationFactory(title="Which app features matter?")
    feature = Feature.objects.create(consultation=consultation, title="Diary", sort_order=1)
    vote_for(MemberFactory(), consultation, feature)
    page = outcome_page(outcome_index(site_tree["home"]), consultation)
    SiteSettings.for_site(site_tree["home"].get_site())  # created on the very first visit
    before = client.get(page.url).content.decode()

    vote_for(MemberFactory(), consultation, feature)
    after = client.get(page.url).content.decode()

    assert before != after  # the live findings moved on: the page was not served from the cache


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_visitor_with_only_a_csrf_cookie_gets_the_stored_page(
    client, site_tree, django_assert_num_queries
):
    """Someone who saw a form earlier carries a csrftoken cookie: it does not change the page."""
    news = site_tree["news"]
    SiteSettings.for_site(site_tree["home"].get_site())
    first = client.get(news.url)
    client.cookies["csrftoken"] = "a" * 32

    with django_assert_num_queries(0):
        second = client.get(news.url)

    assert second.content == first.content
    assert not second.cookies  # nobody else's token, and no new one


@pytest.mark.parametrize("cookie", ["messages", "django_language", "anything_else"])
@override_settings(PAGE_CACHE_SECONDS=600)
def test_any_other_cookie_gets_a_freshly_rendered_page(client, site_tree, cookie):
    news = site_tree["news"]
    client.get(news.url)
    news.title = "Changed without publishing a new cache version"
    type(news).objects.filter(pk=news.pk).update(title=news.title)
    client.cookies[cookie] = "x"

    assert b"Changed without publishing" in client.get(news.url).content


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_page_that_used_a_csrf_token_is_never_stored(rf):
    """The token on such a page belongs to the visitor it was rendered for."""
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware, get_token

    from cms import page_cache

    def view(request):
        setattr(request, page_cache.ATTRIBUTE, True)  # a public page, as mark_cacheable says
        return HttpResponse(f"<form>{get_token(request)}</form>", content_type="text/html")

    middleware = page_cache.PageCacheMiddleware(CsrfViewMiddleware(view))
    tokens = set()
    for _ in range(2):
        request = rf.get("/a-form/")
        request.COOKIES["csrftoken"] = "b" * 32
        tokens.add(middleware(request).content)

    assert len(tokens) == 2  # rendered (and masked) afresh each time, never shared
