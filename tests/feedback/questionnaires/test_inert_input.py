"""A script tag and a spreadsheet formula typed as feedback do nothing anywhere they show up:
the member's own page, the manager's analysis pages and the exports. Checked twice: as typed
through the form (the service strips tags), and as if stored raw (imported, or a future code
path skipping the service), where the templates' escaping is the only defence."""

import csv
import io

import pytest
from django.test import Client

from feedback.models import ItemFeedback, ScreenComment
from feedback.questionnaires import services as questionnaires_services
from tests.factories.feedback import (
    QuestionnaireFactory,
    items_of,
    prototype_consultation,
    review_all,
)
from tests.spreadsheets import workbook

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil")'


@pytest.fixture
def questionnaire():
    return QuestionnaireFactory(items=["How tired have you felt?", "Mood"])


def base_url(questionnaire) -> str:
    return f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode()


def test_typed_through_the_form_it_is_inert_everywhere(questionnaire, member, manager_client):
    client = Client()
    client.force_login(member.user)
    url = base_url(questionnaire) + "items/1/"
    client.post(
        url,
        {
            "relevance": "3",
            "comment": SCRIPT + " too long",
            "suggested_rewording": FORMULA,
            "unclear_words": "<img src=x onerror=alert(2)>",
        },
    )

    stored = ItemFeedback.objects.get()
    assert stored.comment == "alert(1) too long"
    # Sent (the analysis and exports count only reviews sent): the other items answered too.
    review = stored.review
    for item in items_of(questionnaire)[1:]:
        questionnaires_services.save_item_feedback(review=review, item=item, data={"relevance": 4})
    questionnaires_services.submit_review(review=review)
    assert "<" not in stored.unclear_words

    # The member's page: the tag is gone, the formula is shown as text.
    mine = text(client.get(url))
    assert "<script>alert" not in mine and "onerror" not in mine
    assert "alert(1) too long</textarea>" in mine
    assert "=HYPERLINK(&quot;http://evil&quot;)</textarea>" in mine

    # The manager's analysis: no raw markup from the member.
    analysis = text(manager_client.get(f"/admin/questionnaires/analysis/{questionnaire.pk}/"))
    assert "<script>alert" not in analysis and "onerror" not in analysis
    assert "=HYPERLINK(&quot;http://evil&quot;)" in analysis

    # The exports: the formula cannot run.
    export = f"/admin/questionnaires/responses/{questionnaire.pk}/"
    rows = list(csv.DictReader(io.StringIO(text(manager_client.get(export + "?export=csv")))))
    assert rows[0]["Suggested rewording"] == "'" + FORMULA
    sheet = workbook(manager_client.get(export + "?export=xlsx")).active
    headings = [c.value for c in sheet[5]]  # under the title, date, filters and a blank row
    cell = sheet.cell(row=6, column=headings.index("Suggested rewording") + 1)
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.value == FORMULA  # as typed: XLSX cells are values, never run


def test_stored_raw_it_is_still_escaped_on_every_page(questionnaire, member, manager_client):
    review_all(member, questionnaire)
    ItemFeedback.objects.filter(item=items_of(questionnaire)[0]).update(
        comment=SCRIPT, suggested_rewording=FORMULA, own_words="<b onmouseover=alert(3)>hi</b>"
    )
    client = Client()
    client.force_login(member.user)

    mine = text(client.get(base_url(questionnaire) + "items/1/"))
    analysis = text(manager_client.get(f"/admin/questionnaires/analysis/{questionnaire.pk}/"))

    for page in (mine, analysis):
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b onmouseover" not in page
    csv_text = text(
        manager_client.get(f"/admin/questionnaires/responses/{questionnaire.pk}/?export=csv")
    )
    assert "'" + FORMULA.replace('"', '""') in csv_text


def test_prototype_comments_are_inert_for_the_manager(site_tree, member, manager_client):
    prototype = site_tree["prototype"]
    consultation = prototype_consultation(prototype)
    screen = prototype.screens.get()
    client = Client()
    client.force_login(member.user)
    client.post(
        f"/consultations/{consultation.slug}/prototype-review/",
        {f"screen-{screen.pk}-comment": SCRIPT + FORMULA, "save": "1"},
    )
    assert ScreenComment.objects.get().comment == "alert(1)" + FORMULA
    # And a raw one, as if it had got past the service.
    ScreenComment.objects.update(comment=SCRIPT)

    analysis = text(manager_client.get(f"/admin/prototype_reviews/{prototype.pk}/"))
    mine = text(client.get(f"/consultations/{consultation.slug}/prototype-review/"))

    for page in (analysis, mine):
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
