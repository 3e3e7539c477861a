"""Query counts of the join, member, members-list, export, campaigns and admin-home pages:
pinned, and the same with five or ten times the data (the pattern of Wagtail's
admin/tests/pages/test_explorer_view.py).

When a count changes on purpose, update the number here and say why in the commit."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from engagement.membership import services
from engagement.models import ConsentPurpose, Feature, Member, Role
from tests.factories.consultations import ConsultationFactory
from tests.factories.ideas import IdeaFactory, accepted_idea
from tests.factories.membership import (
    CampaignFactory,
    InterestFactory,
    ManagerFactory,
    MemberFactory,
)
from tests.factories.outcomes import outcome_index, outcome_page

# A real site (home page, menu sections, site settings): the header and footer query it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)

JOIN_QUERIES = 5
# One of them: the yearly totals, summed per tax year by the database; the member is looked up
# once, with whether an agreement is older than its wording (NewAgreementsMiddleware asks); two
# are the member's newest ideas (with what became of them) and the changes they led to on "you
# said, we did" pages; the consent history gives the agreements in force too. (17 before: the
# member looked up twice and the agreements checked apart, the consent records read twice,
# permissions in two queries.) With the page cache on, as in production, 3 fewer: the site's
# chrome (tests/config/test_member_pages.py).
ME_QUERIES = 14
MEMBERS_LIST_QUERIES = 12
MEMBERS_EXPORT_QUERIES = 5
CAMPAIGNS_LIST_QUERIES = 9
ADMIN_HOME_QUERIES = (
    28  # the dashboard: payments counted and summed, then listed; consultations by status
)


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def count_queries(client, url, status=200) -> tuple[int, list[str]]:
    read(client.get(url))  # warm-up: per-process caches (content types, site root paths, ...)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        read(response)  # a streamed export queries as it is read
    assert response.status_code == status
    return len(queries), [q["sql"] for q in queries.captured_queries]


def assert_count(client, url, expected):
    count, sql = count_queries(client, url)
    assert count == expected, f"{url}: {count} queries, pinned {expected}:\n" + "\n".join(sql)


def interests(n):
    return [InterestFactory(name=f"Topic {i}") for i in range(n)]


def add_members(n, campaigns, topics):
    for i in range(n):
        MemberFactory(
            role=[Role.PATIENT, Role.CARER, Role.PUBLIC, Role.CLINICIAN][i % 4],
            campaign=campaigns[i % len(campaigns)],
            interests=topics[i % 3 : i % 3 + 2],
            access_needs="Large print" if i % 2 else "",
        )


@pytest.mark.parametrize("scale", [1, 10])
def test_join_page(scale):
    add_members(2 * scale, [CampaignFactory() for _ in range(scale)], interests(5 * scale))

    assert_count(Client(), "/join/", JOIN_QUERIES)


@pytest.mark.parametrize("scale", [1, 10])
def test_campaign_join_page(scale):
    campaigns = [CampaignFactory() for _ in range(scale)]
    add_members(2 * scale, campaigns, interests(5 * scale))

    # One more query to find the campaign and one to count the visit.
    assert_count(Client(), f"/join/{campaigns[0].code}/", JOIN_QUERIES + 2)


@pytest.mark.parametrize("scale", [1, 10])
def test_member_page(scale):
    topics = interests(3 * scale)
    add_members(2 * scale, [CampaignFactory()], topics)
    member = MemberFactory(
        interests=topics,
        campaign=CampaignFactory(),
        consents=[ConsentPurpose.JOIN, ConsentPurpose.QUOTE],
        role=Role.PATIENT,
    )
    # A history that grows: the quote agreement taken back and given again, many times.
    for _ in range(scale):
        services.withdraw_consent(member=member, purpose=ConsentPurpose.QUOTE)
        services.give_consent(member=member, purpose=ConsentPurpose.QUOTE, channel="web")
    # Ideas: waiting, declined, and taken forward into features that changed the app.
    consultation = ConsultationFactory()
    changed = []
    for i in range(3 * scale):
        IdeaFactory(member=member, status=["new", "declined", "new"][i % 3])
        changed.append(Feature.objects.get(idea=accepted_idea(member, consultation)))
    outcome_page(
        outcome_index(Page.objects.get(depth=2)),
        consultation,
        changes=[{"title": "Changed", "features": changed}],
    )
    client = Client()
    client.force_login(member.user)

    assert_count(client, "/me/", ME_QUERIES)


@pytest.mark.parametrize("members", [4, 20])
def test_admin_members_list(members):
    campaigns = [CampaignFactory() for _ in range(members // 4)]
    add_members(members, campaigns, interests(members // 2))
    client = Client()
    client.force_login(ManagerFactory())

    assert_count(client, "/admin/members/", MEMBERS_LIST_QUERIES)


@pytest.mark.parametrize("members", [4, 20])
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_admin_members_export(members, export):
    campaigns = [CampaignFactory() for _ in range(members // 4)]
    add_members(members, campaigns, interests(members // 2))
    client = Client()
    client.force_login(ManagerFactory())

    assert_count(client, f"/admin/members/?export={export}", MEMBERS_EXPORT_QUERIES)


@pytest.mark.parametrize("campaigns", [2, 10])
def test_admin_campaigns_list(campaigns, site_tree):
    made = [CampaignFactory(event=site_tree["event"]) for _ in range(campaigns)]
    add_members(campaigns * 2, made, interests(3))
    client = Client()
    client.force_login(ManagerFactory())

    assert_count(client, "/admin/campaigns/", CAMPAIGNS_LIST_QUERIES)


@pytest.mark.parametrize("members", [4, 20])
def test_admin_home_with_the_sign_ups_panel(members):
    campaigns = [CampaignFactory() for _ in range(members // 4)]
    add_members(members, campaigns, interests(5))
    now = timezone.now()
    for i, member in enumerate(Member.objects.order_by("pk")):
        # Spread over (and beyond) the twelve weeks the panel shows.
        days = i * 7 % 100
        Member.objects.filter(pk=member.pk).update(joined_at=now - datetime.timedelta(days=days))
    client = Client()
    client.force_login(ManagerFactory())

    assert_count(client, "/admin/", ADMIN_HOME_QUERIES)


MY_DATA_QUERIES = 21  # the download's 17, and the site's header and footer
# User, member, and 15 for what is held, whatever its size (12 before ideas and event
# registrations: their ideas, the changes those led to, their places at events).
MY_DATA_JSON_QUERIES = 17


@pytest.mark.parametrize("scale", [1, 3])
def test_my_data_page_and_download(site_tree, scale):
    from tests.factories.personal_data import member_with_everything

    member = member_with_everything(site_tree, scale=scale)
    member_with_everything(site_tree, scale=scale, prefix="other-")  # someone else's, not read
    client = Client()
    client.force_login(member.user)

    assert_count(client, "/me/data/", MY_DATA_QUERIES)
    assert_count(client, "/me/data/my-ppie-data.json", MY_DATA_JSON_QUERIES)
