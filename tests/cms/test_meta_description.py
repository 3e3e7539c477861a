"""Every page has a <meta name="description">: the editor's search description, else the page's
own summary or introduction, else what pages of its type are for; pages outside Wagtail say
what they are for."""

import pytest

from cms.templatetags.cms_tags import DEFAULT_DESCRIPTIONS, SITE_DESCRIPTION
from tests.factories.membership import MemberFactory
from tests.html import soup

pytestmark = pytest.mark.django_db


def description(response) -> str:
    (meta,) = soup(response).find_all("meta", attrs={"name": "description"})
    assert meta["content"].strip(), "an empty description"
    return meta["content"]


def test_the_editors_search_description_comes_first(client, site_tree):
    news = site_tree["news"]
    news.search_description = "Our stand: photos and what people said."
    news.save_revision().publish()
    assert description(client.get(news.url)) == "Our stand: photos and what people said."


def test_else_the_pages_own_summary(client, site_tree):
    assert description(client.get(site_tree["news"].url)) == "Something happened."


def test_a_long_introduction_is_cut_to_160_characters(client, site_tree):
    about = site_tree["about"]
    about.intro = "Words " * 60
    about.save_revision().publish()
    text = description(client.get(about.url))
    assert len(text) <= 160
    assert text.startswith("Words Words")


def test_else_what_pages_of_its_type_are_for(client, site_tree):
    index = site_tree["news_index"]
    index.intro = ""
    index.save_revision().publish()
    assert description(client.get(index.url)) == str(DEFAULT_DESCRIPTIONS["NewsIndexPage"])


def test_rich_text_introductions_are_plain_text(client, site_tree):
    home = site_tree["home"]
    home.search_description = ""
    home.intro = "<p>People &amp; carers <b>help</b> us.</p>"
    home.save_revision().publish()
    assert description(client.get("/")) == "People & carers help us."


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/join/", "Join the group of patients, carers and members of the public"),
        ("/accounts/login/", "Sign in to the stakeholder group with a code we email to you."),
        ("/search/", "Search the news, events and app screens on this site."),
    ],
)
def test_pages_outside_wagtail_say_what_they_are_for(client, site_tree, url, expected):
    assert description(client.get(url)).startswith(expected)


def test_a_members_own_page_has_a_description(client, site_tree):
    client.force_login(MemberFactory().user)
    assert description(client.get("/me/")).startswith("Your page: what is open for your views")


def test_any_other_page_gets_the_sites_description(client, site_tree):
    assert description(client.get("/no-such-page/")) == str(SITE_DESCRIPTION)
