"""Aggregations for the managers' analysis of questionnaire reviews: per item answer counts,
flags, the content validity index (I-CVI per item, S-CVI/Ave for the questionnaire, Polit and
Beck 2006) and free text, of the reviews sent only. A fixed number of queries whatever the size."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from engagement.membership.models import (
    group_of_role,
)
from engagement.membership.selectors import quote_consenting_members, roles_of_group
from feedback.questionnaires.models import (
    ItemFeedback,
    Questionnaire,
    QuestionnaireReview,
    Relevance,
)


def _feedback(questionnaire: Questionnaire, group: str | None):
    """The item answers of the reviews sent (a draft not sent is not counted, Polit and Beck
    2006: only the ratings given count), optionally of one stakeholder group."""
    base = ItemFeedback.objects.filter(
        review__questionnaire=questionnaire, review__submitted_at__isnull=False
    ).order_by()
    if group:
        base = base.filter(review__member__role__in=roles_of_group(group))
    return base


# What counts as a flag on an item, in one place: unclear (unclear words given, or answer options
# that do not fit), upsetting (a little or yes), or "would skip it".
UNCLEAR = Q(unclear_words__gt="") | Q(options_fit=ItemFeedback.Fit.NO)


UPSETTING = Q(upsetting__in=[ItemFeedback.Upsetting.A_LITTLE, ItemFeedback.Upsetting.YES])


# The closed questions asked about each item, with their answers, as the analysis shows them.
QUESTIONS = [
    ("relevance", _("How relevant"), Relevance.choices),
    ("recall_fit", _("Recall period"), ItemFeedback.Recall.choices),
    ("options_fit", _("Answer options fit"), ItemFeedback.Fit.choices),
    ("upsetting", _("Upsetting or intrusive"), ItemFeedback.Upsetting.choices),
]


def item_counts(questionnaire: Questionnaire, *, group: str | None = None) -> dict[int, dict]:
    """Per item (by pk, every item of the questionnaire, in order): answers, flags, headline
    percentages and the count of each answer to each closed question, all counted by the
    database in one query whatever the number of reviews."""
    answers = {
        f"{name}_{index}": Count("pk", filter=Q(**{name: value}))
        for name, _label, choices in QUESTIONS
        for index, (value, _text) in enumerate(choices)
    }
    counts = {
        row["item_id"]: row
        for row in _feedback(questionnaire, group)
        .values("item_id")
        .annotate(
            n=Count("pk"),
            unclear=Count("pk", filter=UNCLEAR),
            upsetting_count=Count("pk", filter=UPSETTING),
            would_skip=Count("pk", filter=Q(would_skip=True)),
            **answers,
        )
    }
    result = {}
    for item in questionnaire.items.all():
        row = counts.get(item.pk, {})
        n = row.get("n", 0)
        unclear, upsetting = row.get("unclear", 0), row.get("upsetting_count", 0)
        would_skip = row.get("would_skip", 0)
        relevant = row.get(f"relevance_{Relevance.values.index(Relevance.QUITE)}", 0) + row.get(
            f"relevance_{Relevance.values.index(Relevance.VERY)}", 0
        )
        i_cvi = relevant / n if n else None
        result[item.pk] = {
            "item": item,
            "n": n,
            "relevant": relevant,
            "i_cvi": i_cvi,
            "i_cvi_verdict": i_cvi_verdict(i_cvi, n),
            "unclear": unclear,
            "upsetting_count": upsetting,
            "would_skip": would_skip,
            "flags": unclear + upsetting + would_skip,
            "pct_relevant": _pct(relevant, n),
            "pct_unclear": _pct(unclear, n),
            "pct_upsetting": _pct(upsetting, n),
            "questions": [
                {
                    "label": label,
                    "rows": [
                        {
                            "label": text,
                            "count": row.get(f"{name}_{index}", 0),
                            "pct": _pct(row.get(f"{name}_{index}", 0), n),
                        }
                        for index, (_value, text) in enumerate(choices)
                    ],
                }
                for name, label, choices in QUESTIONS
            ],
        }
    return result


# Polit and Beck (2006): an I-CVI of 0.78 or more is acceptable with six or more raters; an
# S-CVI/Ave of 0.90 or more is excellent.
I_CVI_ACCEPTABLE = 0.78
I_CVI_MIN_RATERS = 6
S_CVI_AVE_EXCELLENT = 0.90


def i_cvi_verdict(i_cvi: float | None, raters: int) -> str:
    """ "acceptable" or "low" against 0.78 with six or more raters, "few" with fewer (Polit
    and Beck give 0.78 for six or more), "" when nobody rated the item."""
    if i_cvi is None:
        return ""
    if raters < I_CVI_MIN_RATERS:
        return "few"
    return "acceptable" if i_cvi >= I_CVI_ACCEPTABLE else "low"


def content_validity(counts: dict[int, dict]) -> dict:
    """S-CVI/Ave (Polit and Beck 2006): the mean of the I-CVIs of the items that were rated,
    with how many items that is and whether it reaches 0.90."""
    rated = [row["i_cvi"] for row in counts.values() if row["i_cvi"] is not None]
    ave = sum(rated) / len(rated) if rated else None
    return {
        "s_cvi_ave": ave,
        "items_rated": len(rated),
        "items": len(counts),
        "excellent": ave is not None and ave >= S_CVI_AVE_EXCELLENT,
    }


TEXT_KINDS = [
    ("unclear_words", _("Unclear words")),
    ("own_words", _("In their words")),
    ("suggested_rewording", _("Rewording")),
    ("comment", _("Comment")),
]


def item_analysis(questionnaire: Questionnaire, *, group: str | None = None) -> dict:
    """Per item, most flagged first: the counts of item_counts() and the free text."""
    base = _feedback(questionnaire, group)
    per_item = {
        pk: {**counts, "texts": []}
        for pk, counts in item_counts(questionnaire, group=group).items()
    }
    texts = list(
        base.filter(
            Q(own_words__gt="")
            | Q(unclear_words__gt="")
            | Q(suggested_rewording__gt="")
            | Q(comment__gt="")
        )
        .values(
            "item_id",
            "unclear_words",
            "own_words",
            "suggested_rewording",
            "comment",
            "review__member_id",
            "review__member__role",
            "review__assisted_by_id",
        )
        .order_by("pk")
    )
    quoting = quote_consenting_members({r["review__member_id"] for r in texts})
    for r in texts:
        entry = per_item.get(r["item_id"])
        if entry is None:
            continue
        for kind, kind_label in TEXT_KINDS:
            if r[kind]:
                entry["texts"].append(
                    {
                        "kind": kind,
                        "kind_label": kind_label,
                        "text": r[kind],
                        "group": group_of_role(r["review__member__role"]),
                        "quotable": r["review__member_id"] in quoting,
                        "assisted": bool(r["review__assisted_by_id"]),
                    }
                )
    cvi = content_validity(per_item)
    result = list(per_item.values())
    result.sort(key=lambda e: (-e["flags"], e["item"].sort_order or 0))
    reviews = QuestionnaireReview.objects.filter(questionnaire=questionnaire)
    if group:
        reviews = reviews.filter(member__role__in=roles_of_group(group))
    return {
        "questionnaire": questionnaire,
        "items": result,
        "content_validity": cvi,
        "group": group,
        "started": reviews.count(),
        "submitted": reviews.filter(submitted_at__isnull=False).count(),
    }


def _pct(count: int, n: int) -> float:
    return 100.0 * count / n if n else 0.0
