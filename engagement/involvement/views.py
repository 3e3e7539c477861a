"""A member's own involvement record: how to be paid, expenses and receipts."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.placed_messages import saved
from engagement.common.forms import add_service_errors
from engagement.involvement.forms import ExpensesForm, PaymentChoiceForm
from engagement.involvement.models import InvolvementRecord
from engagement.membership.views import member_or_404

from . import services


@login_required
@require_http_methods(["GET", "POST"])
def involvement_record(request, pk):
    """A member chooses how to be paid for one activity and claims expenses."""
    member = member_or_404(request)
    record = get_object_or_404(InvolvementRecord, pk=pk, member=member)
    payment_form = PaymentChoiceForm(
        initial={"choice": record.payment_choice or None, "reduced_amount": record.reduced_amount},
        prefix="pay",
    )
    expenses_form = ExpensesForm(initial={"amount": record.expenses_claimed}, prefix="exp")
    status = 200
    # Which of the two forms was sent: the payment form always sends its amount box (empty or
    # not), while its radios send nothing when none is ticked.
    paying = any(key.startswith("pay-") for key in request.POST)
    if request.method == "POST":
        try:
            if paying:
                payment_form = PaymentChoiceForm(request.POST, prefix="pay")
                if payment_form.is_valid():
                    services.choose_payment(
                        member=member,
                        record=record,
                        choice=payment_form.cleaned_data["choice"],
                        reduced_amount=payment_form.cleaned_data["reduced_amount"],
                    )
                    fragment = saved(request, _("Your choice is saved."), place="involvement")
                    return redirect(reverse("engagement:me") + fragment)
            else:
                expenses_form = ExpensesForm(request.POST, request.FILES, prefix="exp")
                if expenses_form.is_valid():
                    services.claim_expenses(
                        member=member,
                        record=record,
                        amount=expenses_form.cleaned_data["amount"],
                        receipt=expenses_form.cleaned_data["receipt"],
                    )
                    fragment = saved(
                        request, _("Your expenses claim is saved."), place="involvement"
                    )
                    return redirect(reverse("engagement:me") + fragment)
        except ValidationError as error:
            form = payment_form if paying else expenses_form
            add_service_errors(form, error)
        status = 400
    return render(
        request,
        "involvement/involvement_record.html",
        {"record": record, "payment_form": payment_form, "expenses_form": expenses_form},
        status=status,
    )
