"""The GRIPP2 report's choice of consultations."""

from django import forms
from django.utils.translation import gettext as _

from engagement.common.forms import ModelChoiceField
from engagement.consultations.models import Consultation


class Gripp2Form(forms.Form):
    consultation = ModelChoiceField(
        label=_("Consultation"), queryset=Consultation.objects.all(), required=False
    )
    date_from = forms.DateField(
        label=_("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("consultation") and not (
            cleaned.get("date_from") and cleaned.get("date_to")
        ):
            raise forms.ValidationError(_("Choose a consultation, or both dates."))
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_to"] < cleaned["date_from"]
        ):
            self.add_error("date_to", _("This must be after the start date."))
        return cleaned

    def consultations(self) -> list:
        c = self.cleaned_data
        if c.get("consultation"):
            return [c["consultation"]]
        return list(
            Consultation.objects.filter(
                closes_at__date__gte=c["date_from"], opens_at__date__lte=c["date_to"]
            ).order_by("opens_at")
        )
