"""`manage.py load_demo`: build a complete demo site in code.

Replaces Wagtail's welcome page with the PPIE Hub home page, adds the news, prototype and event
sections with one or two items each, the about / CAR-T / accessibility / privacy pages, site
settings, pictures drawn with Pillow, and two demo accounts. Running it again updates the same
pages, images and users in place: nothing is duplicated.
"""

import datetime
from io import StringIO
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page, Site

from cms.demo import content
from cms.demo.images import (
    draw_hero,
    draw_screen,
    draw_screens_banner,
    draw_stand,
    get_or_create_image,
)
from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PrototypeIndexPage,
    PrototypePage,
    PrototypeScreen,
    SiteSettings,
    StandardPage,
)
from cms.roles import MANAGERS_GROUP, apply_roles

SITE_URL = "http://127.0.0.1:8000/"
DEMO_PASSWORD = "ppie-hub-demo"  # noqa: S105 - a published demo password, printed on purpose
DEMO_USERS = [
    {
        "key": "manager",
        "label": "PPIE manager",
        "email": "manager@example.org",
        "first_name": "Priya",
        "last_name": "Shah",
        "groups": [MANAGERS_GROUP],
    },
    {
        "key": "patient",
        "label": "Patient partner",
        "email": "patient@example.org",
        "first_name": "Sam",
        "last_name": "Taylor",
        "groups": [],
    },
]


