"""The involvement log: what members did, the rate card that prices it, payments and receipts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.consultations.models import Consultation

# validate_receipt stays importable from here: migration 0002 names it by this path.
from engagement.involvement.receipts import receipt_path, validate_receipt  # noqa: F401
from engagement.membership.models import Member


class ActivityType(models.TextChoices):
    VOTING = "voting", _("Voting on features")
    POLL = "poll", _("Answering a poll")
    QUESTIONNAIRE_REVIEW = "questionnaire_review", _("Reviewing a questionnaire")
    PROTOTYPE_REVIEW = "prototype_review", _("Reviewing an app prototype")
    MEETING = "meeting", _("Meeting or workshop")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


# Estimated time for responses given on the website, when nobody enters it by hand.
ESTIMATED_MINUTES = {
    ActivityType.VOTING: 10,
    ActivityType.POLL: 2,
    ActivityType.QUESTIONNAIRE_REVIEW: 30,
    ActivityType.PROTOTYPE_REVIEW: 20,
}


class RateCard(models.Model):
    """What the team offers per activity, valid for a period. National rates change (NIHR raised
    them in December 2025), so they live here, editable, never in code."""

    class Basis(models.TextChoices):
        HOURLY = "hourly", _("Per hour")
        HALF_DAY = "half_day", _("Per half day (up to 4 hours)")
        DAY = "day", _("Per day (up to 8 hours)")
        FIXED = "fixed", _("Fixed amount")

    activity_type = models.CharField(_("activity"), max_length=30, choices=ActivityType.choices)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.HOURLY)
    amount = models.DecimalField(_("amount (£)"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["activity_type", "-valid_from"]
        verbose_name = _("rate")
        verbose_name_plural = _("rate card")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="rate_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="rate_valid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_activity_type_display()}: £{self.amount} {self.get_basis_display().lower()}"
        )

    def clean(self):
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("This must be after “valid from”.")})
        overlapping = RateCard.objects.filter(activity_type=self.activity_type).exclude(pk=self.pk)
        for other in overlapping:
            other_end = other.valid_until or timezone.datetime.max.date()
            own_end = self.valid_until or timezone.datetime.max.date()
            if self.valid_from and self.valid_from <= other_end and other.valid_from <= own_end:
                raise ValidationError(
                    _("Another rate for this activity covers some of these dates (%(r)s).")
                    % {"r": other}
                )


def receipt_storage():
    """Private storage (settings.STORAGES["receipts"]): only managers can fetch a receipt."""
    return storages["receipts"]


class InvolvementRecord(models.Model):
    class PaymentChoice(models.TextChoices):
        NOT_CHOSEN = "", _("Not chosen yet")
        FULL = "full", _("Full payment")
        REDUCED = "reduced", _("A reduced amount")
        DECLINED = "declined", _("No payment, thank you")
        VOUCHER = "voucher", _("A voucher instead")

    class Status(models.TextChoices):
        NOTHING_DUE = "nothing_due", _("Nothing to pay")
        TO_PAY = "to_pay", _("To pay")
        PAID = "paid", _("Paid")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        PAPER = "paper", _("On paper or by post")

    class Source(models.TextChoices):
        RESPONSE = "response", _("A response on the website")
        MANAGER = "manager", _("Entered by a PPIE manager")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="involvement"
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="involvement",
    )
    activity_type = models.CharField(_("activity"), max_length=30, choices=ActivityType.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    date = models.DateField(_("date"), default=timezone.localdate)
    preparation_minutes = models.PositiveIntegerField(
        _("preparation (minutes)"),
        default=0,
        help_text=_("Reading, travel planning and other time before the activity."),
    )
    contact_minutes = models.PositiveIntegerField(
        _("contact time (minutes)"),
        default=0,
        help_text=_("The activity itself: a meeting, a review."),
    )
    # Both count for payment (NIHR payment guidance): kept as one figure by the database.
    minutes = models.GeneratedField(
        expression=models.F("preparation_minutes") + models.F("contact_minutes"),
        output_field=models.PositiveIntegerField(_("minutes in all")),
        db_persist=True,
    )
    mode = models.CharField(
        _("how it was done"), max_length=10, choices=Mode.choices, default=Mode.ONLINE
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    payment_offered = models.DecimalField(
        _("payment offered (£)"), max_digits=8, decimal_places=2, default=0
    )
    payment_choice = models.CharField(
        _("member's choice"), max_length=10, choices=PaymentChoice.choices, blank=True, default=""
    )
    reduced_amount = models.DecimalField(
        _("reduced amount (£)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    expenses_claimed = models.DecimalField(
        _("expenses claimed (£)"), max_digits=8, decimal_places=2, default=0
    )
    receipt = models.FileField(
        _("receipt"),
        upload_to=receipt_path,
        storage=receipt_storage,
        blank=True,
        validators=[validate_receipt],
    )
    # What is owed, kept by the database from the amounts and the member's choice (so totals
    # are a Sum()): the fee offered, or the reduced amount (never more than offered), or nothing
    # when declined or not chosen yet; plus receipted expenses, always.
    amount_due = models.GeneratedField(
        expression=models.Case(
            models.When(
                payment_choice__in=[PaymentChoice.FULL, PaymentChoice.VOUCHER],
                then=models.F("payment_offered"),
            ),
            models.When(
                payment_choice=PaymentChoice.REDUCED,
                then=Least(
                    Coalesce("reduced_amount", models.Value(Decimal("0.00"))),
                    models.F("payment_offered"),
                ),
            ),
            default=models.Value(Decimal("0.00")),
            output_field=models.DecimalField(max_digits=8, decimal_places=2),
        )
        + models.F("expenses_claimed"),
        output_field=models.DecimalField(_("amount due (£)"), max_digits=9, decimal_places=2),
        db_persist=True,
    )
    status = models.CharField(
        _("payment status"), max_length=12, choices=Status.choices, default=Status.NOTHING_DUE
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("involvement record")
        verbose_name_plural = _("involvement log")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "consultation", "activity_type"],
                condition=models.Q(source="response"),
                name="involvement_one_auto_record_per_activity",
            ),
            models.CheckConstraint(
                condition=models.Q(payment_offered__gte=0)
                & models.Q(expenses_claimed__gte=0)
                & (models.Q(reduced_amount__isnull=True) | models.Q(reduced_amount__gte=0)),
                name="involvement_amounts_not_negative",
            ),
            # Paid, and when, go together: "paid" only ever comes from marking it paid.
            models.CheckConstraint(
                condition=(models.Q(status="paid") & models.Q(paid_at__isnull=False))
                | (~models.Q(status="paid") & models.Q(paid_at__isnull=True)),
                name="involvement_paid_has_paid_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_activity_type_display()} ({self.date})"

    def clean(self):
        super().clean()
        if self.pk:
            before = InvolvementRecord.objects.filter(pk=self.pk).values_list("status", flat=True)
            if list(before) == [self.Status.PAID]:
                raise ValidationError(_("This record has been paid and can no longer be changed."))


class FinanceRecord(models.Model):
    """A payment record and its receipt that finance must keep by law after the member left
    (HMRC: six years after the tax year). Kept apart: it names the payee, so nothing links it
    to the anonymous member row or their answers; only PPIE managers see it; `manage.py
    apply_retention` erases it after `retain_until`."""

    payee_name = models.CharField(_("paid to"), max_length=150, blank=True)
    payee_email = models.EmailField(_("email address"), blank=True)
    activity_type = models.CharField(_("activity"), max_length=30, choices=ActivityType.choices)
    date = models.DateField(_("date of the activity"))
    payment_offered = models.DecimalField(_("payment offered (£)"), max_digits=8, decimal_places=2)
    payment_choice = models.CharField(
        _("their choice"),
        max_length=10,
        choices=InvolvementRecord.PaymentChoice.choices,
        blank=True,
    )
    expenses_claimed = models.DecimalField(
        _("expenses claimed (£)"), max_digits=8, decimal_places=2
    )
    amount_due = models.DecimalField(_("amount due (£)"), max_digits=9, decimal_places=2)
    status = models.CharField(
        _("payment status"), max_length=12, choices=InvolvementRecord.Status.choices
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    receipt = models.FileField(
        _("receipt"), upload_to="finance/%Y/", storage=receipt_storage, blank=True
    )
    kept_from = models.DateTimeField(_("member left"), default=timezone.now)
    retain_until = models.DateField(_("kept until"), db_index=True)

    class Meta:
        ordering = ["retain_until", "pk"]
        verbose_name = _("finance record of a former member")
        verbose_name_plural = _("finance records of former members")

    def __str__(self) -> str:
        payee = self.payee_name or self.payee_email
        return f"{payee} – {self.get_activity_type_display()} ({self.date})"
