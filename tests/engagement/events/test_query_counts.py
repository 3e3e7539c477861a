"""Query counts of the event page with its registration form (a visitor, a signed-in member
with and without a registration) and of the manager's registration list and its download:
pinned, and the same with ten times the registrations.

When a count changes on purpose, update the number here and say why in the commit."""

import pytest
from django.test import Client

from tests.engagement.membership.test_query_counts import assert_count
from tests.factories.events import event_with_places, register
from tests.factories.membership import ManagerFactory, MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)
URL = "/events/car-t-day/"

# The page's 10 (tests/cms/test_query_counts.py), its settings and places counted (2).
EVENT_PAGE_VISITOR = 12
# A member: the user and their permissions (the header's "Manage" link), the member, and
# their registration (none: the form, filled in).
EVENT_PAGE_MEMBER = 16
# A member with a place: their registration, and no form.
EVENT_PAGE_REGISTERED = 16
# The admin's user, permissions, profile, locale and menu; the settings, the count and the
# page of rows (one query, positions on the waiting list counted by the database).
REGISTRATIONS_LIST = 10
REGISTRATIONS_EXPORT = 5  # the user, permissions and profile; settings; the rows


@pytest.fixture(params=[1, 10], ids=["some", "ten-times"])
def event(request, site_tree):
    settings = event_with_places(site_tree, places=4 * request.param)
    member = MemberFactory(display_name="Pat")
    for i in range(6 * request.param):
        register(
            settings.event,
            f"Person {i}",
            access_needs="Step-free",
            member=member if i == 0 else None,
        )
    return settings, member


def test_the_event_page_with_the_form(event):
    settings, _member = event
    assert_count(Client(), URL, EVENT_PAGE_VISITOR)
    client = Client()
    client.force_login(MemberFactory().user)
    assert_count(client, URL, EVENT_PAGE_MEMBER)


def test_the_event_page_for_a_member_with_a_place(event):
    _settings, member = event
    client = Client()
    client.force_login(member.user)
    assert_count(client, URL, EVENT_PAGE_REGISTERED)


def test_the_managers_registration_list_and_download(event):
    settings, _member = event
    client = Client()
    client.force_login(ManagerFactory())
    url = f"/admin/event_registrations/registrations/{settings.pk}/"
    assert_count(client, url, REGISTRATIONS_LIST)
    assert_count(client, url + "?export=csv", REGISTRATIONS_EXPORT)
