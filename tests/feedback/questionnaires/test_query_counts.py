"""Query counts pinned on the managers' questionnaire analysis pages, after a warm-up request, with
five times the reviews and three times the items: the number must not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.feedback import (
    QuestionnaireFactory,
    bulk_reviews,
)

pytestmark = pytest.mark.django_db


# Pinned: a change here means a page's queries changed; look before updating the number.
# Questionnaire analysis: user, permissions ×2, admin profile; questionnaire; every count per
# item in one GROUP BY with conditional counts; items; the free text, quote consents, reviews
# started and sent; Wagtail's admin chrome (locale, page and collection permissions, explorer).
QUESTIONNAIRE_ANALYSIS = 14


# Item-tracking matrix: user, permissions ×2, admin profile; questionnaire, counts per item,
# items, the new items for the next version; Wagtail's admin chrome. The forms are built from
# the items already loaded (each item's several problems are its own columns, no query each).
# Was 11 before the new items were listed.
QUESTIONNAIRE_MATRIX = 11


def count_queries(client, url) -> tuple[int, list[str]]:
    client.get(url)  # warm-up: sessions, site and settings caches, Wagtail's admin menu
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(("reviews", "items"), [(3, 4), (15, 12)])
def test_questionnaire_analysis_queries_do_not_grow(manager_client, reviews, items):
    questionnaire = QuestionnaireFactory(items=items)
    bulk_reviews(questionnaire, reviews)
    url = f"/admin/questionnaires/analysis/{questionnaire.pk}/"

    everyone, sql = count_queries(manager_client, url)
    filtered, sql_filtered = count_queries(manager_client, url + "?group=patients")

    assert everyone == QUESTIONNAIRE_ANALYSIS, "\n".join(sql)
    assert filtered == QUESTIONNAIRE_ANALYSIS, "\n".join(sql_filtered)


@pytest.mark.parametrize(("reviews", "items"), [(3, 4), (15, 12)])
def test_item_tracking_matrix_queries_do_not_grow(manager_client, reviews, items):
    questionnaire = QuestionnaireFactory(items=items)
    bulk_reviews(questionnaire, reviews)

    count, sql = count_queries(manager_client, f"/admin/questionnaires/matrix/{questionnaire.pk}/")

    assert count == QUESTIONNAIRE_MATRIX, "\n".join(sql)


# Responses export: user, permissions ×2, admin profile; questionnaire, item numbers, answers
# with their item and member, quote consents.
RESPONSES_EXPORT = 7


@pytest.mark.parametrize(("reviews", "items"), [(3, 4), (15, 12)])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_responses_export_queries_do_not_grow(manager_client, reviews, items, fmt):
    questionnaire = QuestionnaireFactory(items=items)
    bulk_reviews(questionnaire, reviews)
    url = f"/admin/questionnaires/responses/{questionnaire.pk}/?export={fmt}"

    manager_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(url)
        content = b"".join(response.streaming_content)

    assert len(content) > reviews * items * 10
    assert len(queries) == RESPONSES_EXPORT, "\n".join(q["sql"] for q in queries)


# Matrix export: user, permissions ×2, admin profile; questionnaire, counts per item (I-CVI
# among them), items, new items for the next version. New (no pin before).
MATRIX_EXPORT = 7


@pytest.mark.parametrize(("reviews", "items", "added"), [(3, 4, 1), (15, 12, 5)])
def test_matrix_export_queries_do_not_grow(manager_client, reviews, items, added):
    from feedback.models import NewItem

    questionnaire = QuestionnaireFactory(items=items)
    bulk_reviews(questionnaire, reviews)
    for n in range(added):
        NewItem.objects.create(questionnaire=questionnaire, text=f"New {n}", sort_order=n)
    url = f"/admin/questionnaires/matrix-export/{questionnaire.pk}/?export=csv"

    manager_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(url)
        content = b"".join(response.streaming_content).decode()

    assert f"New {added - 1}" in content
    assert len(queries) == MATRIX_EXPORT, "\n".join(q["sql"] for q in queries)
