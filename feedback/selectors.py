"""Aggregations for the managers' analysis: per item answer counts, flags, free text; SUS
with a 95 % confidence interval; per-screen ease. A fixed number of queries whatever the size."""

import math
import statistics
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from engagement.membership.models import (
    STAKEHOLDER_GROUP_OF_ROLE,
    ConsentPurpose,
    ConsentRecord,
    group_of_role,
)

from .models import (
    SUS_BENCHMARK,
    ItemFeedback,
    PrototypeReview,
    Questionnaire,
    QuestionnaireReview,
    Relevance,
    ScreenComment,
)

# Two-sided 95 % critical values of Student's t for 1–30 degrees of freedom.
T_975 = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
]  # fmt: skip


def t_critical(df: int) -> float:
    """t(0.975, df): the table up to 30, then a Cornish–Fisher expansion (error < 0.001)."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= 30:
        return T_975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean_ci(values: list[float]) -> dict:
    n = len(values)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "low": None, "high": None}
    mean = statistics.fmean(values)
    if n == 1:
        return {"n": 1, "mean": mean, "sd": None, "low": None, "high": None}
    sd = statistics.stdev(values)
    half = t_critical(n - 1) * sd / math.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "low": mean - half, "high": mean + half}


def quote_consenting_members(member_ids) -> set[int]:
    return set(
        ConsentRecord.objects.filter(
            member_id__in=member_ids,
            text__purpose=ConsentPurpose.QUOTE,
            withdrawn_at__isnull=True,
            member__status="active",
        ).values_list("member_id", flat=True)
    )


def _feedback(questionnaire: Questionnaire, group: str | None):
    base = ItemFeedback.objects.filter(review__questionnaire=questionnaire).order_by()
    if group:
        base = base.filter(review__member__role__in=_roles_of(group))
    return base


def _roles_of(group: str) -> list[str]:
    return [role for role, g in STAKEHOLDER_GROUP_OF_ROLE.items() if g == group]


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
        result[item.pk] = {
            "item": item,
            "n": n,
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
    result = list(per_item.values())
    result.sort(key=lambda e: (-e["flags"], e["item"].sort_order or 0))
    reviews = QuestionnaireReview.objects.filter(questionnaire=questionnaire)
    if group:
        reviews = reviews.filter(member__role__in=_roles_of(group))
    return {
        "questionnaire": questionnaire,
        "items": result,
        "group": group,
        "started": reviews.count(),
        "submitted": reviews.filter(submitted_at__isnull=False).count(),
    }


def _pct(count: int, n: int) -> float:
    return 100.0 * count / n if n else 0.0


def sus_summary(prototype, *, group: str | None = None) -> dict:
    reviews = PrototypeReview.objects.filter(prototype=prototype, sus_score__isnull=False)
    if group:
        reviews = reviews.filter(member__role__in=_roles_of(group))
    scores = [float(score) for score in reviews.values_list("sus_score", flat=True)]
    summary = mean_ci(scores)
    if summary["low"] is not None:  # SUS lives on 0–100; so does its interval
        summary["low"], summary["high"] = max(summary["low"], 0.0), min(summary["high"], 100.0)
    bins = [0] * 10
    for score in scores:
        bins[min(int(score // 10), 9)] += 1
    summary.update(
        {
            "prototype": prototype,
            "benchmark": SUS_BENCHMARK,
            "bins": [
                (f"{i * 10}–{i * 10 + 10 if i < 9 else 100}", count) for i, count in enumerate(bins)
            ],
            "above_benchmark": (
                None
                if summary["low"] is None
                else "above"
                if summary["low"] > SUS_BENCHMARK
                else "below"
                if summary["high"] < SUS_BENCHMARK
                else "unclear"
            ),
        }
    )
    return summary


def screen_summary(prototype, *, group: str | None = None) -> list[dict]:
    screens = list(prototype.screens.all())
    rows = ScreenComment.objects.filter(screen__page=prototype)
    if group:
        rows = rows.filter(review__member__role__in=_roles_of(group))
    rows = list(rows.values("screen_id", "ease", "comment", "review__member_id"))
    quoting = quote_consenting_members({r["review__member_id"] for r in rows})
    ease = defaultdict(list)
    comments = defaultdict(list)
    for r in rows:
        if r["ease"]:
            ease[r["screen_id"]].append(r["ease"])
        if r["comment"]:
            comments[r["screen_id"]].append(
                {"text": r["comment"], "quotable": r["review__member_id"] in quoting}
            )
    return [
        {
            "screen": s,
            "n": len(ease[s.pk]),
            "mean_ease": statistics.fmean(ease[s.pk]) if ease[s.pk] else None,
            "comments": comments[s.pk],
        }
        for s in screens
    ]
