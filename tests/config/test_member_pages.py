"""A signed-in member's pages as production serves them (the page cache on): at most ten
queries each, the same with five times the data, and what managers change shows at once."""

import pytest
import wagtail_factories
from django.test import Client, override_settings

from cms.models import SiteSettings
from engagement.consultations import services
from engagement.models import Consultation, Feature, PollChoice
from tests.factories.consultations import ConsultationFactory, InvitationFactory, PollFactory
from tests.factories.feedback import QuestionnaireFactory, add_screens
from tests.factories.membership import MemberFactory
from tests.html import soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)

# The user; the member, with whether an agreement is to older wording; their permissions; then
# the page's own: on /me/ their open consultations, outcomes, ideas, involvement (listed and
# summed per tax year), interests and consent history; on a consultation page the
# consultation, whether the member is invited and their invitation, their votes and poll
# answers, questionnaire reviews and prototype review (9 for one open to all, as the demo's).
# The site's chrome and the consultation's parts (features, polls, screens) come from the cache.
ME_PAGE = 10
CONSULTATION_PAGE = 10
BUDGET = 10  # issue 13: at most ten queries on a member page


@pytest.fixture
def page_cache_on(site_tree):
    SiteSettings.for_site(site_tree["home"].get_site())  # made on a site's very first visit
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield


def consultations(site_tree, member, n: int) -> list[Consultation]:
    """`n` open consultations the member is invited to, each with 3 features with images, a
    poll, a questionnaire and the prototype's screens."""
    made = []
    for _ in range(n):
        consultation = ConsultationFactory(
            features=3,
            audience=Consultation.Audience.INVITED,
            prototype=site_tree["prototype"],
        )
        Feature.objects.filter(consultation=consultation).update(
            image=wagtail_factories.ImageFactory()
        )
        PollFactory(consultation=consultation, choices=["Phone", "Tablet"])
        QuestionnaireFactory(items=["Energy"], consultation=consultation)
        InvitationFactory(consultation=consultation, member=member)
        made.append(consultation)
    return made


def count(client, url, django_assert_num_queries, expected):
    client.get(url)  # warm-up: the session, the site's chrome and the parts are stored
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", [1, 5])
def test_me_and_a_consultation_page_in_at_most_ten_queries(site_tree, n, django_assert_num_queries):
    screens = add_screens(site_tree["prototype"])
    member = MemberFactory()
    made = consultations(site_tree, member, n)
    services.cast_votes(
        member=member, consultation=made[0], values={made[0].features.first().pk: 1}
    )
    client = Client()
    client.force_login(member.user)

    me = count(client, "/me/", django_assert_num_queries, ME_PAGE)
    page = count(client, made[0].get_absolute_url(), django_assert_num_queries, CONSULTATION_PAGE)

    assert max(ME_PAGE, CONSULTATION_PAGE) <= BUDGET
    heading = soup(me).find(id="open-heading")
    assert len(heading.find_parent("section").select(".card")) == n
    assert page.content.decode().count('class="feature"') == 3
    assert len(soup(page).select("ol.screens li.screen")) == len(screens)


def test_a_feature_a_manager_adds_shows_at_once(site_tree):
    member = MemberFactory()
    (consultation,) = consultations(site_tree, member, 1)
    client = Client()
    client.force_login(member.user)
    assert client.get(consultation.get_absolute_url()).status_code == 200  # parts stored

    Feature.objects.create(consultation=consultation, title="A bigger text size", sort_order=9)
    poll = consultation.polls.get()
    PollChoice.objects.create(poll=poll, text="Smart watch", sort_order=9)

    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "A bigger text size" in html
    assert "Smart watch" in html
