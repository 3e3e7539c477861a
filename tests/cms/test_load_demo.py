"""`manage.py load_demo` builds the whole demo site, and running it again changes nothing."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.management.commands.load_demo import DEMO_PASSWORD
from cms.models import HomePage, NewsPage, PrototypePage, PrototypeScreen, SiteSettings
from cms.roles import MANAGERS_GROUP
from engagement.models import (
    ConsentRecord,
    Consultation,
    Feature,
    InvolvementRecord,
    Member,
    RateCard,
    Registration,
    RegistrationSettings,
    Vote,
)
from feedback.models import OutcomeNotice, PrototypeReview, QuestionnaireReview
from tests.conftest import rows_for_the_scope

pytestmark = pytest.mark.django_db

DEMO_PATHS = [
    "/",
    "/about/",
    "/what-is-car-t/",
    "/accessibility/",
    "/privacy/",
    "/news/",
    "/prototypes/",
    "/events/",
]


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "images": get_image_model().objects.count(),
        "screens": PrototypeScreen.objects.count(),
        "users": get_user_model().objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "sites": Site.objects.count(),
        "site settings": SiteSettings.objects.count(),
        "tags on news": sum(page.tags.count() for page in NewsPage.objects.all()),
        "members": Member.objects.count(),
        "consent records": ConsentRecord.objects.count(),
        "consultations": Consultation.objects.count(),
        "features": Feature.objects.count(),
        "votes": Vote.objects.count(),
        "involvement records": InvolvementRecord.objects.count(),
        "rates": RateCard.objects.count(),
        "outcome notices": OutcomeNotice.objects.count(),
        "questionnaire reviews": QuestionnaireReview.objects.count(),
        "prototype reviews": PrototypeReview.objects.count(),
        "events taking registrations": RegistrationSettings.objects.count(),
        "registrations": Registration.objects.count(),
    }


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the tests of TestTheLoadedDemo (each rolled back to it)."""
    with rows_for_the_scope(django_db_blocker):
        load_demo()
        yield


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    def test_running_twice_duplicates_nothing(self):
        first = counts()
        screen_ids = list(
            PrototypeScreen.objects.order_by("sort_order").values_list("pk", flat=True)
        )
        output = load_demo(site_url="http://127.0.0.1:8765")
        assert counts() == first
        # Screens are updated in place: records pointing at them (consultation features) survive.
        assert (
            list(PrototypeScreen.objects.order_by("sort_order").values_list("pk", flat=True))
            == screen_ids
        )
        # root, home, 4 standard, 3 indexes, prototype, 2 news, 2 events
        assert first["pages"] >= 13
        assert "http://127.0.0.1:8000/" in load_demo()  # the address `make run` serves by default
        assert "Admin:  http://127.0.0.1:8765/admin/" in output  # make run PORT=8765
        assert "manager@example.org" in output and "patient@example.org" in output
        # Sign-in is by emailed code only: a password printed here would not work.
        assert DEMO_PASSWORD not in output
        assert "Password sign-in is switched off" in output

    def test_home_page_replaces_welcome_page_as_default_site_root(self):
        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.port) == ("127.0.0.1", 8000)  # where `make run` serves it
        home = site.root_page.specific
        assert isinstance(home, HomePage)
        assert home.slug == "home"
        assert home.featured_prototype is not None
        assert home.hero_image is not None and home.hero_image_alt
        # Wagtail's welcome page is gone: the home page is the only page under the root.
        assert list(Page.get_first_root_node().get_children().values_list("pk", flat=True)) == [
            home.pk
        ]
        menu = [page.slug for page in home.get_children().live().in_menu()]
        assert set(menu) == {"about", "prototypes", "news", "events", "you-said-we-did"}

    def test_every_demo_page_renders(self, client):
        for path in DEMO_PATHS:
            response = client.get(path)
            assert response.status_code == 200, path
        home = HomePage.objects.get()
        descendants = Page.objects.live().descendant_of(home).specific()
        assert descendants.count() >= 11
        for page in descendants:
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            assert page.title.encode() in response.content, page.url
            assert not page.has_unpublished_changes, page.url
            assert page.live_revision_id is not None, page.url

    def test_both_events_have_places(self, client):
        from cms.models import EventPage

        day = EventPage.objects.get(slug="car-t-patient-and-carer-day")
        page = client.get(day.url)
        assert b"There is 1 place left." in page.content
        assert day.registration_settings.ask_dietary_needs
        regional = EventPage.objects.get(slug="regional-car-t-event")
        came = regional.registrations.get(attendance="attended")
        assert came.member.user.email == "patient@example.org"
        assert came.involvement.activity_type == "event"
        assert came.involvement.payment_offered > 0  # the rate card's line for events

    def test_prototype_has_described_screens(self, client):
        prototype = PrototypePage.objects.live().get()
        assert prototype.version_label == "v0.3"
        assert prototype.status == PrototypePage.Status.IN_REVIEW
        assert prototype.changes
        screens = list(prototype.screens.all())
        assert len(screens) >= 4
        for screen in screens:
            assert screen.alt_text.strip(), screen.title
            assert screen.description.strip(), screen.title
            assert screen.image is not None, screen.title
            assert (screen.image.width, screen.image.height) == (360, 720)
        response = client.get(prototype.url)
        for screen in screens:
            assert screen.title.encode() in response.content

    def test_demo_users_can_sign_in(self, client):
        users = get_user_model().objects
        manager = users.get(email="manager@example.org")
        patient = users.get(email="patient@example.org")
        for user in (manager, patient):
            assert user.get_full_name()
            assert user.check_password(DEMO_PASSWORD)
            assert EmailAddress.objects.filter(
                user=user, email=user.email, verified=True, primary=True
            ).exists()
        assert manager.groups.filter(name=MANAGERS_GROUP).exists()
        assert not patient.groups.filter(name=MANAGERS_GROUP).exists()

        client.force_login(manager)
        assert client.get("/admin/").status_code == 200

    def test_site_settings_and_search(self, client):
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        assert settings.contact_email == "ppie@example.org"
        linked = {block.value["page"].slug for block in settings.footer_links}
        assert linked == {"accessibility", "privacy", "about"}
        response = client.get("/")
        assert b"ppie@example.org" in response.content
        assert b"/accessibility/" in response.content

        response = client.get("/search/", {"q": "diary"})
        assert response.status_code == 200
        assert PrototypePage.objects.get().title.encode() in response.content

    def test_demo_has_open_and_closed_consultations_with_an_outcome(self, client):
        """The demo patient partner can vote in the open consultation; the closed one has a
        published "you said, we did" page that they were told about."""
        patient = get_user_model().objects.get(email="patient@example.org")
        client.force_login(patient)
        open_page = client.get("/consultations/which-features-matter/")
        assert open_page.status_code == 200
        assert b"Save my votes" in open_page.content
        assert b"Check the questions" in open_page.content
        me = client.get("/me/")
        assert b"What the app will do first" in me.content
        assert InvolvementRecord.objects.filter(member__user=patient).exists()
        results = client.get("/consultations/what-first/results/")
        assert results.status_code == 200
        assert b"Agreed: critical" in results.content


