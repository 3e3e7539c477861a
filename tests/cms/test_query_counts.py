"""Pinned query counts for the public pages: the same with ten times the content.

Each count is exact, measured after a warm-up request (which creates image renditions and fills
Wagtail's caches). A count that changes is either a fix (lower it here) or a regression: a query
per item on a list is an N+1 to find, not a number to raise.
"""

import datetime

import wagtail_factories
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from cms.models import PrototypeScreen
from tests.factories.cms import (
    EventPageFactory,
    NewsPageFactory,
    PrototypePageFactory,
    build_site,
)

PINNED = {  # the same with the base tree and with ten times the content
    "/": 11,
    "/news/": 11,
    "/prototypes/": 11,
    "/events/": 12,
    "/news/stand/": 12,
    "/prototypes/pro-car-t-app/": 11,
    # One of them: whether the event takes registrations (engagement/events asks through the
    # event_page_panels hook); with them, tests/engagement/events/test_query_counts.py.
    "/events/car-t-day/": 11,
}
# The home page for a signed-in member (session and user, and the "Manage" link's permissions).
PINNED_MEMBER_HOME = 13


def image():
    return wagtail_factories.ImageFactory()


def give_the_base_tree_every_shape(tree):
    """One of each thing the templates branch on, so the base counts and the 10x counts
    exercise the same template paths: a news image, a screen image, a past event, a featured
    prototype."""
    news = tree["news"]
    news.image, news.image_alt = image(), "A stand"
    news.save_revision().publish()
    screen = tree["prototype"].screens.get()
    screen.image, screen.alt_text = image(), "The home screen"
    screen.save()
    now = timezone.now()
    EventPageFactory(
        parent=tree["event_index"],
        title="Past event",
        start=now - datetime.timedelta(days=30),
        end=now - datetime.timedelta(days=30, hours=-2),
    )
    tree["home"].featured_prototype = tree["prototype"]
    tree["home"].save_revision().publish()


def add_ten_times_the_content(tree):
    now = timezone.now()
    shared_image = image()
    for n in range(30):
        NewsPageFactory(parent=tree["news_index"], image=image(), image_alt=f"Photo {n}")
        prototype = PrototypePageFactory(parent=tree["prototype_index"])
        PrototypeScreen.objects.bulk_create(
            PrototypeScreen(
                page=prototype, sort_order=s, title=f"Screen {s}", image=shared_image, alt_text="x"
            )
            for s in range(5)
        )
        start = now + datetime.timedelta(days=n - 15)  # half past, half upcoming
        EventPageFactory(
            parent=tree["event_index"], start=start, end=start + datetime.timedelta(hours=3)
        )
    PrototypeScreen.objects.bulk_create(
        PrototypeScreen(
            page=tree["prototype"], sort_order=s, title=f"More {s}", image=image(), alt_text="x"
        )
        for s in range(1, 10)
    )


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        give_the_base_tree_every_shape(cls.tree)
        cls.member = get_user_model().objects.create_user(email="member@example.org")

    def assert_pinned(self, url, expected):
        self.assertEqual(self.client.get(url).status_code, 200)  # warm-up
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_public_pages(self):
        for url, expected in PINNED.items():
            with self.subTest(url=url):
                self.assert_pinned(url, expected)

    def test_home_page_for_a_signed_in_member(self):
        self.client.force_login(self.member)
        response = self.assert_pinned("/", PINNED_MEMBER_HOME)
        self.assertContains(response, "Sign out")


class TenTimesTheContentQueryCountTests(QueryCountTests):
    """The same pinned numbers with 30 news items, 30 prototypes of 5 screens, 30 events
    and 10 screens on the prototype page."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_ten_times_the_content(cls.tree)

    def test_the_content_is_really_there(self):
        self.assertContains(self.client.get("/news/"), "Page 1 of 3")
        self.assertContains(self.client.get("/prototypes/"), "Page 1 of 3")
        events = self.client.get("/events/")
        self.assertEqual(
            events.content.count(b'class="card"'), 12 + 16
        )  # a page of past events + all upcoming
        self.assertContains(self.client.get("/prototypes/pro-car-t-app/"), "10 screens")
        home = self.client.get("/")
        self.assertEqual(home.content.count(b"card__image"), 3)
