"""Forms for voting, polls and invitations. They only parse and check shape; the counting rules
(open, invited, budget) are enforced by engagement.consultations.services, which views call."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from engagement.common.forms import ModelChoiceField, ModelMultipleChoiceField, parse_id
from engagement.consultations.models import Consultation, Poll, Vote
from engagement.membership.models import Campaign, Interest, Member, Role

FEATURE_FIELD = re.compile(r"^feature-(\d+)$")


RATING_CHOICES = [(str(v), str(v)) for v in range(1, 10)] + [
    (str(Vote.UNABLE_TO_SCORE), _("Unable to score"))
]


class VoteForm(forms.Form):
    def __init__(self, *args, consultation: Consultation, features, budget: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.features = list(features)
        self.budget = budget
        method = consultation.voting_method
        for feature in self.features:
            name = f"feature-{feature.pk}"
            if method == Consultation.Method.SUPPORT:
                field = forms.BooleanField(required=False, label=_("I support this"))
            elif method == Consultation.Method.POINTS:
                field = forms.IntegerField(
                    required=False,
                    min_value=0,
                    max_value=budget,
                    label=_("Points for this feature"),
                    error_messages={
                        "min_value": _("Points cannot be negative"),
                        "max_value": _(
                            "Give this feature %(limit_value)s points or fewer: that is all "
                            "you have"
                        ),
                        "invalid": _("Enter a whole number, like 2"),
                    },
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "class": "input--short"}
                    ),
                )
            else:
                field = forms.TypedChoiceField(
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=RATING_CHOICES,
                    label=_("How important is this? 1 = not important, 9 = critical"),
                    widget=forms.RadioSelect(attrs={"class": "rating"}),
                    error_messages={
                        "invalid_choice": _("Choose a rating from 1 to 9, or “Unable to score”")
                    },
                )
            field.feature = feature
            field.hide_optional = True  # every feature is optional; saying so each time is noise
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        known = {f"feature-{f.pk}" for f in self.features}
        for key in self.data:
            if FEATURE_FIELD.match(key) and key not in known:
                raise forms.ValidationError(_("That feature is not part of this consultation."))
        return cleaned

    def feature_fields(self):
        return [(self[name].field.feature, self[name]) for name in self.fields]

    def shown_token(self) -> str:
        return ",".join(str(f.pk) for f in self.features)

    def values(self) -> dict[int, int | None]:
        """The features this submission is about: those posted, plus every feature the form
        showed (listed in "shown"), since an unticked box or emptied input is not posted.
        A request that posts one feature alone (a single support button) changes only it."""
        shown = {parse_id(x) for x in str(self.data.get("shown", "")).split(",")} - {None}
        values = {}
        for name, field in self.fields.items():
            if name not in self.data and field.feature.pk not in shown:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, bool):
                value = 1 if value else 0
            values[field.feature.pk] = value
        return values


class PollForm(forms.Form):
    def __init__(self, *args, poll: Poll, **kwargs):
        kwargs.setdefault("prefix", f"poll-{poll.pk}")
        super().__init__(*args, **kwargs)
        self.poll = poll
        choices = [(str(c.pk), c.text) for c in poll.choices.all()]
        if poll.kind == Poll.Kind.SINGLE:
            if poll.allow_other:
                choices.append(("other", _("Other")))
            self.fields["choice"] = forms.ChoiceField(
                label=poll.question,
                help_text=poll.help_text,
                choices=choices,
                required=True,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer"),
                    "invalid_choice": _("Choose from the options shown"),
                },
            )
        else:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=poll.question,
                help_text=poll.help_text or _("Choose all that apply."),
                choices=choices,
                required=not poll.allow_other,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _("Choose at least one answer"),
                    "invalid_choice": _("Choose from the options shown"),
                },
            )
        if poll.allow_other:
            self.fields["other"] = forms.CharField(
                label=_("Other (please say)")
                if poll.kind == Poll.Kind.MULTIPLE
                else _("If other, please say"),
                help_text=_("Only if you chose “Other”."),
                required=False,
                max_length=300,
                error_messages={"max_length": _("Please keep this to 300 characters or fewer")},
            )
            # Needed exactly when "Other" is chosen: "(optional)" would say the opposite.
            self.fields["other"].hide_optional = True

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("choice")
        other = (cleaned.get("other") or "").strip()
        if self.poll.kind == Poll.Kind.SINGLE and choice == "other" and not other:
            self.add_error("other", _("Say what your answer is, or choose another option"))
        if (
            self.poll.kind == Poll.Kind.MULTIPLE
            and not choice
            and not other
            and "choice" in self.fields
        ):
            self.add_error("choice", _("Choose at least one answer"))
        return cleaned

    def answer(self) -> tuple[list[int], str]:
        choice = self.cleaned_data.get("choice")
        other = (self.cleaned_data.get("other") or "").strip()
        if self.poll.kind == Poll.Kind.SINGLE:
            if choice == "other":
                return [], other
            return [int(choice)], ""
        return [int(c) for c in choice or []], other


class InviteForm(forms.Form):
    everyone = forms.BooleanField(label=_("Invite every active member"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Or only these roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = ModelMultipleChoiceField(
        label=_("And/or with these interests"),
        queryset=Interest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    campaign = ModelChoiceField(
        label=_("And/or who joined via"), queryset=Campaign.objects.all(), required=False
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("everyone")
            or cleaned.get("roles")
            or cleaned.get("interests")
            or cleaned.get("campaign")
        ):
            raise forms.ValidationError(_("Choose who to invite."))
        return cleaned

    def members(self):
        """Active members matching the choice who are not invited yet."""
        qs = (
            Member.objects.filter(status=Member.Status.ACTIVE, user__isnull=False)
            .exclude(invitations__consultation=self.consultation)
            .select_related("user")
            .order_by("display_name", "pk")
        )
        c = self.cleaned_data
        if c.get("everyone"):
            return qs
        if c.get("roles"):
            qs = qs.filter(role__in=c["roles"])
        if c.get("interests"):
            qs = qs.filter(interests__in=c["interests"]).distinct()
        if c.get("campaign"):
            qs = qs.filter(campaign=c["campaign"])
        return qs


class ReopenForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Open until"),
        widget=AdminDateTimeInput,
        error_messages={
            "required": _("Choose when it closes again"),
            "invalid": _("Enter a date and time, like 2027-01-31 17:00"),
        },
    )


class ReminderScheduleForm(forms.Form):
    days_before = forms.IntegerField(
        label=_("Days before it closes"),
        required=False,
        min_value=1,
        max_value=90,
        help_text=_("Leave empty for no scheduled reminder."),
        error_messages={
            "min_value": _("Choose at least 1 day"),
            "max_value": _("Choose 90 days or fewer"),
            "invalid": _("Enter a whole number of days, like 3"),
        },
    )


class AccessNeedsForm(forms.Form):
    access_needs = forms.CharField(
        label=_("Is there anything that would make taking part easier for you?"),
        help_text=_("For example large print, a phone call instead, or more time."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep this to %(limit_value)d characters or fewer")},
    )
