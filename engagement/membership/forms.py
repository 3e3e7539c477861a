"""Joining and preferences."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.forms import ModelMultipleChoiceField
from engagement.membership.models import HEALTH_ROLES, ConsentPurpose, Interest, Member, Role
from engagement.membership.services import SignUpData

NAME_MAX = 80


def _check_phone_for_calls(form, cleaned) -> None:
    """A call or a text needs a phone number: the error goes by the phone field."""
    preference = cleaned.get("contact_preference")
    if (
        preference in {Member.ContactPreference.PHONE, Member.ContactPreference.TEXT}
        and not (cleaned.get("phone") or "").strip()
    ):
        form.add_error("phone", _("Enter a phone number so that we can call or text you"))


ACCESS_NEEDS_MAX = 1000
# What another form on the site already asked (registering for an event): the join form starts
# with it filled in, so nobody types it twice (WCAG 3.3.7). Kept in the session, never in a URL.
PREFILL_SESSION_KEY = "join_prefill"


def remember_for_joining(session, *, display_name: str, email: str) -> None:
    session[PREFILL_SESSION_KEY] = {"display_name": display_name[:NAME_MAX], "email": email}


def join_prefill(session) -> dict:
    """The join form's initial name and email from remember_for_joining(), if any."""
    saved = session.get(PREFILL_SESSION_KEY)
    if not isinstance(saved, dict):
        return {}
    return {k: str(saved[k]) for k in ("display_name", "email") if saved.get(k)}


class JoinForm(forms.Form):
    """Joining the stakeholder group: the minimum we need, and consent to the versions shown."""

    display_name = forms.CharField(
        label=_("Name to use"),
        max_length=NAME_MAX,
        help_text=_("Your first name or a nickname is fine."),
        error_messages={
            "required": _("Enter the name you would like us to use"),
            "max_length": _("Name must be %(limit_value)d characters or fewer"),
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will send you an email to confirm it is yours."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.com"),
        },
    )
    role = forms.ChoiceField(
        label=_("Which describes you best?"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the option that describes you best"),
            "invalid_choice": _("Choose one of the options shown"),
        },
    )
    interests = ModelMultipleChoiceField(
        label=_("What would you like to help with?"),
        queryset=Interest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose any that interest you. You can change this later."),
        error_messages={"invalid_choice": _("Choose from the options shown")},
    )
    access_needs = forms.CharField(
        label=_("Is there anything that would make taking part easier for you?"),
        required=False,
        max_length=ACCESS_NEEDS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example large print, phone calls instead of email, or rest breaks."),
        error_messages={"max_length": _("Please keep this to %(limit_value)d characters or fewer")},
    )
    contact_preference = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=Member.ContactPreference.choices,
        initial=Member.ContactPreference.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options shown")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_(
            "Only needed if you would like a call or a text message. If you give a number, you "
            "agree that we may phone or text you at it."
        ),
        error_messages={"max_length": _("Phone number must be 30 characters or fewer")},
    )
    consent_join = forms.BooleanField(
        required=True,
        error_messages={"required": _("You need to agree to this to join the group")},
    )
    consent_health_role = forms.BooleanField(required=False)
    consent_quote = forms.BooleanField(required=False)
    # Which consent versions the person was shown; if a text changes meanwhile, we ask again.
    consent_versions = forms.CharField(widget=forms.HiddenInput, required=False)
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    CONSENT_FIELDS = {
        ConsentPurpose.JOIN: "consent_join",
        ConsentPurpose.HEALTH_ROLE: "consent_health_role",
        ConsentPurpose.QUOTE: "consent_quote",
    }

    def __init__(self, *args, consent_texts, kiosk=False, signed_in_email=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in_email:
            # Already signed in: the account's email, shown but not changeable here.
            self.fields["email"].initial = signed_in_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("The email address you are signed in with.")
        # Only the agreements asked for on this form (equality monitoring is asked on its own).
        self.consent_texts = {p: t for p, t in consent_texts.items() if p in self.CONSENT_FIELDS}
        for purpose, name in self.CONSENT_FIELDS.items():
            text = consent_texts.get(purpose)
            if text is None:
                del self.fields[name]
                continue
            self.fields[name].label = text.statement
            self.fields[name].consent_text = text
        self.fields["consent_versions"].initial = self.versions_token()
        self.fields["role"].choices = Role.choices
        if kiosk:
            for field in self.fields.values():
                field.widget.attrs["autocomplete"] = "off"
        else:
            self.fields["display_name"].widget.attrs["autocomplete"] = "given-name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs.update({"spellcheck": "false", "autocapitalize": "off"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def versions_token(self) -> str:
        return ",".join(f"{p}:{t.version}" for p, t in sorted(self.consent_texts.items()))

    def consent_fields(self):
        return [self[name] for name in self.CONSENT_FIELDS.values() if name in self.fields]

    def person_fields(self):
        skip = set(self.CONSENT_FIELDS.values()) | {"consent_versions", "website"}
        return [self[name] for name in self.fields if name not in skip]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))

    def clean_display_name(self):
        value = " ".join(self.cleaned_data["display_name"].split())
        if not value:
            raise forms.ValidationError(_("Enter the name you would like us to use"))
        return value

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("consent_versions") or ""
        if submitted and submitted != self.versions_token():
            # Show the current versions with empty tick boxes, so that pressing "Join" again
            # agrees to the wording now on the page (otherwise the stale token comes back and
            # every later submit fails the same way).
            data = self.data.copy()
            data[self.add_prefix("consent_versions")] = self.versions_token()
            for name in self.CONSENT_FIELDS.values():
                data.pop(self.add_prefix(name), None)
            self.data = data
            raise forms.ValidationError(
                _(
                    "The wording of what you agree to has changed since you opened this page. "
                    "Please read it again and tick the boxes."
                )
            )
        role = cleaned.get("role")
        if role in HEALTH_ROLES and not cleaned.get("consent_health_role"):
            self.add_error(
                "consent_health_role",
                _(
                    "Because of the role you chose, we need your agreement to store it. If you "
                    "would rather not, choose “Member of the public” or “Other”."
                ),
            )
        _check_phone_for_calls(self, cleaned)
        return cleaned

    def to_data(self) -> SignUpData:
        c = self.cleaned_data
        consents = {p for p, name in self.CONSENT_FIELDS.items() if c.get(name)}
        return SignUpData(
            display_name=c["display_name"],
            email=c["email"],
            role=c["role"],
            consents=consents,
            interests=list(c["interests"]),
            access_needs=c["access_needs"].strip(),
            contact_preference=c["contact_preference"] or Member.ContactPreference.EMAIL,
            phone=c["phone"].strip(),
        )


