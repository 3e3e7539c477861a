"""A member's payment choice and expenses claim."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from engagement.involvement.models import InvolvementRecord
from engagement.involvement.receipts import validate_receipt


class PaymentChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("What would you like?"),
        choices=[c for c in InvolvementRecord.PaymentChoice.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you would like"),
            "invalid_choice": _("Choose one of the options shown"),
        },
    )
    reduced_amount = forms.DecimalField(
        label=_("If a reduced amount, how much (£)?"),
        help_text=_("Only if you chose a reduced amount."),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        error_messages={
            "min_value": _("The amount cannot be negative"),
            "invalid": _("Enter an amount like 12.50"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Needed exactly when a reduced amount is chosen: "(optional)" would say the opposite.
        self.fields["reduced_amount"].hide_optional = True


class ExpensesForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Expenses to claim back (£)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("For example travel or parking. Receipted expenses are not income."),
        error_messages={
            "required": _("Enter the amount"),
            "min_value": _("The amount cannot be negative"),
            "invalid": _("Enter an amount like 12.50"),
        },
    )
    receipt = forms.FileField(
        label=_("Receipt (photo or PDF)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].help_text = _("JPEG, PNG or PDF, up to %(size)s.") % {
            "size": filesizeformat(settings.RECEIPT_MAX_BYTES)
        }

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            validate_receipt(receipt)
        return receipt
