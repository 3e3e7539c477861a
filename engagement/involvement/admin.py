"""The involvement log and rate card in the Wagtail admin."""

from django.core.validators import MinValueValidator
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from engagement.common.exports import SafeExportIndexView
from engagement.involvement.models import InvolvementRecord, RateCard

from . import admin_views, services


class RateCardViewSet(ModelViewSet):
    name = "rate_card"
    model = RateCard
    icon = "pick"
    menu_label = _("Rate card")
    list_display = ["activity_type", "basis", "amount", "valid_from", "valid_until"]
    list_filter = ["activity_type"]
    form_fields = ["activity_type", "basis", "amount", "valid_from", "valid_until", "note"]


class InvolvementIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "consultation")


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
        "payment_offered",
        "payment_choice",
        Column("due", label=_("Due (£)"), accessor="amount_due"),
        Column("status", label=_("Status"), accessor=payment_actions),
    ]
    list_filter = ["status", "activity_type", "payment_choice", "consultation"]
    ordering = ["-date"]
    list_export = [
        "pk",
        "member",
        "activity_type",
        "description",
        "date",
        "minutes",
        "payment_offered",
        "payment_choice",
        "reduced_amount",
        "expenses_claimed",
        "amount_due",
        "status",
        "paid_at",
    ]
    export_headings = {"pk": "Record", "member": "Member", "amount_due": "Amount due (£)"}
    export_filename = "involvement-payments"
    form_fields = [
        "member",
        "consultation",
        "activity_type",
        "description",
        "date",
        "minutes",
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
            # settings.STORAGES["receipts"]["OPTIONS"]["base_url"] points here
            path(
                "receipts/<path:path>", self.construct_view(admin_views.ReceiptView), name="receipt"
            ),
        ]
