"""The equality monitoring questions, each with "prefer not to say", and the agreement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.equality.models import QUESTIONS


class EqualityForm(forms.Form):
    def __init__(self, *args, consent_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question, choices in QUESTIONS:
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=choices.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer, or “Prefer not to say”"),
                    "invalid_choice": _("Choose one of the options shown"),
                },
            )
        if consent_text is not None:
            self.fields["consent"] = forms.BooleanField(
                label=consent_text.statement,
                error_messages={
                    "required": _("To store your answers we need your agreement. Tick the box.")
                },
            )
            self.fields["consent"].consent_text = consent_text

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name, _q, _c in QUESTIONS}
