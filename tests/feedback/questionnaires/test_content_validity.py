"""The content validity index of a questionnaire's items (Polit DF, Beck CT. The content validity
index: are you sure you know what's being reported? Res Nurs Health 2006;29:489–497): I-CVI =
the share of raters scoring an item 3 or 4 on the 4-point relevance scale; S-CVI/Ave = the mean
of the I-CVIs. Only reviews sent count. Checked against a published worked example and sums done
by hand, on the analysis page and in the matrix export."""

import pytest
from django.utils import timezone

from feedback.models import ItemFeedback, QuestionnaireReview
from feedback.questionnaires import selectors
from tests.factories.feedback import QuestionnaireFactory, bulk_members, items_of
from tests.html import soup, words
from tests.spreadsheets import xlsx_table

pytestmark = pytest.mark.django_db

# A published worked example of Polit and Beck's method: 12 items rated by 6 experts (PMC7253559,
# table 4). Rows are items, columns raters. Items 6 and 9 have 5 of 6 ratings of 3 or 4, I-CVI
# 5/6 = 0.83; the other ten have 6 of 6, I-CVI 1.00. S-CVI/Ave = (10 × 1 + 2 × 5/6) / 12 =
# 11.667 / 12 = 0.97, as published.
WORKED = [
    [4, 4, 4, 4, 4, 4],
    [4, 3, 4, 4, 3, 4],
    [4, 4, 4, 4, 4, 4],
    [4, 4, 4, 4, 4, 4],
    [3, 4, 4, 4, 4, 4],
    [2, 3, 4, 3, 3, 4],
    [4, 4, 4, 4, 4, 4],
    [4, 4, 4, 4, 4, 4],
    [3, 3, 4, 2, 3, 4],
    [4, 4, 4, 3, 4, 4],
    [4, 4, 4, 3, 4, 4],
    [4, 4, 4, 3, 4, 4],
]


def rate(questionnaire, ratings: list[list[int]], *, sent: bool = True) -> None:
    """One review per column of `ratings` (rows: items), sent or left as a draft."""
    items = items_of(questionnaire)
    raters = len(ratings[0])
    reviews = QuestionnaireReview.objects.bulk_create(
        [
            QuestionnaireReview(
                member=member,
                questionnaire=questionnaire,
                submitted_at=timezone.now() if sent else None,
            )
            for member in bulk_members(raters)
        ]
    )
    ItemFeedback.objects.bulk_create(
        [
            ItemFeedback(review=review, item=item, relevance=ratings[i][r])
            for i, item in enumerate(items)
            for r, review in enumerate(reviews)
        ]
    )


@pytest.fixture
def worked():
    questionnaire = QuestionnaireFactory(items=len(WORKED))
    rate(questionnaire, WORKED)
    return questionnaire


def test_the_i_cvis_and_s_cvi_ave_of_the_published_example(worked):
    counts = selectors.item_counts(worked)

    i_cvis = [round(row["i_cvi"], 2) for row in counts.values()]
    assert i_cvis == [1.0, 1.0, 1.0, 1.0, 1.0, 0.83, 1.0, 1.0, 0.83, 1.0, 1.0, 1.0]
    # Six raters, so 0.78 applies: 0.83 is acceptable.
    assert {row["i_cvi_verdict"] for row in counts.values()} == {"acceptable"}
    cvi = selectors.content_validity(counts)
    assert round(cvi["s_cvi_ave"], 2) == 0.97
    assert cvi["excellent"] and (cvi["items_rated"], cvi["items"]) == (12, 12)


def test_a_draft_not_sent_is_not_counted(worked):
    """Six drafts rating every item 1 ("not at all relevant") would halve every I-CVI; they are
    not sent, so nothing changes."""
    rate(worked, [[1] * 6 for _ in WORKED], sent=False)

    counts = selectors.item_counts(worked)

    assert [row["n"] for row in counts.values()] == [6] * 12
    assert round(selectors.content_validity(counts)["s_cvi_ave"], 2) == 0.97
    analysis = selectors.item_analysis(worked)
    assert (analysis["started"], analysis["submitted"]) == (12, 6)


def test_hand_computed_verdicts_below_and_with_too_few_raters():
    """By hand: item 1, 4 of 6 rated 3 or 4 → 0.67, below 0.78 → "low"; item 2, 6 of 6 →
    1.00. S-CVI/Ave = (0.667 + 1) / 2 = 0.83, below 0.90. With 3 raters the verdict is "few"
    (Polit and Beck give 0.78 for six or more raters); an item nobody rated has no I-CVI and is
    left out of the average."""
    six = QuestionnaireFactory(items=2)
    rate(six, [[4, 3, 2, 1, 3, 4], [3, 3, 4, 4, 3, 4]])
    counts = selectors.item_counts(six)
    first, second = counts.values()
    assert (round(first["i_cvi"], 2), first["i_cvi_verdict"]) == (0.67, "low")
    assert (second["i_cvi"], second["i_cvi_verdict"]) == (1.0, "acceptable")
    cvi = selectors.content_validity(counts)
    assert round(cvi["s_cvi_ave"], 2) == 0.83 and not cvi["excellent"]

    three = QuestionnaireFactory(items=2)
    rate(three, [[4, 4, 2], [4, 4, 4]])
    ItemFeedback.objects.filter(item=items_of(three)[1]).delete()
    first, unrated = selectors.item_counts(three).values()
    assert (round(first["i_cvi"], 2), first["i_cvi_verdict"]) == (0.67, "few")
    assert (unrated["i_cvi"], unrated["i_cvi_verdict"]) == (None, "")
    assert selectors.content_validity(selectors.item_counts(three))["items_rated"] == 1


def test_the_analysis_names_and_explains_the_indexes(manager_client, worked):
    rate(worked, [[1] * 6 for _ in WORKED], sent=False)

    page = soup(manager_client.get(f"/admin/questionnaires/analysis/{worked.pk}/"))

    box = words(page.find(attrs={"aria-labelledby": "cvi-heading"}))
    assert "Content validity index (I-CVI and S-CVI/Ave)" in box
    assert (
        "The I-CVI of an item is the share of people who sent their review and rated it quite "
        "or very relevant (3 or 4 on the 4-point scale); the S-CVI/Ave is the average of the "
        "items’ I-CVIs (Polit and Beck 2006)." in box
    )
    assert "S-CVI/Ave: 0.97, the average over 12 of 12 items – excellent (0.90 or more)" in box
    assert "Reviews started but not sent are not counted." in box
    item_6 = words(page.find(id=f"item-{items_of(worked)[5].pk}"))
    assert "I-CVI: 0.83 (5 of 6 rated it 3 or 4 of 4) – acceptable (0.78 or more)" in item_6
    assert "12 reviews started, 6 sent." in words(page)


def test_the_matrix_export_has_each_i_cvi_and_the_s_cvi_ave(manager_client, worked):
    response = manager_client.get(f"/admin/questionnaires/matrix-export/{worked.pk}/?export=xlsx")

    rows = xlsx_table(response)
    assert [r["I-CVI"] for r in rows[:12]] == [
        1,
        1,
        1,
        1,
        1,
        0.83,
        1,
        1,
        0.83,
        1,
        1,
        1,
    ]
    assert [r["Raters"] for r in rows[:12]] == [6] * 12
    assert rows[12]["Item"] == "All items (S-CVI/Ave)"
    assert rows[12]["I-CVI"] == 0.97
