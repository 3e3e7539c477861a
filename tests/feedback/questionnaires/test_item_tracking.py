"""The item-tracking matrix records what COSMIN's content-validity review can find (Terwee et al.
2018): several problem types per item, new response options, new instructions and recall period
for the whole questionnaire, and new items; the next version is built from all of them; the
export carries them."""

import pytest
from django.core.exceptions import ValidationError

from feedback.models import Item, NewItem, Questionnaire
from feedback.questionnaires import services
from tests.factories.feedback import QuestionnaireFactory, items_of
from tests.html import soup, words
from tests.spreadsheets import xlsx_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return QuestionnaireFactory(
        items=["How tired have you felt?", "Brain fog", "Mood"],
        recall_period="the past 7 days",
        instructions="Think about the past 7 days.",
    )


def matrix_url(questionnaire) -> str:
    return f"/admin/questionnaires/matrix/{questionnaire.pk}/"


def test_the_matrix_page_saves_several_problems_new_options_and_the_whole_questionnaire(
    manager_client, draft
):
    tired, fog, mood = items_of(draft)
    response = manager_client.post(
        matrix_url(draft),
        {
            f"item-{tired.pk}-problems": ["recall", "options", "comprehension"],
            f"item-{tired.pk}-severity": "major",
            f"item-{tired.pk}-decision": "revise",
            f"item-{tired.pk}-revised_options": "Never\n\n  Sometimes \nOften\nAlways",
            f"item-{tired.pk}-rationale": "Seven days is too long to remember.",
            f"item-{fog.pk}-decision": "keep",
            "whole-revised_recall_period": "the past 24 hours",
            "whole-revised_instructions": "Think about yesterday and today.",
            "whole-revision_rationale": "Members said a week is hard to recall.",
        },
        follow=True,
    )

    assert "The item-tracking matrix is saved." in words(soup(response))
    tired.refresh_from_db()
    assert tired.problems == ["comprehension", "recall", "options"]
    assert tired.revised_options == "Never\nSometimes\nOften\nAlways"
    assert tired.revised_wording == ""
    assert Item.objects.get(pk=fog.pk).problems == []
    draft.refresh_from_db()
    assert draft.revised_recall_period == "the past 24 hours"
    assert draft.revised_instructions == "Think about yesterday and today."
    # The page shows what was saved: the ticked boxes and the whole questionnaire's row.
    page = soup(manager_client.get(matrix_url(draft)))
    ticked = page.select(f'input[name="item-{tired.pk}-problems"][checked]')
    assert sorted(box["value"] for box in ticked) == ["comprehension", "options", "recall"]
    whole = page.find(id="whole-questionnaire")
    assert "Now: recall period “the past 7 days”." in words(whole)
    assert whole.find("input", attrs={"name": "whole-revised_recall_period"})["value"] == (
        "the past 24 hours"
    )


def test_a_problem_that_does_not_exist_saves_nothing_and_says_so(manager_client, draft):
    tired, fog, _mood = items_of(draft)

    response = manager_client.post(
        matrix_url(draft),
        {
            f"item-{tired.pk}-problems": ["recall", "typo"],
            f"item-{fog.pk}-decision": "drop",
            "whole-revised_recall_period": "x" * 101,
        },
    )

    assert response.status_code == 200
    page = words(soup(response))
    assert "Nothing was saved" in page
    assert Item.objects.get(pk=fog.pk).decision == ""
    assert Item.objects.get(pk=tired.pk).problems == []
    assert Questionnaire.objects.get(pk=draft.pk).revised_recall_period == ""


def test_revise_needs_new_wording_or_new_options(draft):
    tired = items_of(draft)[0]

    with pytest.raises(ValidationError) as caught:
        services.save_tracking(item=tired, data={"decision": "revise"})
    assert "new response options" in " ".join(caught.value.messages)

    services.save_tracking(
        item=tired, data={"decision": "revise", "revised_options": "Yes\nNo", "problems": []}
    )
    assert Item.objects.get(pk=tired.pk).decision == "revise"


