"""Manager workspace views for payments: receipts and marking a record paid."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engagement.involvement.models import InvolvementRecord

from . import services


def receipt(request, path):
    """A member's receipt, for managers only: receipts live in private storage (settings
    STORAGES["receipts"]) that no URL serves directly."""
    if not request.user.has_perm("engagement.view_involvementrecord"):
        raise PermissionDenied
    record = get_object_or_404(InvolvementRecord, receipt=path)
    return FileResponse(record.receipt.open("rb"), as_attachment=True)


@require_http_methods(["GET", "POST"])
def involvement_mark_paid(request, pk):
    if not request.user.has_perm("engagement.change_involvementrecord"):
        raise PermissionDenied
    record = get_object_or_404(InvolvementRecord.objects.select_related("member"), pk=pk)
    if request.method == "GET":
        return render(request, "involvement/admin/mark_paid.html", {"record": record})
    try:
        services.mark_paid(record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as paid."))
    return redirect("involvement:index")
