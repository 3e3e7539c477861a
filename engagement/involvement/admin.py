"""The involvement log and rate card in the Wagtail admin."""

import django_filters
from django.core.validators import MinValueValidator
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from engagement.common.exports import SafeExportIndexView
from engagement.involvement.models import FinanceRecord, InvolvementRecord, RateCard
from engagement.involvement.selectors import payment_offered_for

from . import admin_views, services


class RateCardViewSet(ModelViewSet):
    name = "rate_card"
    model = RateCard
    icon = "pick"
    menu_label = _("Rate card")
    list_display = ["activity_type", "basis", "amount", "valid_from", "valid_until", "note"]
    list_filter = ["activity_type"]
    form_fields = ["activity_type", "basis", "amount", "valid_from", "valid_until", "note"]


class InvolvementFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=_("Date of the activity"), widget=DateRangePickerWidget
    )
    paid_at = django_filters.DateFromToRangeFilter(
        label=_("Date paid"), widget=DateRangePickerWidget
    )

    class Meta:
        model = InvolvementRecord
        fields = ["status", "date", "paid_at", "activity_type", "mode", "payment_choice", "member"]


class InvolvementIndexView(SafeExportIndexView):
    """The payments log: filter by dates and status, download it with its totals."""

    export_title = _("Involvement and payments log")
    export_sheet = _("Payments")
    export_total_fields = [
        "preparation_minutes",
        "contact_minutes",
        "minutes",
        "payment_offered",
        "expenses_claimed",
        "amount_due",
    ]
    export_notes = {
        "minutes": _("Preparation plus contact time: both count for payment."),
        "payment_offered": _(
            "What the rate card in force on the activity's date offers for that time (hourly, "
            "each half day or day started, or a fixed amount), unless a manager entered it."
        ),
        "amount_due": _(
            "The fee the member chose (full, or a voucher: the amount offered; reduced: their "
            "amount, never more than offered; declined or not chosen yet: nothing) plus the "
            "receipted expenses, which are always paid back and are not income."
        ),
        "status": _("To pay while something is due and not paid; Paid once a manager marks it."),
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "consultation")

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Yearly totals per member"),
                url=reverse("involvement:yearly"),
                icon_name="table",
            ),
        ]


def payment_actions(record) -> str:
    if record.status != InvolvementRecord.Status.TO_PAY:
        return record.get_status_display()
    return format_html(
        '{} · <a href="{}">{}</a>',
        record.get_status_display(),
        reverse("involvement:mark_paid", args=[record.pk]),
        _("Mark paid"),
    )


class InvolvementViewSet(ModelViewSet):
    name = "involvement"
    model = InvolvementRecord
    icon = "time"
    menu_label = _("Involvement and payments")
    index_view_class = InvolvementIndexView
    copy_view_enabled = False
    list_display = [
        "member",
        "activity_type",
        "date",
        "minutes",
        "mode",
        "payment_offered",
        "payment_choice",
        Column("due", label=_("Due (£)"), accessor="amount_due"),
        Column("status", label=_("Status"), accessor=payment_actions),
    ]
    filterset_class = InvolvementFilterSet
    ordering = ["-date"]
    list_export = [
        "pk",
        "member",
        "activity_type",
        "description",
        "date",
        "mode",
        "preparation_minutes",
        "contact_minutes",
        "minutes",
        "payment_offered",
        "payment_choice",
        "reduced_amount",
        "expenses_claimed",
        "amount_due",
        "status",
        "paid_at",
    ]
    export_headings = {
        "pk": _("Record"),
        "member": _("Member"),
        "minutes": _("Minutes in all"),
        "amount_due": _("Amount due (£)"),
    }
    export_filename = "involvement-payments"
    form_fields = [
        "member",
        "consultation",
        "activity_type",
        "description",
        "date",
        "mode",
        "preparation_minutes",
        "contact_minutes",
        "payment_offered",
        "expenses_claimed",
        "receipt",
    ]  # not "status": derived from the amounts, and "paid" only through "Mark paid"

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class InvolvementForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # The database refuses negative amounts, but its check also covers the reduced
                # amount, which is not on this form, so the model validation skips it: without
                # this, a negative amount is a server error instead of a message by the field.
                for name in ("payment_offered", "expenses_claimed"):
                    if name in self.fields:
                        self.fields[name].validators.append(
                            MinValueValidator(0, message=_("The amount cannot be negative"))
                        )
                        self.fields[name].widget.attrs.setdefault("min", "0")
                if "payment_offered" in self.fields and not self.instance.pk:
                    offered = self.fields["payment_offered"]
                    offered.required = False
                    offered.initial = None
                    offered.help_text = _("Leave empty to use the rate card for this activity.")

            def clean(self):
                cleaned = super().clean()
                if "payment_offered" in self.fields and cleaned.get("payment_offered") is None:
                    cleaned["payment_offered"] = payment_offered_for(
                        activity_type=cleaned.get("activity_type"),
                        on_date=cleaned.get("date") or timezone.localdate(),
                        minutes=(cleaned.get("preparation_minutes") or 0)
                        + (cleaned.get("contact_minutes") or 0),
                    )
                    self.instance.payment_offered = cleaned["payment_offered"]
                return cleaned

            def save(self, commit=True):
                self.instance.source = self.instance.source or InvolvementRecord.Source.MANAGER
                record = super().save(commit)
                if commit:
                    services.refresh_payment_status(record)
                return record

        return InvolvementForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("paid/<int:pk>/", self.construct_view(admin_views.MarkPaidView), name="mark_paid"),
            path("yearly/", admin_views.YearlyTotalsView.as_view(), name="yearly"),
            # settings.STORAGES["receipts"]["OPTIONS"]["base_url"] points here
            path(
                "receipts/<path:path>", self.construct_view(admin_views.ReceiptView), name="receipt"
            ),
        ]


class FinanceRecordViewSet(ModelViewSet):
    """Payment records and receipts of members who left, kept apart for finance until their
    retention date (settings.FINANCE_RETENTION_YEARS), then erased by `manage.py
    apply_retention`. Managers may only look: nobody adds or changes them here."""

    name = "finance_records"
    model = FinanceRecord
    icon = "lock"
    menu_label = _("Finance records of former members")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "payee_name",
        "payee_email",
        "activity_type",
        "date",
        Column("amount_due", label=_("Amount due (£)"), accessor="amount_due"),
        "status",
        "retain_until",
    ]
    list_filter = ["status"]
    search_fields = ["payee_name", "payee_email"]
    form_fields = ["payee_name"]  # never edited (managers hold only the view permission)