def test_qr_codes_posters_and_emails_use_the_address_the_demo_is_served_on(settings):
    """`make run PORT=8123` serves on :8123: the poster and emails must not say :8000."""
    from cms.site_url import public_base_url
    from engagement.membership.qr import campaign_url
    from engagement.models import Campaign

    settings.PUBLIC_BASE_URL = ""
    call_command("load_demo", "--site-url", "http://127.0.0.1:8123/", stdout=StringIO())

    assert public_base_url() == "http://127.0.0.1:8123"
    campaign = Campaign.objects.get(code="cart-day")
    assert campaign_url(campaign) == "http://127.0.0.1:8123/join/cart-day/"

    settings.PUBLIC_BASE_URL = "https://ppie.example.org"  # production says where it lives
    assert campaign_url(campaign) == "https://ppie.example.org/join/cart-day/"


def test_under_production_settings_the_demo_is_refused_and_nothing_changes(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    pages_before = Page.objects.count()

    with pytest.raises(CommandError, match="production settings") as refused:
        call_command("load_demo", stdout=StringIO())

    assert "--on-production" in str(refused.value)
    assert Page.objects.count() == pages_before
    assert not get_user_model().objects.exists()


def test_a_demo_server_can_say_it_means_it(settings):
    settings.DEMO_CONTENT_ALLOWED = False

    call_command("load_demo", "--on-production", stdout=StringIO())

    assert HomePage.objects.live().exists()
