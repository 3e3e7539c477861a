"""Query counts pinned on the managers' prototype pages, after a warm-up request, with more
versions and reviews: the number must not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.feedback import (
    add_screens,
    bulk_prototype_reviews,
    prototype_consultation,
    second_prototype,
)

pytestmark = pytest.mark.django_db
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)


# Prototype analysis: user, permissions ×2, admin profile, the page; SUS scores, screens,
# screen comments, quote consents, other versions; Wagtail's admin chrome. (Was 15 with a count
# of reviews the page never showed.)
PROTOTYPE_ANALYSIS = 13


# From a consultation's overview (?consultation=): that consultation on top.
PROTOTYPE_ANALYSIS_OF_A_CONSULTATION = 14


# Compared with another version: that page and its SUS scores on top.
PROTOTYPE_ANALYSIS_COMPARED = 15  # was 17, then 16 (permissions in two queries)


def count_queries(client, url) -> tuple[int, list[str]]:
    client.get(url)  # warm-up: sessions, site and settings caches, Wagtail's admin menu
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("reviews", [4, 20])
def test_prototype_analysis_queries_do_not_grow(manager_client, site_tree, reviews):
    prototype = site_tree["prototype"]
    add_screens(prototype)
    bulk_prototype_reviews(prototype, reviews)
    other = second_prototype(site_tree)
    bulk_prototype_reviews(other, reviews)
    url = f"/admin/prototype_reviews/{prototype.pk}/"

    alone, sql = count_queries(manager_client, url)
    compared, sql_compared = count_queries(
        manager_client, url + f"?compare={other.pk}&group=carers"
    )

    assert alone == PROTOTYPE_ANALYSIS, "\n".join(sql)
    consultation = prototype_consultation(prototype)
    bulk_prototype_reviews(prototype, reviews, consultation=consultation)
    of_one, sql_of_one = count_queries(manager_client, url + f"?consultation={consultation.pk}")
    assert of_one == PROTOTYPE_ANALYSIS_OF_A_CONSULTATION, "\n".join(sql_of_one)
    assert compared == PROTOTYPE_ANALYSIS_COMPARED, "\n".join(sql_compared)


# Prototype list (a Wagtail report): user, permissions ×2, admin profile; the prototypes counted
# for the pages of the listing, then listed with their counts and means in one query; Wagtail's
# admin chrome.
PROTOTYPE_LIST = 9


@pytest.mark.parametrize("versions", [1, 6])
def test_prototype_list_queries_do_not_grow(manager_client, site_tree, versions):
    for number in range(1, versions):
        page = second_prototype(site_tree, version_label=f"v1.{number}", slug=f"app-v1-{number}")
        bulk_prototype_reviews(page, 3)
    bulk_prototype_reviews(site_tree["prototype"], 3)

    count, sql = count_queries(manager_client, "/admin/prototype_reviews/")

    assert count == PROTOTYPE_LIST, "\n".join(sql)
