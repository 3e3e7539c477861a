"""Every write with a rule in the involvement log: records for responses, payment choices,
expenses and receipts, marking paid."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.consultations.models import Consultation
from engagement.involvement.models import (
    ESTIMATED_MINUTES,
    FinanceRecord,
    InvolvementRecord,
    receipt_storage,
)
from engagement.involvement.receipts import validate_receipt
from engagement.involvement.selectors import payment_offered_for
from engagement.membership.models import Member


def record_response(
    *, member: Member, consultation: Consultation, activity_type: str
) -> InvolvementRecord:
    """Every response a member gives creates one involvement record per activity (idempotent),
    with the time estimated for that activity and the payment the rate card offers."""
    today = timezone.localdate()
    minutes = ESTIMATED_MINUTES.get(activity_type, 10)
    record, _created = InvolvementRecord.objects.get_or_create(
        member=member,
        consultation=consultation,
        activity_type=activity_type,
        source=InvolvementRecord.Source.RESPONSE,
        defaults={
            "date": today,
            "contact_minutes": minutes,
            "mode": InvolvementRecord.Mode.ONLINE,
            "description": consultation.title[:200],
            "payment_offered": payment_offered_for(
                activity_type=activity_type, on_date=today, minutes=minutes
            ),
        },
    )
    return record


def record_activity(
    *,
    member: Member,
    activity_type: str,
    description: str,
    date,
    contact_minutes: int,
    mode: str = InvolvementRecord.Mode.IN_PERSON,
) -> InvolvementRecord:
    """An activity a PPIE manager saw a member do outside a consultation (they came to an
    event), with the payment the rate card in force on its date offers for that time. The
    caller makes sure it is recorded once (events: once per registration)."""
    record = InvolvementRecord(
        member=member,
        consultation=None,
        activity_type=activity_type,
        description=description[:200],
        date=date,
        contact_minutes=contact_minutes,
        mode=mode,
        source=InvolvementRecord.Source.MANAGER,
        payment_offered=payment_offered_for(
            activity_type=activity_type, on_date=date, minutes=contact_minutes
        ),
    )
    record.full_clean(exclude=["receipt"])
    record.save()
    refresh_payment_status(record)
    return record


def refresh_payment_status(record: InvolvementRecord) -> None:
    """After a saved change of amounts: to pay or nothing due, from what the database computed
    is due (a paid record stays paid). Never chosen by hand, so it cannot disagree with them."""
    record.refresh_from_db(fields=["amount_due", "status"])
    if record.status == InvolvementRecord.Status.PAID:
        return
    status = (
        InvolvementRecord.Status.TO_PAY
        if record.amount_due > 0
        else InvolvementRecord.Status.NOTHING_DUE
    )
    if status != record.status:
        record.status = status
        record.save(update_fields=["status"])


def _own_unpaid_record(member: Member, record: InvolvementRecord) -> InvolvementRecord:
    """The member's own record, locked for the change; refused once it has been paid."""
    record = InvolvementRecord.objects.select_for_update().get(pk=record.pk)
    if record.member_id != member.pk:
        raise PermissionDenied
    if record.status == InvolvementRecord.Status.PAID:
        raise ValidationError(_("This has already been paid, so it cannot be changed."))
    return record


@transaction.atomic
def choose_payment(
    *, member: Member, record: InvolvementRecord, choice: str, reduced_amount: Decimal | None = None
) -> InvolvementRecord:
    """A member accepts, reduces or declines the payment for their own record."""
    record = _own_unpaid_record(member, record)
    if not record.payment_offered:
        raise ValidationError(
            _("There is no payment for this activity, so there is nothing to choose.")
        )
    if choice not in {c for c in InvolvementRecord.PaymentChoice.values if c}:
        raise ValidationError({"choice": _("Choose one of the options shown")})
    if choice == InvolvementRecord.PaymentChoice.REDUCED:
        if reduced_amount is None:
            raise ValidationError({"reduced_amount": _("Enter the amount you would like")})
        if reduced_amount < 0:
            raise ValidationError({"reduced_amount": _("The amount cannot be negative")})
        if reduced_amount > record.payment_offered:
            raise ValidationError(
                {
                    "reduced_amount": _("This is more than the £%(a)s offered")
                    % {"a": record.payment_offered}
                }
            )
    record.payment_choice = choice
    record.reduced_amount = (
        reduced_amount if choice == InvolvementRecord.PaymentChoice.REDUCED else None
    )
    record.save()
    refresh_payment_status(record)
    return record


@transaction.atomic
def claim_expenses(
    *, member: Member, record: InvolvementRecord, amount: Decimal, receipt=None
) -> InvolvementRecord:
    record = _own_unpaid_record(member, record)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative")})
    if receipt is not None:
        validate_receipt(receipt)
        record.receipt = receipt
    record.expenses_claimed = amount
    record.save()
    refresh_payment_status(record)
    return record


@transaction.atomic
def mark_paid(*, record: InvolvementRecord) -> InvolvementRecord:
    record = InvolvementRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != InvolvementRecord.Status.TO_PAY:
        raise ValidationError(_("Only records waiting for payment can be marked as paid."))
    record.status = InvolvementRecord.Status.PAID
    record.paid_at = timezone.now()
    record.save(update_fields=["status", "paid_at"])
    return record


def _tax_year_end(day) -> datetime.date:
    """5 April ending the UK tax year the day falls in."""
    end = datetime.date(day.year, 4, 5)
    return end if day <= end else datetime.date(day.year + 1, 4, 5)


def retain_until(day, years: int | None = None) -> datetime.date:
    years = settings.FINANCE_RETENTION_YEARS if years is None else years
    end = _tax_year_end(day)
    return end.replace(year=end.year + years)


@transaction.atomic
def keep_for_finance(*, member: Member, name: str, email: str) -> list[FinanceRecord]:
    """The member is leaving: every record with money paid or owed (or a receipt) is copied to
    a FinanceRecord that names them and links to nothing else, with its receipt moved there;
    the involvement record itself keeps only anonymous amounts and no receipt."""
    kept = []
    records = InvolvementRecord.objects.filter(member=member).filter(
        Q(amount_due__gt=0) | Q(status=InvolvementRecord.Status.PAID) | ~Q(receipt="")
    )
    for record in records:
        day = record.paid_at.date() if record.paid_at else record.date
        kept.append(
            FinanceRecord.objects.create(
                payee_name=name,
                payee_email=email,
                activity_type=record.activity_type,
                date=record.date,
                payment_offered=record.payment_offered,
                payment_choice=record.payment_choice,
                expenses_claimed=record.expenses_claimed,
                amount_due=record.amount_due,
                status=record.status,
                paid_at=record.paid_at,
                receipt=record.receipt.name,
                retain_until=retain_until(day),
            )
        )
    InvolvementRecord.objects.filter(member=member).exclude(receipt="").update(receipt="")
    return kept


@transaction.atomic
def erase_expired_finance_records(*, today=None) -> int:
    """Finance records past their retention date go, with their receipts."""
    today = today or timezone.localdate()
    expired = list(FinanceRecord.objects.filter(retain_until__lt=today))
    storage = receipt_storage()
    for record in expired:
        if record.receipt:
            transaction.on_commit(lambda name=record.receipt.name: storage.delete(name))
    FinanceRecord.objects.filter(pk__in=[r.pk for r in expired]).delete()
    return len(expired)
