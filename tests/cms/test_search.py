"""/search/: what a visitor finds, and how the page copes with odd queries."""

from django.core.management import call_command
from django.test import TestCase

from tests.factories.cms import NewsPageFactory, build_site
from tests.html import soup


def result_links(response):
    return [(a.get_text(), a["href"]) for a in soup(response).select(".search-results h3 a")]


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        news = cls.tree["news"]
        news.summary = "Patients told us lymphodepletion days are the hardest."
        news.save_revision().publish()
        NewsPageFactory(
            parent=cls.tree["news_index"],
            title="Draft about lymphodepletion",
            summary="Not ready: lymphodepletion.",
            live=False,
        )
        for n in range(12):
            NewsPageFactory(
                parent=cls.tree["news_index"],
                title=f"Questionnaire update {n}",
                summary="Changes to the fatigue questionnaire.",
            )
        # Pages are indexed when saved; the command rebuilds the index the way a deployment would.
        call_command("update_index", verbosity=0)

    def test_finds_a_news_page_by_a_word_in_its_summary(self):
        response = self.client.get("/search/", {"q": "lymphodepletion"})
        self.assertEqual(result_links(response), [("Our stand at the CAR-T event", "/news/stand/")])
        self.assertContains(response, "1 result for “lymphodepletion”")
        self.assertContains(response, "Patients told us lymphodepletion days are the hardest.")
        self.assertIn("Search results for “lymphodepletion”", soup(response).title.get_text())

    def test_a_page_is_found_as_soon_as_it_is_published(self):
        # No update_index here: Wagtail indexes a page when it is saved.
        page = NewsPageFactory(
            parent=self.tree["news_index"], title="Apheresis explained", summary="Leukapheresis."
        )
        response = self.client.get("/search/", {"q": "leukapheresis"})
        self.assertEqual(result_links(response), [("Apheresis explained", page.url)])

    def test_unpublished_pages_are_not_found(self):
        response = self.client.get("/search/", {"q": "lymphodepletion"})
        self.assertNotContains(response, "Draft about lymphodepletion")

    def test_no_results_message(self):
        response = self.client.get("/search/", {"q": "xylophone"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "0 results for “xylophone”")
        self.assertContains(response, "Check your spelling or try other words.")
        self.assertEqual(result_links(response), [])

    def test_empty_query_shows_just_the_form(self):
        for params in ({}, {"q": ""}, {"q": "   "}):
            with self.subTest(params=params):
                response = self.client.get("/search/", params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(soup(response).find("input", id="q")["value"], "")
                self.assertNotContains(response, "results for")
                self.assertNotContains(response, "Check your spelling")

    def test_a_very_long_query_is_cut_to_200_characters(self):
        response = self.client.get("/search/", {"q": "fatigue " + "x" * 492})
        self.assertEqual(response.status_code, 200)
        value = soup(response).find("input", id="q")["value"]
        self.assertEqual(len(value), 200)
        self.assertTrue(value.startswith("fatigue xxx"))

    def test_query_is_escaped(self):
        response = self.client.get("/search/", {"q": '<script>alert("x")</script>'})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert")

    def test_pagination_keeps_the_query(self):
        first = self.client.get("/search/", {"q": "questionnaire"})
        self.assertContains(first, "12 results for “questionnaire”")
        self.assertEqual(len(result_links(first)), 10)
        self.assertContains(first, "Page 1 of 2")
        next_href = soup(first).find("a", rel="next")["href"]
        self.assertEqual(next_href, "?q=questionnaire&page=2")

        second = self.client.get("/search/" + next_href)
        self.assertContains(second, "Page 2 of 2")
        self.assertEqual(len(result_links(second)), 2)
        self.assertEqual(soup(second).find("a", rel="prev")["href"], "?q=questionnaire&page=1")
        both = {title for title, _ in result_links(first) + result_links(second)}
        self.assertEqual(both, {f"Questionnaire update {n}" for n in range(12)})

    def test_query_with_spaces_survives_pagination(self):
        response = self.client.get("/search/", {"q": "fatigue questionnaire"})
        self.assertEqual(
            soup(response).find("a", rel="next")["href"],
            "?q=fatigue%20questionnaire&page=2",
        )

    def test_a_bad_page_number_shows_the_first_page(self):
        for page in ("0", "99", "abc"):
            with self.subTest(page=page):
                response = self.client.get("/search/", {"q": "questionnaire", "page": page})
                self.assertContains(response, "Page 1 of 2")
