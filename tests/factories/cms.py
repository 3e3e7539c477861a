import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Page, Site

from cms import models


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    hero_title = "Help shape the PRO-CAR-T app"
    hero_text = "People who have had CAR-T therapy help us build an app."

    class Meta:
        model = models.HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = "A plain English page."

    class Meta:
        model = models.StandardPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"
    slug = "news"
    show_in_menus = True

    class Meta:
        model = models.NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"News item {n}")
    summary = "Something happened."
    date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = models.NewsPage


class PrototypeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Prototypes"
    slug = "prototypes"
    show_in_menus = True

    class Meta:
        model = models.PrototypeIndexPage


class PrototypePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Prototype {n}")
    version_label = "v0.3"
    status = models.PrototypePage.Status.IN_REVIEW
    summary = "The patient app, screen by screen."

    class Meta:
        model = models.PrototypePage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"
    slug = "events"
    show_in_menus = True

    class Meta:
        model = models.EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Event {n}")
    venue = "Town Hall"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    end = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10, hours=6))

    class Meta:
        model = models.EventPage


def build_site():
    """Replace Wagtail's welcome page with a home page and the three sections."""
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()  # Wagtail's welcome page (and its Site)
    home = HomePageFactory(parent=root, slug="home")
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, site_name="PPIE Hub", is_default_site=True
    )
    news_index = NewsIndexPageFactory(parent=home)
    news = NewsPageFactory(parent=news_index, title="Our stand at the CAR-T event", slug="stand")
    proto_index = PrototypeIndexPageFactory(parent=home)
    proto = PrototypePageFactory(parent=proto_index, title="PRO-CAR-T app", slug="pro-car-t-app")
    models.PrototypeScreen.objects.create(page=proto, title="Home screen", sort_order=0)
    event_index = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=event_index, title="Regional CAR-T day", slug="car-t-day")
    about = StandardPageFactory(parent=home, title="About the study", slug="about")
    return {
        "home": home,
        "news_index": news_index,
        "news": news,
        "prototype_index": proto_index,
        "prototype": proto,
        "event_index": event_index,
        "event": event,
        "about": about,
    }
