"""Where each page type may live in the tree, and that each one renders and opens in the editor."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PrototypeIndexPage,
    PrototypePage,
    StandardPage,
)
from feedback.outcomes.models import OutcomeIndexPage, OutcomePage
from tests.factories.cms import build_site


class PageTreeRulesTests(WagtailPageTestCase):
    """What a manager is offered under "Add child page" for each page type."""

    def test_home_page(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {StandardPage, NewsIndexPage, PrototypeIndexPage, EventIndexPage, OutcomeIndexPage},
        )

    def test_standard_page(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_news(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_prototypes(self):
        self.assertAllowedParentPageTypes(PrototypeIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PrototypeIndexPage, {PrototypePage})
        self.assertAllowedParentPageTypes(PrototypePage, {PrototypeIndexPage})
        self.assertAllowedSubpageTypes(PrototypePage, set())

    def test_events(self):
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, set())

    def test_outcomes(self):
        self.assertAllowedParentPageTypes(OutcomeIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(OutcomeIndexPage, {OutcomePage})
        self.assertAllowedParentPageTypes(OutcomePage, {OutcomeIndexPage})
        self.assertAllowedSubpageTypes(OutcomePage, set())

    def test_key_pairs(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanCreateAt(PrototypeIndexPage, PrototypePage)
        self.assertCanCreateAt(EventIndexPage, EventPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        # Items only go in their own section, and sections only under the home page.
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(NewsIndexPage, EventPage)
        self.assertCanNotCreateAt(EventIndexPage, PrototypePage)
        self.assertCanNotCreateAt(StandardPage, NewsIndexPage)
        self.assertCanNotCreateAt(Page, NewsPage)
        self.assertCanNotCreateAt(NewsPage, NewsPage)

    def test_sections_exist_once(self):
        # max_count = 1: the menu has one News, one Prototypes, one Events, one home.
        for model in (
            HomePage,
            NewsIndexPage,
            PrototypeIndexPage,
            EventIndexPage,
            OutcomeIndexPage,
        ):
            self.assertEqual(model.max_count, 1, model.__name__)


class PageRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.tree["outcome_index"] = cls.tree["home"].add_child(
            instance=OutcomeIndexPage(title="You said, we did", slug="you-said-we-did")
        )
        cls.admin = get_user_model().objects.create_superuser(email="admin@example.org")

    def test_every_page_type_is_renderable(self):
        for key in (
            "home",
            "about",
            "news_index",
            "news",
            "prototype_index",
            "prototype",
            "event_index",
            "event",
            "outcome_index",  # outcome pages need a consultation: tests/outcomes/
        ):
            with self.subTest(page=key):
                self.assertPageIsRenderable(self.tree[key])

    def test_index_pages_render_any_page_number(self):
        for key in ("news_index", "prototype_index", "event_index", "outcome_index"):
            for page_number in ("2", "999", "x"):
                with self.subTest(page=key, number=page_number):
                    self.assertPageIsRenderable(self.tree[key], query_data={"page": page_number})

    def test_every_page_type_opens_in_the_editor(self):
        self.client.force_login(self.admin)
        for key in ("home", "about", "news_index", "news", "prototype", "event"):
            page = self.tree[key]
            with self.subTest(page=key):
                response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                self.assertContains(response, 'id="page-edit-form"')
                self.assertContains(response, page.title)

    def test_pages_without_a_streamfield_preview(self):
        # The helper posts the edit form as the HTML has it; StreamField forms are built by
        # JavaScript, so the pages with a body are covered by the editor test above.
        for key in ("home", "news_index", "prototype_index", "prototype", "event_index"):
            with self.subTest(page=key):
                self.assertPageIsPreviewable(self.tree[key], user=self.admin)
