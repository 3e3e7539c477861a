"""Manager workspace views for payments: receipts and marking a record paid."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from engagement.common.admin import ModelPageView, ObjectActionView
from engagement.common.exports import FormulaSafeExportMixin
from engagement.involvement.models import FinanceRecord, InvolvementRecord
from engagement.membership.models import Member

from . import selectors, services


class ReceiptView(ModelPageView):
    """A member's receipt, for managers only: receipts live in private storage (settings
    STORAGES["receipts"]) that no URL serves directly."""

    model = InvolvementRecord

    def get(self, request, path):
        record = InvolvementRecord.objects.filter(receipt=path).first()
        if record is None:  # a former member's receipt, kept for finance
            record = get_object_or_404(FinanceRecord, receipt=path)
        return FileResponse(record.receipt.open("rb"), as_attachment=True)


class MarkPaidView(ObjectActionView):
    """GET: what is to be paid, and a button; POST: marked as paid (services.mark_paid)."""

    model = InvolvementRecord
    object_queryset = InvolvementRecord.objects.select_related("member")
    http_method_names = ["get", "post"]
    template_name = "involvement/admin/mark_paid.html"
    page_title = gettext_lazy("Mark as paid")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.object}

    def act(self) -> str:
        services.mark_paid(record=self.object)
        return _("Marked as paid.")

    def get_success_url(self) -> str:
        return reverse(self.index_url_name)


class YearlyTotalsView(FormulaSafeExportMixin, ReportView):
    """Per member and UK tax year: activities, time, paid, still to pay, expenses. People on
    benefits may need these figures; they are also each member's own on their page."""

    permission_policy = ModelPermissionPolicy(InvolvementRecord)
    permission_required = "view"
    page_title = gettext_lazy("Yearly totals per member")
    header_icon = "table"
    index_url_name = "involvement:yearly"
    index_results_url_name = "involvement:yearly"
    paginate_by = 100
    export_title = gettext_lazy("Involvement: yearly totals per member")
    export_sheet = gettext_lazy("Yearly totals")
    list_export = ["member", "label", "activities", "minutes", "paid", "to_pay", "expenses"]
    export_headings = {
        "member": gettext_lazy("Member"),
        "label": gettext_lazy("Tax year"),
        "activities": gettext_lazy("Activities"),
        "minutes": gettext_lazy("Minutes"),
        "paid": gettext_lazy("Paid (£)"),
        "to_pay": gettext_lazy("Still to pay (£)"),
        "expenses": gettext_lazy("Of which expenses (£)"),
    }
    export_notes = {
        "label": gettext_lazy("UK tax year, 6 April to 5 April, by the date of each activity."),
        "paid": gettext_lazy("Fees and expenses of the records marked paid."),
        "to_pay": gettext_lazy("Fees and expenses of the records waiting for payment."),
        "expenses": gettext_lazy(
            "Receipted out-of-pocket expenses claimed, paid or not: paid back, not income."
        ),
    }
    export_total_fields = ["activities", "minutes", "paid", "to_pay", "expenses"]
    export_filename = "involvement-yearly-totals"
    columns = [
        Column("member", label=gettext_lazy("Member")),
        Column("label", label=gettext_lazy("Tax year")),
        Column("activities", label=gettext_lazy("Activities")),
        Column("minutes", label=gettext_lazy("Minutes")),
        Column("paid", label=gettext_lazy("Paid (£)")),
        Column("to_pay", label=gettext_lazy("Still to pay (£)")),
        Column("expenses", label=gettext_lazy("Of which expenses (£)")),
    ]

    def get_queryset(self):
        rows = selectors.yearly_totals()
        members = {m.pk: m for m in Member.objects.filter(pk__in={r["member_id"] for r in rows})}
        for row in rows:
            row["member"] = str(members[row["member_id"]])
        return rows

    def to_row_dict(self, item):
        return {field: item[field] for field in self.list_export}
