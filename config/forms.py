"""allauth's sign-in forms with the site's own labels and error messages (plain English)."""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

EMAIL_LABEL = _("Email address")
EMAIL_HINT = _("Use the email address you joined with.")
EMAIL_ERRORS = {
    "required": _("Enter your email address"),
    "invalid": _("Enter an email address like name@example.com"),
}


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form: with no passwords it only asks for the email address and sends
    a code (as the code request form below does)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = EMAIL_LABEL
        field.help_text = EMAIL_HINT
        field.error_messages.update(EMAIL_ERRORS)


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = EMAIL_LABEL
        field.help_text = EMAIL_HINT
        field.error_messages.update(EMAIL_ERRORS)


class ConfirmLoginCodeForm(allauth_forms.ConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Code")
        field.help_text = _("It is in the email we sent you: 8 letters, for example BKRT-MNPS.")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        field.error_messages["required"] = _("Enter the code from the email")
