"""The member's idea form and the manager's three decisions. Forms parse and check shape; the
rules (who may, the daily limit, which consultations) are in engagement.ideas.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.forms import LONG, ModelChoiceField
from engagement.common.text import clean_text
from engagement.consultations.selectors import open_consultations_for
from engagement.ideas.models import DESCRIPTION_MAX, REASON_MAX, TITLE_MAX, Idea

from . import services


class IdeaForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is your idea about?"),
        choices=Idea.Kind.choices,
        initial=Idea.Kind.FEATURE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what your idea is about"),
            "invalid_choice": _("Choose one of the options shown"),
        },
    )
    title = forms.CharField(
        label=_("Your idea in a few words"),
        max_length=TITLE_MAX,
        help_text=_("For example: A reminder to drink water"),
        error_messages={**LONG, "required": _("Give your idea a short title")},
    )
    description = forms.CharField(
        label=_("Tell us a bit more"),
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text=_("What would it help with? A few lines is plenty (up to 600 characters)."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=LONG,
    )
    consultation = ModelChoiceField(
        label=_("Is it for one of the consultations open now?"),
        queryset=None,
        required=False,
        empty_label=_("No, it is for the app or the group in general"),
        error_messages={"invalid_choice": _("Choose one of the consultations shown, or none")},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = open_consultations_for(member)

    def clean_title(self):
        title = services.one_line(self.cleaned_data["title"], max_length=TITLE_MAX)
        if not title:  # only markup or spaces
            raise forms.ValidationError(_("Give your idea a short title"))
        return title

    def clean_description(self):
        return clean_text(self.cleaned_data["description"], max_length=DESCRIPTION_MAX)


class AcceptForm(forms.Form):
    consultation = ModelChoiceField(
        label=_("Consultation"),
        queryset=None,
        help_text=_("Consultations that have not closed. Members vote on it there."),
        error_messages={
            "required": _("Choose the consultation to add it to"),
            "invalid_choice": _("Choose one of the consultations shown"),
        },
    )
    title = forms.CharField(
        label=_("Feature title"),
        max_length=TITLE_MAX,
        help_text=_(
            "As members will see it. Put it in the team's words: a feature stays (without the "
            "member's name) if they leave, while their own words are deleted."
        ),
        error_messages={**LONG, "required": _("Give the feature a title")},
    )
    description = forms.CharField(
        label=_("Plain description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=LONG,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = services.consultations_for_features().order_by(
            "-opens_at"
        )


class MergeForm(forms.Form):
    into = ModelChoiceField(
        label=_("Join it with"),
        queryset=None,
        help_text=_("An idea that is waiting or was taken forward. This one then follows it."),
        error_messages={
            "required": _("Choose the idea to join it with"),
            "invalid_choice": _("Choose one of the ideas shown"),
        },
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Idea.objects.filter(status__in=[Idea.Status.NEW, Idea.Status.ACCEPTED])
            .exclude(pk=idea.pk)
            .order_by("-created_at")
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not taken forward"),
        max_length=REASON_MAX,
        help_text=_("In plain words. The member is emailed this, and sees it on their page."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**LONG, "required": _("Say why, in a few words: the member is sent it.")},
    )

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"], max_length=REASON_MAX)
