"""Reads for closing the loop: outcomes overdue, the manager's dashboard."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Sum
from django.utils import timezone

from engagement.consultations.models import Consultation, Invitation
from engagement.consultations.selectors import (
    GROUP_LABELS,
    GROUP_ORDER,
    participants_by_consultation,
)
from engagement.involvement.models import InvolvementRecord
from engagement.membership.models import Member, group_of_role

OUTCOME_DUE_DAYS = 30


def overdue_outcomes(now=None) -> list[Consultation]:
    """Consultations closed more than 30 days ago with no live outcome page."""
    now = now or timezone.now()
    return list(
        Consultation.objects.released()
        .filter(closes_at__lt=now - timezone.timedelta(days=OUTCOME_DUE_DAYS))
        .exclude(outcome_pages__live=True)
        .order_by("closes_at")
    )


def dashboard() -> dict:
    now = timezone.now()
    open_consultations = list(Consultation.objects.open_now(now).order_by("closes_at"))
    ids = [c.pk for c in open_consultations]
    # Who responded, as on the results page (response_rate): active members who voted,
    # answered a poll or sent a review.
    active_ids = set(
        Member.objects.filter(status=Member.Status.ACTIVE).values_list("pk", flat=True)
    )
    active = len(active_ids)
    responders = {
        pk: len(members & active_ids) for pk, members in participants_by_consultation(ids).items()
    }
    invited = dict(
        Invitation.objects.filter(consultation_id__in=ids)
        .values("consultation_id")
        .annotate(n=Count("pk"))
        .values_list("consultation_id", "n")
    )
    responded = dict(
        Invitation.objects.filter(consultation_id__in=ids, responded_at__isnull=False)
        .values("consultation_id")
        .annotate(n=Count("pk"))
        .values_list("consultation_id", "n")
    )
    rows = []
    for c in open_consultations:
        if c.audience == Consultation.Audience.INVITED:
            base, done = invited.get(c.pk, 0), responded.get(c.pk, 0)
        else:
            base, done = active, responders[c.pk]
        rows.append(
            {
                "consultation": c,
                "base": base,
                "responded": done,
                "rate": 100.0 * done / base if base else 0.0,
                "days_left": max((c.closes_at - now).days, 0),
            }
        )
    by_status_role = (
        Member.objects.values("status", "role").annotate(n=Count("pk")).order_by("status", "role")
    )
    groups = {g: dict.fromkeys(Member.Status.values, 0) for g in GROUP_ORDER}
    for row in by_status_role:
        groups[group_of_role(row["role"])][row["status"]] += row["n"]
    to_pay = InvolvementRecord.objects.filter(status=InvolvementRecord.Status.TO_PAY)
    to_pay_totals = to_pay.aggregate(
        n=Count("pk"),
        total=Sum("amount_due", output_field=DecimalField(max_digits=12, decimal_places=2)),
    )
    by_status = dict(
        Consultation.objects.with_status(now)
        .order_by()
        .values("status_code")
        .annotate(n=Count("pk"))
        .values_list("status_code", "n")
    )
    return {
        "by_status": [
            {"code": code, "label": label, "count": by_status.get(code, 0)}
            for code, label in Consultation.Status.choices
        ],
        "open": rows,
        "members_by_group": [
            {"label": GROUP_LABELS[g], "counts": [groups[g][s] for s in Member.Status.values]}
            for g in GROUP_ORDER
        ],
        "statuses": [label for _value, label in Member.Status.choices],
        "overdue": overdue_outcomes(now),
        "to_pay_count": to_pay_totals["n"],
        "to_pay": list(to_pay.select_related("member").order_by("date", "pk")[:20]),
        "to_pay_total": (to_pay_totals["total"] or Decimal(0)).quantize(Decimal("0.01")),
    }