class Command(BaseCommand):
    help = "Build (or rebuild in place) a complete demo site: pages, images, settings, users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=SITE_URL,
            help=f"Where the site will be served, for the addresses printed (default {SITE_URL}).",
        )
        parser.add_argument(
            "--on-production",
            action="store_true",
            help="Load the demo even under production settings (a demo server, never real data).",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED and not options["on_production"]:
            raise CommandError(
                "These are production settings: the demo adds made-up members and a PPIE "
                "manager whose password is published in this project, and replaces the home "
                "page. Nothing was changed. For a demo server with no real data, run it again "
                "with --on-production."
            )
        site_url = options["site_url"].rstrip("/") + "/"
        with transaction.atomic():
            home = ensure_home_page()
            site = ensure_site(home, site_url)
            images = create_images()
            about_pages = create_about_pages(home, images)
            indexes = create_section_indexes(home)
            prototype = create_prototype(indexes["prototypes"], images)
            past_event, future_event = create_events(indexes["events"], prototype)
            news = create_news(indexes["news"], past_event, prototype, images)
            link_past_event_to_news(past_event, news)
            policy_pages = create_policy_pages(home)
            finish_home_page(home, prototype, images, about_pages["what_is_car_t"])
            configure_site_settings(site, {**about_pages, **policy_pages})
            users = create_demo_users()
            # The other apps add their demo content (members, consultations, feedback,
            # outcomes) through this Wagtail hook, so cms stays independent of them.
            context = {
                "home": home,
                "users": users,
                "prototype": prototype,
                "past_event": past_event,
                "future_event": future_event,
            }
            notes = []
            for build in hooks.get_hooks("load_demo"):
                notes.extend(build(context) or [])
        call_command("update_index", stdout=StringIO(), stderr=StringIO())
        self.print_summary(users, notes, site_url)

    def print_summary(self, users, notes, site_url):
        write = self.stdout.write
        write(self.style.SUCCESS("Demo site ready."))
        write("")
        for note in notes:
            write(f"  {note}")
        if notes:
            write("")
        write(f"  Site:   {site_url}")
        write(f"  Admin:  {site_url}admin/  (sign in as the PPIE manager)")
        write("")
        passwords = "password1" in allauth_settings.SIGNUP_FIELDS
        write("  Demo sign-ins (email / password):" if passwords else "  Demo sign-ins:")
        for spec in DEMO_USERS:
            email = users[spec["key"]].email
            write(
                f"    {spec['label']:<16} {email:<22} / {DEMO_PASSWORD}"
                if passwords
                else f"    {spec['label']:<16} {email}"
            )
        write("")
        write(f"  Sign in at {site_url}accounts/login/ with the email address: we email a")
        if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
            write("  one-time code. With the console email backend (the default) the email,")
            write("  code included, is printed in the terminal running `manage.py runserver`.")
        else:
            write("  one-time code through the configured mail server.")
        if not passwords:
            write("  (Password sign-in is switched off in these settings, so the code is the")
            write("  way in; the password is kept for when it is switched on.)")


# --- tree and site --------------------------------------------------------------------------
def ensure_home_page() -> HomePage:
    """The HomePage at the top of the tree, replacing Wagtail's welcome page if it is there."""
    root = Page.get_first_root_node()
    welcome = (
        root.get_children()
        .filter(slug="home")
        .exclude(content_type__app_label="cms", content_type__model="homepage")
    )
    for page in welcome:
        if page.specific_class is not Page or page.numchild:
            raise CommandError(
                f"A page {page.title!r} already uses the slug 'home' at the top of the tree. "
                "Move or delete it first."
            )
        page.delete()  # cascades to the Site that pointed at it; ensure_site() makes a new one
    home = HomePage.objects.order_by("pk").first()
    if home is None:
        home = HomePage(
            title=content.HOME["title"], slug="home", hero_title=content.HOME["hero_title"]
        )
        root.add_child(instance=home)
    return home


def ensure_site(home: HomePage, site_url: str = SITE_URL) -> Site:
    """The default Site serving the home page, at the address the demo is served on: it is the
    public address that QR codes, posters and emails use (cms/site_url.py) unless
    PUBLIC_BASE_URL says otherwise."""
    address = urlsplit(site_url)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    site = (
        Site.objects.filter(hostname=hostname, port=port).first()
        or Site.objects.filter(is_default_site=True).first()
        or Site(hostname=hostname, port=port)
    )
    Site.objects.exclude(pk=site.pk).filter(is_default_site=True).update(is_default_site=False)
    site.hostname = hostname
    site.port = port
    site.root_page = home
    site.site_name = content.ORGANISATION_NAME
    site.is_default_site = True
    site.save()
    return site


def upsert_page(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    """Create or update the child of parent with this slug, then publish a new revision.

    `tags` are replaced as a whole. `screens` is a list of PrototypeScreen field dicts: a
    screen with the same title is updated in place (other records, such as consultation
    features, may point at it), new ones are added and the rest removed."""
    screens = fields.pop("screens", None)
    tags = fields.pop("tags", None)
    page = parent.get_children().filter(slug=slug).first()
    if page is not None:
        page = page.specific
        if not isinstance(page, model):
            raise CommandError(
                f"{page.url_path} is a {type(page).__name__}, not a {model.__name__}. "
                "Move or delete it first."
            )
        for name, value in fields.items():
            setattr(page, name, value)
    else:
        page = model(slug=slug, **fields)
    if screens is not None:
        page.screens = sync_screens(page, screens)
    if tags is not None:
        page.tags.set(tags)
    if page.pk is None:
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def sync_screens(page: PrototypePage, screens: list[dict]) -> list[PrototypeScreen]:
    current = {screen.title: screen for screen in page.screens.all()} if page.pk else {}
    rows = []
    for position, fields in enumerate(screens):
        row = current.get(fields["title"]) or PrototypeScreen()
        for name, value in fields.items():
            setattr(row, name, value)
        row.sort_order = position
        rows.append(row)
    return rows


# --- images ---------------------------------------------------------------------------------
def create_images() -> dict:
    """Pictures drawn in code; reused by title on later runs."""
    images = {
        "hero": get_or_create_image(
            "Demo: phone with patients' comments", "demo-hero.png", draw_hero
        ),
        "stand": get_or_create_image(
            "Demo: our stand at the regional CAR-T event", "demo-stand.png", draw_stand
        ),
        "screens_banner": get_or_create_image(
            "Demo: three screens of the app", "demo-screens.png", draw_screens_banner
        ),
    }
    for number, screen in enumerate(content.PROTOTYPE_SCREENS, start=1):
        images[f"screen:{screen['key']}"] = get_or_create_image(
            f"Demo: {content.PROTOTYPE['title']} {content.PROTOTYPE['version_label']}, "
            f"screen {number}: {screen['title']}",
            f"demo-screen-{number}-{screen['key']}.png",
            lambda key=screen["key"]: draw_screen(key),
        )
    return images


# --- pages ----------------------------------------------------------------------------------
def create_about_pages(home: HomePage, images: dict) -> dict:
    what_is_car_t = upsert_page(
        home,
        StandardPage,
        "what-is-car-t",
        **content.WHAT_IS_CAR_T,
        body=content.what_is_car_t_body(),
    )
    about = upsert_page(
        home,
        StandardPage,
        "about",
        **content.ABOUT,
        show_in_menus=True,
        body=content.about_body(what_is_car_t, images["screen:today"].pk),
    )
    return {"what_is_car_t": what_is_car_t, "about": about}


def create_section_indexes(home: HomePage) -> dict:
    return {
        "prototypes": upsert_page(
            home, PrototypeIndexPage, "prototypes", **content.PROTOTYPE_INDEX, show_in_menus=True
        ),
        "news": upsert_page(home, NewsIndexPage, "news", **content.NEWS_INDEX, show_in_menus=True),
        "events": upsert_page(
            home, EventIndexPage, "events", **content.EVENT_INDEX, show_in_menus=True
        ),
    }


def create_prototype(index: PrototypeIndexPage, images: dict) -> PrototypePage:
    fields = dict(content.PROTOTYPE)
    screens = [
        {
            "title": screen["title"],
            "description": screen["description"],
            "alt_text": screen["alt_text"],
            "image": images[f"screen:{screen['key']}"],
        }
        for screen in content.PROTOTYPE_SCREENS
    ]
    return upsert_page(
        index,
        PrototypePage,
        fields.pop("slug"),
        **fields,
        status=PrototypePage.Status.IN_REVIEW,
        screens=screens,
    )


def event_dates(today: datetime.date) -> dict:
    """Dates relative to today: a past event a month ago, a future one in six weeks."""

    def at(day, hour, minute=0):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    past_day = today - datetime.timedelta(days=30)
    future_day = today + datetime.timedelta(days=42)
    return {
        "past_day": past_day,
        "past": (at(past_day, 9, 30), at(past_day, 16, 30)),
        "future": (at(future_day, 10), at(future_day, 15, 30)),
        "news_day": past_day + datetime.timedelta(days=2),
        "release_day": today - datetime.timedelta(days=7),
    }


def create_events(index: EventIndexPage, prototype: PrototypePage) -> tuple[EventPage, EventPage]:
    dates = event_dates(timezone.localdate())
    past_fields = dict(content.PAST_EVENT)
    past_start, past_end = dates["past"]
    past = upsert_page(
        index, EventPage, past_fields.pop("slug"), **past_fields, start=past_start, end=past_end
    )
    future_fields = dict(content.FUTURE_EVENT)
    future_start, future_end = dates["future"]
    future = upsert_page(
        index,
        EventPage,
        future_fields.pop("slug"),
        **future_fields,
        start=future_start,
        end=future_end,
        description=content.future_event_body(prototype),
    )
    return past, future


def create_news(
    index: NewsIndexPage, past_event: EventPage, prototype: PrototypePage, images: dict
) -> NewsPage:
    """The story of the stand at the regional event, then the news of the new version."""
    dates = event_dates(timezone.localdate())
    fields = dict(content.NEWS)
    stand = upsert_page(
        index,
        NewsPage,
        fields.pop("slug"),
        **fields,
        date=dates["news_day"],
        image=images["stand"],
        body=content.news_body(dates["past_day"], past_event, prototype),
    )
    fields = dict(content.NEWS_PROTOTYPE)
    upsert_page(
        index,
        NewsPage,
        fields.pop("slug"),
        **fields,
        date=dates["release_day"],
        image=images["screens_banner"],
        body=content.news_prototype_body(prototype, stand),
    )
    return stand


def link_past_event_to_news(past_event: EventPage, news: NewsPage) -> None:
    """The past event's description links to the news item, which links back to the event."""
    past_event.description = content.past_event_body(news)
    past_event.save_revision().publish()


def create_policy_pages(home: HomePage) -> dict:
    return {
        "accessibility": upsert_page(
            home,
            StandardPage,
            "accessibility",
            **content.ACCESSIBILITY,
            body=content.accessibility_body(timezone.localdate()),
        ),
        "privacy": upsert_page(
            home, StandardPage, "privacy", **content.PRIVACY, body=content.privacy_body()
        ),
    }


def finish_home_page(
    home: HomePage, prototype: PrototypePage, images: dict, what_is_car_t: StandardPage
) -> None:
    for name, value in content.HOME.items():
        setattr(home, name, value)
    home.slug = "home"
    home.hero_image = images["hero"]
    home.intro = content.home_intro(what_is_car_t)
    home.featured_prototype = prototype
    home.save_revision().publish()


def configure_site_settings(site: Site, pages: dict) -> SiteSettings:
    site_settings = SiteSettings.for_site(site)
    site_settings.organisation_name = content.ORGANISATION_NAME
    site_settings.contact_email = content.CONTACT_EMAIL
    site_settings.footer_links = [
        {"type": "link", "value": {"text": text, "page": pages[key].pk, "url": ""}}
        for key, text in [
            ("accessibility", "Accessibility statement"),
            ("privacy", "Privacy notice"),
            ("about", "About the study"),
        ]
    ]
    site_settings.save()
    return site_settings


# --- people ---------------------------------------------------------------------------------
def create_demo_users() -> dict:
    """The demo accounts, keyed "manager" and "patient", each with a verified primary email
    (so they can sign in by emailed code) and the password DEMO_PASSWORD."""
    user_model = get_user_model()
    apply_roles()  # the roles as cms.roles declares them, whatever the database had before
    users = {}
    for spec in DEMO_USERS:
        user = user_model.objects.filter(email__iexact=spec["email"]).first()
        if user is None:
            user = user_model.objects.create_user(email=spec["email"], password=DEMO_PASSWORD)
        else:
            user.set_password(DEMO_PASSWORD)
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.is_active = True
        user.save()
        for group_name in spec["groups"]:
            user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        users[spec["key"]] = user
    return users
