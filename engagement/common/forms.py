"""Form helpers every slice uses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.text import TEXT_MAX

MAX_ID = 2**63 - 1  # no database id here is larger (64-bit signed integers)


def parse_id(value) -> int | None:
    """A database id typed into a URL or form, or None: only ASCII digits count ("²" and "٣"
    pass str.isdigit() but int() refuses the first, and no id is written that way), and no more
    than a database can hold (SQLite raises OverflowError past 64 bits instead of finding none)."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) > MAX_ID:
        return None
    return int(value)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing a value that cannot be an id as it refuses an unknown one, before it
    reaches the database."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing values that cannot be ids as it refuses unknown ones, before they
    reach the database."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                if parse_id(item) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super().clean(value)


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
