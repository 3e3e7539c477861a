"""Query counts of the consultation and results pages, pinned after a warm-up request, with five
times the members (and four times the features): they must not grow with the data.

If a number here changes, find out why before updating it: a count that differs between the
small and the large data set is an N+1 query."""

import pytest
from django.test import Client

from engagement.consultations import services
from engagement.models import Consultation, PollAnswer
from tests.factories.consultations import ConsultationFactory, PollFactory, bulk_voters
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.html import soup

pytestmark = pytest.mark.django_db

SIZES = [
    pytest.param(3, 2, id="3-members-2-features"),
    pytest.param(15, 2, id="15-members-2-features"),
    pytest.param(3, 8, id="3-members-8-features"),
]
METHODS = [Consultation.Method.SUPPORT, Consultation.Method.POINTS, Consultation.Method.DELPHI]

# Pinned numbers (SQLite and PostgreSQL alike): see the test that uses each.
# NewAgreementsMiddleware's question (is an agreement older than its wording?) is asked with
# the member, in the same query. The consultation page: its parts (features, polls and their
# choices, screens) in 4 queries, none with the page cache on (production; see
# tests/config/test_member_pages.py).
CONSULTATION_PAGE = 13  # with the member's invitation (what would make taking part easier)
# + the round-1 ratings that pre-fill round 2, their results by group, and whether the member
# finished round 1, so is asked in round 2. (16 and 22 before: the member's votes were read
# twice, and permissions took two queries.)
CONSULTATION_PAGE_DELPHI_ROUND_TWO = 19
RESULTS_PAGE = 14
RESULTS_PAGE_DELPHI = 15  # + who took part in each round (attrition), one query
# Response rate counts only active members; the invitation form moved to the overview page.
ADMIN_RESULTS_PAGE = 21
ADMIN_RESULTS_PAGE_DELPHI = 22  # + attrition


def build(method, members, features):
    """An open consultation with live results, one poll that everybody answered, and
    `members` members who each voted on all `features` features."""
    consultation = ConsultationFactory(
        voting_method=method,
        points_budget=1000 if method == Consultation.Method.POINTS else None,
        results_visibility=Consultation.Visibility.LIVE,
        features=features,
    )
    poll = PollFactory(consultation=consultation, choices=["Phone", "Tablet", "Computer"])
    voters = bulk_voters(consultation, members)
    choices = list(poll.choices.all())
    PollAnswer.objects.bulk_create(
        [PollAnswer(poll=poll, member=m, choice=choices[i % 3]) for i, m in enumerate(voters)]
    )
    return consultation


def member_client(consultation):
    """A member who has voted too, so their own votes and poll answer are on the page."""
    member = MemberFactory()
    first = consultation.features.order_by("sort_order").first()
    services.cast_votes(member=member, consultation=consultation, values={first.pk: 1})
    client = Client()
    client.force_login(member.user)
    return client


def get_counted(client, url, django_assert_num_queries, expected):
    client.get(url)  # warm-up: sessions, permission caches, site settings
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("members", "features"), SIZES)
def test_consultation_page(method, members, features, django_assert_num_queries):
    consultation = build(method, members, features)
    client = member_client(consultation)

    response = get_counted(
        client, consultation.get_absolute_url(), django_assert_num_queries, CONSULTATION_PAGE
    )
    assert response.content.decode().count('class="feature"') == features


@pytest.mark.parametrize(("members", "features"), SIZES)
def test_consultation_page_in_delphi_round_two(members, features, django_assert_num_queries):
    consultation = build(Consultation.Method.DELPHI, members, features)
    client = member_client(consultation)
    services.open_next_delphi_round(consultation=consultation)

    response = get_counted(
        client,
        consultation.get_absolute_url(),
        django_assert_num_queries,
        CONSULTATION_PAGE_DELPHI_ROUND_TWO,
    )
    assert len(soup(response).select(".previous-round")) == features


@pytest.mark.parametrize("weights", ["people", "equal"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("members", "features"), SIZES)
def test_results_page(method, members, features, weights, django_assert_num_queries):
    consultation = build(method, members, features)
    client = member_client(consultation)

    response = get_counted(
        client,
        f"/consultations/{consultation.slug}/results/?weights={weights}",
        django_assert_num_queries,
        RESULTS_PAGE_DELPHI if method == Consultation.Method.DELPHI else RESULTS_PAGE,
    )
    voted = "took part in round 1" if method == Consultation.Method.DELPHI else "voted"
    assert f"{members + 1} people {voted}." in response.content.decode()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("members", "features"), SIZES)
def test_admin_results_page(method, members, features, django_assert_num_queries):
    consultation = build(method, members, features)
    client = Client()
    client.force_login(ManagerFactory())

    response = get_counted(
        client,
        f"/admin/consultations/results/{consultation.pk}/",
        django_assert_num_queries,
        ADMIN_RESULTS_PAGE_DELPHI if method == Consultation.Method.DELPHI else ADMIN_RESULTS_PAGE,
    )
    assert f"{members} of {members} responded (100%)." in response.content.decode()
