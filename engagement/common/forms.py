"""Form helpers every slice uses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.text import TEXT_MAX


def parse_id(value) -> int | None:
    """A database id typed into a URL or form, or None: only ASCII digits count ("²" and "٣"
    pass str.isdigit() but int() refuses the first, and no id is written that way)."""
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: field errors next to their field (when the
    form has that field), everything else in the summary at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


LONG = {"max_length": _("Please keep this to %(limit_value)d characters or fewer")}


def text_field(label, *, required=False, max_length=TEXT_MAX, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages=LONG,
    )


def radio_field(label, choices, *, required=False, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={
            "required": _("Choose an answer"),
            "invalid_choice": _("Choose one of the options shown"),
        },
    )
