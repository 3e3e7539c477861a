"""Query counts of the member's ideas page, the form and the managers' listing and review page:
pinned, and the same with ten times the data (the pattern of Wagtail's
admin/tests/pages/test_explorer_view.py). When a count changes on purpose, update it here and
say why in the commit."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from engagement.models import Feature, Idea
from tests.engagement.membership.test_query_counts import assert_count
from tests.factories.consultations import ConsultationFactory
from tests.factories.ideas import IdeaFactory, accepted_idea
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.factories.outcomes import outcome_index, outcome_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]
SITE_TREE_ONCE = True

# The user, the member (twice: NewAgreementsMiddleware and the view), whether an agreement is
# outdated; the ideas with their features and what they were joined with; the changes they led
# to; the site's header and footer (site, settings, menu, the user's permissions: 5).
MY_IDEAS_QUERIES = 9
# The same four, the ideas sent in the last 24 hours, the open consultations they may choose,
# header and footer.
SUGGEST_QUERIES = 9
ADMIN_LIST_QUERIES = 10
ADMIN_REVIEW_QUERIES = 11


def ideas_of(member, scale):
    consultation = ConsultationFactory()
    other = MemberFactory()
    changed = []
    for i in range(scale):
        IdeaFactory(member=member, status="declined", decline_reason="Not for the app.")
        IdeaFactory(member=member, consultation=consultation)
        target = accepted_idea(other, consultation, title=f"Target {i}")
        IdeaFactory(member=member, status="merged", merged_into=target)
        changed.append(Feature.objects.get(idea=accepted_idea(member, consultation)))
        changed.append(Feature.objects.get(idea=target))
    outcome_page(
        outcome_index(Page.objects.get(depth=2)),
        consultation,
        changes=[{"title": "Changed", "features": changed}],
    )


@pytest.mark.parametrize("scale", [1, 10])
def test_my_ideas_page(scale):
    member = MemberFactory()
    ideas_of(member, scale)
    ideas_of(MemberFactory(), scale)  # someone else's
    client = Client()
    client.force_login(member.user)

    assert_count(client, "/me/ideas/", MY_IDEAS_QUERIES)


@pytest.mark.parametrize("scale", [1, 10])
def test_suggest_page(scale):
    member = MemberFactory()
    ideas_of(member, scale)
    for _ in range(scale):
        ConsultationFactory()
    # Sent before today: the form is shown (a member at the daily limit sees a message instead).
    Idea.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    client = Client()
    client.force_login(member.user)

    assert_count(client, "/me/ideas/new/", SUGGEST_QUERIES)


@pytest.mark.parametrize("scale", [1, 10])
def test_admin_listing_and_review(scale):
    member = MemberFactory()
    ideas_of(member, scale)
    client = Client()
    client.force_login(ManagerFactory())
    waiting = IdeaFactory(member=member)

    assert_count(client, "/admin/ideas/", ADMIN_LIST_QUERIES)
    assert_count(client, f"/admin/ideas/inspect/{waiting.pk}/", ADMIN_REVIEW_QUERIES)
