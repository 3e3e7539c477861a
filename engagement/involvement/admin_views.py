"""Manager workspace views for payments: receipts and marking a record paid."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from engagement.common.admin import ModelPageView, ObjectActionView
from engagement.involvement.models import InvolvementRecord

from . import services


class ReceiptView(ModelPageView):
    """A member's receipt, for managers only: receipts live in private storage (settings
    STORAGES["receipts"]) that no URL serves directly."""

    model = InvolvementRecord

    def get(self, request, path):
        record = get_object_or_404(InvolvementRecord, receipt=path)
        return FileResponse(record.receipt.open("rb"), as_attachment=True)


class MarkPaidView(ObjectActionView):
    """GET: what is to be paid, and a button; POST: marked as paid (services.mark_paid)."""

    model = InvolvementRecord
    object_queryset = InvolvementRecord.objects.select_related("member")
    http_method_names = ["get", "post"]
    template_name = "involvement/admin/mark_paid.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.object}

    def act(self) -> str:
        services.mark_paid(record=self.object)
        return _("Marked as paid.")

    def get_success_url(self) -> str:
        return reverse(self.index_url_name)
