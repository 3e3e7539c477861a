"""A member's page (/me/) lists the consultations open to them now, and only those."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from engagement.consultations.selectors import open_consultations_for
from engagement.models import Consultation, Member
from tests.factories.consultations import ConsultationFactory, InvitationFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db

INVITED = Consultation.Audience.INVITED
# pinned: the same with 2 and 20 open consultations (the yearly totals: 1 query; any new
# wording to agree to: asked with the member; the member's ideas: 1, as they have none taken
# forward; 15 before the member was looked up once, with that, and its agreements read once)
ME_PAGE = 12


def open_section(html: str) -> str:
    start = html.index('id="open-heading"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def consultations(member):
    now = timezone.now()
    made = {
        "open to all": ConsultationFactory(
            title="Open to all", closes_at=now + datetime.timedelta(days=3)
        ),
        "invited, me": ConsultationFactory(
            title="Invited, including me",
            audience=INVITED,
            closes_at=now + datetime.timedelta(days=1),
        ),
        "invited, not me": ConsultationFactory(title="Invited, not me", audience=INVITED),
        "closed": ConsultationFactory(title="Already closed", closed=True),
        "upcoming": ConsultationFactory(title="Not open yet", upcoming=True),
    }
    InvitationFactory(consultation=made["invited, me"], member=member)
    InvitationFactory(consultation=made["invited, not me"], member=MemberFactory())
    # An invitation to a closed consultation does not bring it back.
    InvitationFactory(consultation=made["closed"], member=member)
    return made


def test_me_lists_open_consultations_the_member_can_take_part_in(member, consultations):
    client = Client()
    client.force_login(member.user)

    response = client.get("/me/")

    assert response.status_code == 200
    section = open_section(response.content.decode())
    # Soonest closing first, each linking to its page.
    assert section.index("Invited, including me") < section.index("Open to all")
    assert f'href="{consultations["open to all"].get_absolute_url()}"' in section
    assert f'href="{consultations["invited, me"].get_absolute_url()}"' in section
    for hidden in ("Invited, not me", "Already closed", "Not open yet"):
        assert hidden not in section


def test_selector_gives_each_consultation_once(member, consultations):
    # Invited to an open-to-all consultation as well: still listed once.
    InvitationFactory(consultation=consultations["open to all"], member=member)
    titles = [c.title for c in open_consultations_for(member)]
    assert titles == ["Invited, including me", "Open to all"]


@pytest.mark.parametrize("status", [Member.Status.PAUSED, Member.Status.PENDING])
def test_members_who_are_not_active_see_nothing_open(status, consultations):
    member = MemberFactory(status=status)
    InvitationFactory(consultation=consultations["invited, not me"], member=member)
    client = Client()
    client.force_login(member.user)

    section = open_section(client.get("/me/").content.decode())

    assert "Nothing is open at the moment." in section
    assert "Open to all" not in section


def test_a_closed_consultation_drops_off_the_list(member):
    consultation = ConsultationFactory(title="Closing soon")
    assert [c.title for c in open_consultations_for(member)] == ["Closing soon"]

    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert list(open_consultations_for(member)) == []


@pytest.mark.parametrize("open_count", [2, 20])
def test_me_query_count_does_not_grow_with_open_consultations(
    member, open_count, django_assert_num_queries
):
    for _ in range(open_count):
        InvitationFactory(consultation=ConsultationFactory(audience=INVITED), member=member)
    client = Client()
    client.force_login(member.user)
    client.get("/me/")

    with django_assert_num_queries(ME_PAGE):
        response = client.get("/me/")
    assert open_section(response.content.decode()).count('class="card"') == open_count