class PreferencesForm(forms.Form):
    display_name = JoinForm.base_fields["display_name"]
    interests = JoinForm.base_fields["interests"]
    access_needs = JoinForm.base_fields["access_needs"]
    contact_preference = JoinForm.base_fields["contact_preference"]
    phone = JoinForm.base_fields["phone"]
    quote_consent = forms.BooleanField(required=False)

    clean_display_name = JoinForm.clean_display_name

    def __init__(self, *args, quote_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = Interest.objects.all()
        if quote_text is None:
            del self.fields["quote_consent"]
        else:
            self.fields["quote_consent"].label = quote_text.statement

    def clean(self):
        cleaned = super().clean()
        _check_phone_for_calls(self, cleaned)
        return cleaned


class NewAgreementsForm(forms.Form):
    """For each agreement whose wording changed: agree to the new version, or not."""

    AGREE, DECLINE = "agree", "decline"

    def __init__(self, *args, outdated, **kwargs):
        super().__init__(*args, **kwargs)
        self.outdated = outdated
        for row in outdated:
            purpose = row["purpose"]
            decline = (
                _("I do not agree: I will leave the group")
                if purpose == ConsentPurpose.JOIN
                else _("I do not agree: take this agreement back")
            )
            field = forms.ChoiceField(
                label=row["text"].statement,
                choices=[(self.AGREE, _("I agree")), (self.DECLINE, decline)],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose whether you agree to the new wording"),
                    "invalid_choice": _("Choose one of the options shown"),
                },
            )
            field.row = row
            self.fields[purpose] = field

    def rows(self):
        return [(self[name], self.fields[name].row) for name in self.fields]
