"""Reads for the involvement log: the rate in force and what it offers, and each member's
totals per tax year (what people on benefits need to report)."""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from engagement.involvement.models import InvolvementRecord, RateCard
from engagement.membership.hooks import Entry, Field, Section, iso

# A half day and a day on the rate card, as its labels say.
HALF_DAY_MINUTES = 4 * 60
DAY_MINUTES = 8 * 60


def rate_for(*, activity_type: str, on_date) -> RateCard | None:
    return (
        RateCard.objects.filter(activity_type=activity_type, valid_from__lte=on_date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on_date))
        .order_by("-valid_from")
        .first()
    )


def price(rate: RateCard | None, minutes: int) -> Decimal:
    """What `rate` pays for `minutes` of preparation and contact time: per hour to the penny,
    per half day or day for each one started, or the fixed amount."""
    if rate is None:
        return Decimal("0.00")
    if rate.basis == RateCard.Basis.FIXED:
        return rate.amount
    if rate.basis == RateCard.Basis.HALF_DAY:
        return rate.amount * max(1, math.ceil(minutes / HALF_DAY_MINUTES))
    if rate.basis == RateCard.Basis.DAY:
        return rate.amount * max(1, math.ceil(minutes / DAY_MINUTES))
    return (rate.amount * Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def payment_offered_for(*, activity_type: str, on_date, minutes: int) -> Decimal:
    """What the rate card in force on that date offers for this activity and time."""
    return price(rate_for(activity_type=activity_type, on_date=on_date), minutes)


def tax_year_of(day: datetime.date) -> int:
    """The UK tax year a day falls in, by the year it starts (6 April to 5 April)."""
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


def tax_year_label(start_year: int) -> str:
    return f"6 April {start_year} to 5 April {start_year + 1}"


def yearly_totals(*, member=None) -> list[dict]:
    """Per member (or for one member) and UK tax year of the activity: the activities, the time,
    what was paid, what is still to pay (fees and expenses), newest year first. Counted by the
    database; a tax year is worked out per record from its date."""
    money = DecimalField(max_digits=12, decimal_places=2)
    records = InvolvementRecord.objects.all()
    if member is not None:
        records = records.filter(member=member)
    rows = (
        records.values("member_id", "date")
        .annotate(
            n=Count("pk"),
            minutes=Sum("minutes"),
            paid=Coalesce(
                Sum("amount_due", filter=Q(status="paid"), output_field=money), Decimal(0)
            ),
            to_pay=Coalesce(
                Sum("amount_due", filter=Q(status="to_pay"), output_field=money), Decimal(0)
            ),
            expenses=Coalesce(Sum("expenses_claimed", output_field=money), Decimal(0)),
        )
        .order_by()
    )
    totals: dict[tuple[int, int], dict] = {}
    for row in rows:
        key = (row["member_id"], tax_year_of(row["date"]))
        entry = totals.setdefault(
            key,
            {
                "member_id": key[0],
                "tax_year": key[1],
                "label": tax_year_label(key[1]),
                "activities": 0,
                "minutes": 0,
                "paid": Decimal("0.00"),
                "to_pay": Decimal("0.00"),
                "expenses": Decimal("0.00"),
            },
        )
        entry["activities"] += row["n"]
        entry["minutes"] += row["minutes"] or 0
        for name in ("paid", "to_pay", "expenses"):
            entry[name] += Decimal(row[name]).quantize(Decimal("0.01"))
    return sorted(totals.values(), key=lambda e: (-e["tax_year"], e["member_id"]))


def member_data(member) -> list[Section]:
    """The member's involvement and payment records, with a link to each receipt they
    uploaded (1 query)."""
    entries = []
    records = InvolvementRecord.objects.filter(member=member).select_related("consultation")
    for r in records.order_by("date", "pk"):
        entry = Entry(
            f"{r.get_activity_type_display()}, {r.date:%d %B %Y}",
            [
                Field("activity", _("Activity"), str(r.get_activity_type_display())),
                Field("description", _("Description"), r.description),
                Field(
                    "consultation",
                    _("Consultation"),
                    r.consultation.title if r.consultation_id else None,
                ),
                Field("date", _("Date"), r.date.isoformat()),
                Field("minutes", _("Time (minutes)"), r.preparation_minutes + r.contact_minutes),
                Field("mode", _("How it was done"), str(r.get_mode_display())),
                Field("payment_offered", _("Payment offered (£)"), str(r.payment_offered)),
                Field("payment_choice", _("Your choice"), str(r.get_payment_choice_display())),
                Field(
                    "reduced_amount",
                    _("Reduced amount (£)"),
                    str(r.reduced_amount) if r.reduced_amount is not None else None,
                ),
                Field("expenses_claimed", _("Expenses claimed (£)"), str(r.expenses_claimed)),
                Field("status", _("Payment"), str(r.get_status_display())),
                Field("paid_at", _("Paid"), iso(r.paid_at)),
            ],
        )
        if r.receipt:
            entry.download_url = reverse("engagement:my_receipt", kwargs={"pk": r.pk})
            entry.download_label = _("Download your receipt")
        entries.append(entry)
    return [Section("involvement", _("What you did with us, and payments"), 50, entries)]
