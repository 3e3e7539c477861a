"""Aggregations for prototype reviews: SUS with a 95 % confidence interval, per-screen ease."""

import math
import statistics
from collections import defaultdict

from engagement.membership.selectors import quote_consenting_members, roles_of_group
from feedback.prototypes.models import (
    SUS_ADJECTIVES,
    SUS_BENCHMARK,
    PrototypeReview,
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


def sus_adjective(score: float | None) -> dict | None:
    """The word of Bangor, Kortum and Miller's (2009) adjective scale whose mean SUS score is
    nearest this score (a tie goes to the higher word), with that mean: {"word", "mean"}."""
    if score is None:
        return None
    mean, word = min(SUS_ADJECTIVES, key=lambda a: (abs(score - a[0]), -a[0]))
    return {"word": word, "mean": mean}


def sus_summary(prototype, *, consultation=None, group: str | None = None) -> dict:
    """The SUS of the sent reviews of one prototype version; with a consultation, only the
    reviews sent in it (each review belongs to the one consultation it was given in)."""
    reviews = PrototypeReview.objects.filter(
        prototype=prototype, submitted_at__isnull=False, sus_score__isnull=False
    )
    if consultation is not None:
        reviews = reviews.filter(consultation=consultation)
    if group:
        reviews = reviews.filter(member__role__in=roles_of_group(group))
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
            "adjective": sus_adjective(summary["mean"]),
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


def screen_summary(prototype, *, consultation=None, group: str | None = None) -> list[dict]:
    screens = list(prototype.screens.all())
    rows = ScreenComment.objects.filter(screen__page=prototype)
    if consultation is not None:
        rows = rows.filter(review__consultation=consultation)
    if group:
        rows = rows.filter(review__member__role__in=roles_of_group(group))
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