def test_the_next_version_takes_every_change_of_the_matrix(draft):
    tired, fog, mood = items_of(draft)
    services.save_tracking(
        item=tired,
        data={"decision": "revise", "revised_options": "Never\nSometimes\nOften"},
    )
    services.save_tracking(item=fog, data={"decision": "revise", "revised_wording": "Muddled?"})
    services.save_tracking(item=mood, data={"decision": "drop"})
    services.save_whole_questionnaire(
        questionnaire=draft,
        data={"revised_recall_period": "the past 24 hours", "revised_instructions": ""},
    )
    NewItem.objects.create(
        questionnaire=draft,
        text="How well have you slept?",
        response_options="Well\nBadly",
        rationale="Carers said sleep is missing.",
        sort_order=0,
    )

    new = services.create_next_version(questionnaire=draft)

    assert new.recall_period == "the past 24 hours"
    assert new.instructions == "Think about the past 7 days."  # not changed: kept
    carried = items_of(new)
    assert [(i.text, i.response_options, i.previous_item_id) for i in carried] == [
        ("How tired have you felt?", "Never\nSometimes\nOften", tired.pk),
        ("Muddled?", fog.response_options, fog.pk),
        ("How well have you slept?", "Well\nBadly", None),
    ]


def test_new_items_are_added_on_the_questionnaires_edit_page(manager_client, draft):
    url = f"/admin/questionnaires/edit/{draft.pk}/"
    page = soup(manager_client.get(url))
    assert page.find(id="panel-new_items_for_the_next_version-section") is not None
    matrix = soup(manager_client.get(matrix_url(draft)))
    link = matrix.find("a", string="Add or change new items on the questionnaire’s edit page")
    assert link["href"] == url + "#panel-new_items_for_the_next_version-section"
    items = items_of(draft)
    data = {
        "title": draft.title,
        "version": draft.version,
        "status": draft.status,
        "consultation": draft.consultation_id or "",
        "recall_period": draft.recall_period,
        "instructions": draft.instructions,
        "previous_version": "",
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        "new_items-TOTAL_FORMS": 1,
        "new_items-INITIAL_FORMS": 0,
        "new_items-MIN_NUM_FORMS": 0,
        "new_items-MAX_NUM_FORMS": 1000,
        "new_items-0-text": "How well have you slept?",
        "new_items-0-response_type": "scale",
        "new_items-0-response_options": "Well\nBadly",
        "new_items-0-help_text": "",
        "new_items-0-rationale": "Carers said sleep is missing.",
        "new_items-0-ORDER": 1,
    }
    for n, item in enumerate(items):
        data.update(
            {
                f"items-{n}-id": item.pk,
                f"items-{n}-text": item.text,
                f"items-{n}-response_type": item.response_type,
                f"items-{n}-help_text": item.help_text,
                f"items-{n}-response_options": item.response_options,
                f"items-{n}-ORDER": n + 1,
            }
        )

    response = manager_client.post(url, data)

    assert response.status_code == 302, words(soup(response).find(class_="messages") or "")
    added = NewItem.objects.get(questionnaire=draft)
    assert (added.text, added.rationale) == (
        "How well have you slept?",
        "Carers said sleep is missing.",
    )
    assert items_of(draft) == items  # the items themselves untouched


def test_the_matrix_lists_new_items_and_the_export_has_every_change(manager_client, draft):
    tired = items_of(draft)[0]
    services.save_tracking(
        item=tired,
        data={
            "problems": ["recall", "options"],
            "decision": "revise",
            "revised_options": "Never\nOften",
        },
    )
    services.save_whole_questionnaire(
        questionnaire=draft,
        data={"revised_recall_period": "the past 24 hours", "revision_rationale": "Too long"},
    )
    NewItem.objects.create(
        questionnaire=draft, text="How well have you slept?", rationale="Missing", sort_order=0
    )

    matrix = soup(manager_client.get(matrix_url(draft)))
    rows = xlsx_table(
        manager_client.get(f"/admin/questionnaires/matrix-export/{draft.pk}/?export=xlsx")
    )

    assert "“How well have you slept?” (rating scale): Missing" in words(
        matrix.find(attrs={"aria-labelledby": "new-items-heading"})
    )
    by_item = {r["Item"]: r for r in rows}
    first = by_item["How tired have you felt?"]
    assert first["Problems"] == "Recall period; Response options"
    assert first["Revised response options"] == "Never; Often"
    recall = by_item["Recall period: the past 7 days"]
    assert (recall["Decision"], recall["Revised wording"], recall["Rationale"]) == (
        "Change",
        "the past 24 hours",
        "Too long",
    )
    added = by_item["How well have you slept?"]
    assert (added["Number"], added["Decision"], added["Version"]) == ("new 1", "Add", 2)
