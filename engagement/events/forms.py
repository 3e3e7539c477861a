"""Registering for an event, and the manager's attendance form. The forms only check shape;
places, closing time and the waiting list are engagement.events.services' rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.forms import LONG, parse_id
from engagement.events.models import ACCESS_NEEDS_MAX, DIETARY_NEEDS_MAX, NAME_MAX

FORM_NAME = "event-registration"  # the hidden "form" value that says a post is this form


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Enter your name"),
            "max_length": _("Name must be %(limit_value)d characters or fewer"),
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We email you your place, a calendar file and a link to cancel."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.com"),
        },
    )
    access_needs = forms.CharField(
        label=_("Is there anything that would make coming easier for you?"),
        required=False,
        max_length=ACCESS_NEEDS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example step-free access, a hearing loop, a quiet room or rest breaks."),
        error_messages=LONG,
    )
    dietary_needs = forms.CharField(
        label=_("Do you have any dietary needs?"),
        required=False,
        max_length=DIETARY_NEEDS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example vegetarian, gluten free, or soft food."),
        error_messages=LONG,
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, settings, signed_in_email=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.ask_access_needs:
            del self.fields["access_needs"]
        if not settings.ask_dietary_needs:
            del self.fields["dietary_needs"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"}
        )
        if signed_in_email:
            # Signed in: the account's address, shown but not changeable here.
            self.fields["email"].initial = signed_in_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _(
                "The email address you are signed in with. We email you your place, a calendar "
                "file and a link to cancel."
            )
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))

    def person_fields(self):
        return [self[name] for name in self.fields if name != "website"]

    def clean_name(self):
        value = " ".join(self.cleaned_data["name"].split())
        if not value:
            raise forms.ValidationError(_("Enter your name"))
        return value


def ids_from(values) -> set[int]:
    """Registration ids posted by the attendance form; anything that cannot be one is ignored."""
    return {pk for pk in (parse_id(v) for v in values) if pk is not None}
