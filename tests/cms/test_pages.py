"""What a visitor sees on each page type, and the rules a manager meets when editing pages."""

import datetime
import zoneinfo

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.test.utils.form_data import querydict_from_html

from cms.blocks import BodyBlock, ImageBlock
from cms.models import (
    EventPage,
    HomePage,
    NewsPage,
    PrototypePage,
    PrototypeScreen,
)
from tests.factories.cms import (
    EventPageFactory,
    NewsPageFactory,
    PrototypePageFactory,
    build_site,
)
from tests.html import section, soup

LONDON = zoneinfo.ZoneInfo("Europe/London")
ALLOWED = ["www.figma.com", "marvelapp.com"]


def titles(response, selector=".card__title"):
    return [el.get_text(strip=True) for el in soup(response).select(selector)]


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        home, news_index = cls.tree["home"], cls.tree["news_index"]
        home.featured_prototype = cls.tree["prototype"]
        home.join_text = "It takes a minute."
        home.save_revision().publish()
        today = timezone.localdate()
        cls.tree["news"].date = today - datetime.timedelta(days=30)
        cls.tree["news"].save_revision().publish()
        for days_ago, title in [(1, "Newest"), (2, "Second"), (3, "Third"), (4, "Fourth")]:
            NewsPageFactory(
                parent=news_index, title=title, date=today - datetime.timedelta(days=days_ago)
            )
        draft = NewsPageFactory(parent=news_index, title="Unpublished draft", date=today)
        draft.unpublish()
        now = timezone.now()
        EventPageFactory(
            parent=cls.tree["event_index"],
            title="Last year's workshop",
            start=now - datetime.timedelta(days=400),
            end=now - datetime.timedelta(days=400, hours=-3),
        )

    def test_hero_and_join_links(self):
        response = self.client.get("/")
        self.assertContains(response, "<h1>Help shape the PRO-CAR-T app</h1>", html=True)
        join_links = soup(response).find_all("a", string="Join the stakeholder group")
        self.assertEqual([a["href"] for a in join_links], ["/join/", "/join/"])
        self.assertIn("It takes a minute.", section(response, "join-heading"))

    def test_latest_news_shows_the_three_newest_published_items(self):
        response = self.client.get("/")
        news = section(response, "news-heading")
        self.assertLess(news.index("Newest"), news.index("Second"))
        self.assertLess(news.index("Second"), news.index("Third"))
        for hidden in ("Fourth", "Our stand at the CAR-T event", "Unpublished draft"):
            self.assertNotIn(hidden, news)

    def test_upcoming_events_leave_out_past_events(self):
        response = self.client.get("/")
        events = section(response, "events-heading")
        self.assertIn("Regional CAR-T day", events)
        self.assertIn("Town Hall", events)
        self.assertNotIn("Last year's workshop", events)

    def test_featured_prototype_links_to_its_page(self):
        response = self.client.get("/")
        featured = soup(response).find(attrs={"aria-labelledby": "featured-heading"})
        self.assertIn("PRO-CAR-T app", featured.get_text())
        self.assertIn("v0.3", featured.get_text())
        self.assertIn("In review", featured.get_text())
        link = featured.find("a", string="See the screens of PRO-CAR-T app")
        self.assertEqual(link["href"], "/prototypes/pro-car-t-app/")

    def test_unpublished_featured_prototype_is_not_shown(self):
        self.tree["prototype"].unpublish()
        response = self.client.get("/")
        self.assertNotContains(response, "Try the app prototype")

    def test_main_menu_lists_the_sections(self):
        response = self.client.get("/")
        nav = soup(response).find("nav", attrs={"aria-label": "Main"})
        links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
        self.assertEqual(links["News"], "/news/")
        self.assertEqual(links["Prototypes"], "/prototypes/")
        self.assertEqual(links["Events"], "/events/")
        self.assertEqual(links["Sign in"], reverse("account_login"))

    def test_current_section_is_marked_in_the_menu(self):
        response = self.client.get("/news/stand/")
        current = soup(response).find("nav").find_all(attrs={"aria-current": "page"})
        self.assertEqual([a.get_text(strip=True) for a in current], ["News"])

    def test_empty_site_says_so(self):
        NewsPage.objects.all().delete()
        EventPage.objects.all().delete()
        response = self.client.get("/")
        self.assertIn("No news yet.", section(response, "news-heading"))
        self.assertIn("No events planned at the moment.", section(response, "events-heading"))

    def test_hero_image_needs_alt_text(self):
        home = HomePage.objects.get()
        home.hero_image = wagtail_factories.ImageFactory()
        with self.assertRaises(ValidationError) as caught:
            home.clean()
        self.assertIn("hero_image_alt", caught.exception.message_dict)
        home.hero_image_alt = "A patient using the app on a phone"
        home.clean()
        home.save_revision().publish()
        response = self.client.get("/")
        hero = soup(response).find("img", class_="hero__image")
        self.assertEqual(hero["alt"], "A patient using the app on a phone")


class NewsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.image = wagtail_factories.ImageFactory(title="Stand photo")
        news = cls.tree["news"]
        news.date = datetime.date(2030, 3, 7)
        news.summary = "We met 40 people at the regional CAR-T day."
        news.image = cls.image
        news.image_alt = "Two researchers at a stand with a banner"
        news.body = [
            ("heading", {"text": "What people told us", "level": "h2"}),
            ("paragraph", "<p>Fatigue was the <b>top</b> concern.</p>"),
            ("image", {"image": cls.image, "alt_text": "Sticky notes on a board", "caption": ""}),
            (
                "callout",
                {"style": "info", "heading": "You can stop", "text": "<p>Any time.</p>"},
            ),
        ]
        news.tags.add("events", "fatigue")
        news.save_revision().publish()

    def test_news_page_shows_its_content(self):
        response = self.client.get("/news/stand/")
        self.assertContains(response, "<h1>Our stand at the CAR-T event</h1>", html=True)
        self.assertContains(response, '<time datetime="2030-03-07">7 March 2030</time>', html=True)
        self.assertContains(response, "We met 40 people at the regional CAR-T day.")
        self.assertContains(response, "<h2>What people told us</h2>", html=True)
        self.assertContains(response, "Fatigue was the <b>top</b> concern.")
        self.assertContains(response, "You can stop")
        alts = [img["alt"] for img in soup(response).find("article").find_all("img")]
        self.assertEqual(
            alts, ["Two researchers at a stand with a banner", "Sticky notes on a board"]
        )
        tags = [li.get_text() for li in soup(response).select("ul.tags li")]
        self.assertEqual(sorted(tags), ["events", "fatigue"])
        self.assertEqual(soup(response).find("a", string="All news")["href"], "/news/")

    def test_news_image_needs_alt_text(self):
        page = NewsPage.objects.get(slug="stand")
        page.image_alt = ""
        with self.assertRaises(ValidationError) as caught:
            page.clean()
        self.assertIn("image_alt", caught.exception.message_dict)

    def test_news_index_lists_newest_first_twelve_per_page(self):
        base = datetime.date(2029, 1, 1)
        for n in range(13):
            NewsPageFactory(
                parent=self.tree["news_index"],
                title=f"Update {n:02d}",
                date=base + datetime.timedelta(days=n),
            )
        first = self.client.get("/news/")
        self.assertEqual(
            titles(first),
            ["Our stand at the CAR-T event"] + [f"Update {n:02d}" for n in range(12, 1, -1)],
        )
        self.assertContains(first, "Page 1 of 2")
        next_link = soup(first).find("a", rel="next")
        self.assertEqual(next_link["href"], "?page=2")
        second = self.client.get("/news/", {"page": 2})
        self.assertEqual(titles(second), ["Update 01", "Update 00"])
        self.assertEqual(soup(second).find("a", rel="prev")["href"], "?page=1")

    def test_draft_news_is_not_listed(self):
        NewsPageFactory(parent=self.tree["news_index"], title="Secret draft", live=False)
        self.assertNotContains(self.client.get("/news/"), "Secret draft")


class ImageBlockTests(TestCase):
    def test_image_block_needs_alt_text(self):
        image = wagtail_factories.ImageFactory()
        block = ImageBlock()
        with self.assertRaises(StructBlockValidationError) as caught:
            block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
        self.assertIn("alt_text", caught.exception.block_errors)
        cleaned = block.clean(
            block.to_python({"image": image.pk, "alt_text": "A chart", "caption": ""})
        )
        self.assertEqual(cleaned["alt_text"], "A chart")

    def test_body_with_an_image_without_alt_text_is_rejected(self):
        image = wagtail_factories.ImageFactory()
        body = BodyBlock()
        value = body.to_python(
            [{"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": ""}}]
        )
        with self.assertRaises(StreamBlockValidationError):
            body.clean(value)


class PrototypePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.proto = cls.tree["prototype"]
        cls.proto.screens.all().delete()
        image = wagtail_factories.ImageFactory()
        for order, title, alt in [
            (2, "Symptom diary", "A list of symptoms with sliders"),
            (0, "Welcome", "The app's welcome screen with a start button"),
            (1, "Consent", "Two tick boxes and a continue button"),
        ]:
            PrototypeScreen.objects.create(
                page=cls.proto, sort_order=order, title=title, image=image, alt_text=alt
            )
        cls.proto.changes = "<p>Bigger buttons on every screen.</p>"
        cls.proto.save_revision().publish()
        cls.admin = get_user_model().objects.create_superuser(email="admin@example.org")

    def test_screens_are_listed_in_order_with_alt_text(self):
        response = self.client.get("/prototypes/pro-car-t-app/")
        self.assertContains(response, "<h2 id='screens-heading'>3 screens</h2>", html=True)
        screens = soup(response).select("ol.screens > li")
        self.assertEqual(
            [s.h3.get_text() for s in screens],
            ["Screen 1: Welcome", "Screen 2: Consent", "Screen 3: Symptom diary"],
        )
        self.assertEqual(
            [s.img["alt"] for s in screens],
            [
                "The app's welcome screen with a start button",
                "Two tick boxes and a continue button",
                "A list of symptoms with sliders",
            ],
        )
        self.assertContains(response, "Bigger buttons on every screen.")
        self.assertContains(response, "Version v0.3")

    def test_screen_image_needs_alt_text(self):
        screen = PrototypeScreen(
            page=self.proto, title="Untitled", image=wagtail_factories.ImageFactory()
        )
        with self.assertRaises(ValidationError) as caught:
            screen.clean()
        self.assertIn("alt_text", caught.exception.message_dict)

    def test_prototype_index_lists_published_prototypes(self):
        PrototypePageFactory(parent=self.tree["prototype_index"], title="Old draft", live=False)
        response = self.client.get("/prototypes/")
        self.assertEqual(titles(response), ["PRO-CAR-T app"])
        card = soup(response).select_one(".card").get_text(" ", strip=True)
        self.assertIn("v0.3", card)
        self.assertIn("In review", card)

    @override_settings(PROTOTYPE_EMBED_HOSTS=ALLOWED)
    def test_clean_rejects_hosts_not_on_the_allow_list(self):
        page = PrototypePage.objects.get(pk=self.proto.pk)
        for url in (
            "https://evil.example.com/proto",
            "https://www.figma.com.evil.example/proto",
            "http://www.figma.com/proto/abc",  # allowed host, but not https
            "javascript:alert(1)",
        ):
            page.prototype_url = url
            with self.subTest(url=url), self.assertRaises(ValidationError) as caught:
                page.clean()
            (message,) = caught.exception.message_dict["prototype_url"]
            self.assertIn("not on the allow-list", message)
            self.assertIn("www.figma.com, marvelapp.com", message)

    @override_settings(PROTOTYPE_EMBED_HOSTS=ALLOWED)
    def test_clean_accepts_an_allowed_https_host(self):
        page = PrototypePage.objects.get(pk=self.proto.pk)
        for url in ("https://www.figma.com/proto/abc", "https://MARVELAPP.com/prototype/1"):
            page.prototype_url = url
            page.clean()  # no error
        page.prototype_url = ""
        page.clean()

    @override_settings(PROTOTYPE_EMBED_HOSTS=ALLOWED)
    def test_editor_shows_the_allow_list_message_next_to_the_field(self):
        self.client.force_login(self.admin)
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.proto.pk])
        data = querydict_from_html(self.client.get(edit_url).content.decode(), "page-edit-form")
        data["prototype_url"] = "https://evil.example.com/proto"
        data["action-publish"] = "action-publish"
        response = self.client.post(edit_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("prototype_url", response.context["form"].errors)
        self.assertContains(response, "This site is not on the allow-list")
        self.proto.refresh_from_db()
        self.assertEqual(self.proto.prototype_url, "")


@pytest.mark.django_db
class TestPrototypeEmbed:
    def _publish(self, page, url):
        # Straight to the database, as a script or an older allow-list might have left it:
        # what is embedded is decided when the page is shown, not only when it was saved.
        PrototypePage.objects.filter(pk=page.pk).update(prototype_url=url)

    def test_iframe_is_sandboxed_and_shown_for_an_allowed_host(self, client, site_tree, settings):
        settings.PROTOTYPE_EMBED_HOSTS = ALLOWED
        self._publish(site_tree["prototype"], "https://www.figma.com/proto/abc")
        frame = soup(client.get("/prototypes/pro-car-t-app/")).find("iframe")
        assert frame["src"] == "https://www.figma.com/proto/abc"
        assert set(frame["sandbox"]) == {"allow-scripts", "allow-same-origin"}
        assert frame["title"] == "Interactive prototype: PRO-CAR-T app"

    @pytest.mark.parametrize(
        "url", ["https://evil.example.com/proto", "http://www.figma.com/proto/abc", ""]
    )
    def test_no_iframe_for_other_urls(self, client, site_tree, settings, url):
        settings.PROTOTYPE_EMBED_HOSTS = ALLOWED
        self._publish(site_tree["prototype"], url)
        response = client.get("/prototypes/pro-car-t-app/")
        assert response.status_code == 200
        assert soup(response).find("iframe") is None
        assert b"Try the interactive prototype" not in response.content

    def test_iframe_disappears_when_the_host_is_removed_from_the_setting(
        self, client, site_tree, settings
    ):
        settings.PROTOTYPE_EMBED_HOSTS = ALLOWED
        self._publish(site_tree["prototype"], "https://marvelapp.com/prototype/1")
        assert soup(client.get("/prototypes/pro-car-t-app/")).find("iframe") is not None
        settings.PROTOTYPE_EMBED_HOSTS = ["www.figma.com"]
        response = client.get("/prototypes/pro-car-t-app/")
        assert soup(response).find("iframe") is None


class EventTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        event = cls.tree["event"]
        event.start = datetime.datetime(2099, 6, 3, 10, 0, tzinfo=LONDON)
        event.end = datetime.datetime(2099, 6, 3, 16, 30, tzinfo=LONDON)
        event.venue = "Town Hall"
        event.address = "1 High Street\nLeeds LS1 1AA"
        event.summary = "Come and try the app."
        event.save_revision().publish()
        now = timezone.now()
        EventPageFactory(
            parent=cls.tree["event_index"],
            title="Spring workshop",
            start=now - datetime.timedelta(days=60),
            end=now - datetime.timedelta(days=60, hours=-2),
        )
        EventPageFactory(
            parent=cls.tree["event_index"],
            title="Online drop-in",
            start=now - datetime.timedelta(hours=1),  # started, not yet over
            end=now + datetime.timedelta(hours=1),
        )

    def test_event_page_shows_venue_and_dates(self):
        response = self.client.get("/events/car-t-day/")
        when, where = (dd.get_text(" ", strip=True) for dd in soup(response).select("dl dd"))
        self.assertEqual(when, "Wednesday 3 June 2099, 10:00 a.m. to 4:30 p.m.")
        self.assertEqual(where, "Town Hall 1 High Street Leeds LS1 1AA")
        times = [t["datetime"] for t in soup(response).select("dd time")]
        self.assertEqual(times, ["2099-06-03T10:00:00+01:00", "2099-06-03T16:30:00+01:00"])
        self.assertContains(response, "Come and try the app.")

    def test_event_over_several_days_shows_both_dates(self):
        event = EventPage.objects.get(slug="car-t-day")
        event.end = datetime.datetime(2099, 6, 4, 12, 0, tzinfo=LONDON)
        event.save_revision().publish()
        response = self.client.get("/events/car-t-day/")
        when = soup(response).select_one("dl dd").get_text(" ", strip=True)
        self.assertEqual(
            when, "Wednesday 3 June 2099, 10:00 a.m. to Thursday 4 June 2099, 12:00 p.m."
        )

    def test_past_events_are_not_upcoming(self):
        response = self.client.get("/events/")
        page = soup(response)
        upcoming_heading = page.find("h2", string="Upcoming events")
        past_heading = page.find("h2", string="Past events")
        upcoming = [a.get_text() for a in upcoming_heading.find_next("ul").select(".card__title")]
        past = [a.get_text() for a in past_heading.find_next("ul").select(".card__title")]
        self.assertEqual(upcoming, ["Online drop-in", "Regional CAR-T day"])
        self.assertEqual(past, ["Spring workshop"])

    def test_no_upcoming_events_message(self):
        EventPage.objects.filter(end__gte=timezone.now()).delete()
        response = self.client.get("/events/")
        self.assertContains(response, "No events planned at the moment.")
        self.assertContains(response, "Spring workshop")

    def test_clean_rejects_an_end_before_the_start(self):
        event = EventPage.objects.get(slug="car-t-day")
        event.end = event.start - datetime.timedelta(minutes=1)
        with self.assertRaises(ValidationError) as caught:
            event.clean()
        self.assertEqual(
            caught.exception.message_dict["end"], ["The event cannot end before it starts."]
        )
        event.end = event.start  # a zero-length event is allowed
        event.clean()


class StandardPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        about = cls.tree["about"]
        about.body = [
            ("heading", {"text": "Who we are", "level": "h3"}),
            (
                "accordion",
                {"items": [{"summary": "Is it safe?", "content": "<p>Yes, it is reviewed.</p>"}]},
            ),
        ]
        about.save_revision().publish()

    def test_standard_page_shows_intro_and_body(self):
        response = self.client.get("/about/")
        self.assertContains(response, "<h1>About the study</h1>", html=True)
        self.assertContains(response, "A plain English page.")
        self.assertContains(response, "<h3>Who we are</h3>", html=True)
        details = soup(response).find("main").find("details")  # not the header's Menu
        self.assertEqual(details.summary.get_text(), "Is it safe?")
        self.assertIn("Yes, it is reviewed.", details.get_text())
        self.assertIn("About the study – PPIE Hub", soup(response).title.get_text())
