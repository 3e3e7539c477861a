from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    EASE_SCALE,
    SUS_ITEMS,
    SUS_SCALE,
    TEXT_MAX,
    ItemFeedback,
    QuestionnaireReview,
    Relevance,
)

LONG = {"max_length": _("Please keep this to %(limit_value)d characters or fewer")}


def _text(label, *, required=False, max_length=TEXT_MAX, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages=LONG,
    )


def _radio(label, choices, *, required=False, help_text=""):
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


class ItemReviewForm(forms.Form):
    """The COSMIN-based questions about one item. Only relevance is required."""

    relevance = _radio(
        _("How relevant is this question for people who have had CAR-T therapy?"),
        [(str(v), label) for v, label in Relevance.choices],
        required=True,
    )
    own_words = _text(_("In your own words, what is this question asking?"))
    unclear_words = _text(
        _("Are any words unclear or hard to understand? Which ones?"), max_length=500, rows=0
    )
    recall_fit = _radio(_("Is the time it asks about right?"), ItemFeedback.Recall.choices)
    options_fit = _radio(
        _("Do the answer options fit how you would want to answer?"), ItemFeedback.Fit.choices
    )
    upsetting = _radio(
        _("Could this question upset someone or feel too personal?"),
        ItemFeedback.Upsetting.choices,
    )
    would_skip = forms.BooleanField(label=_("I would skip this question"), required=False)
    suggested_rewording = _text(_("How would you word it?"))
    comment = _text(_("Anything else about this question?"))

    def __init__(self, *args, recall_period="", **kwargs):
        super().__init__(*args, **kwargs)
        if recall_period:
            self.fields["recall_fit"].label = _(
                "The question asks about “%(period)s”. Is that the right length of time?"
            ) % {"period": recall_period}
        self.fields["relevance"].error_messages["required"] = _(
            "Choose how relevant this question is"
        )


class OverallForm(forms.Form):
    instructions_clear = _radio(
        _("Were the instructions at the start clear?"), QuestionnaireReview.Clear.choices
    )
    missing_topics = _text(_("Is anything important missing from the questionnaire?"))
    length_burden = _radio(
        _("What did you think of its length?"), QuestionnaireReview.Length.choices
    )
    overall_comment = _text(_("Anything else you would like to tell us?"))


class PrototypeReviewForm(forms.Form):
    def __init__(self, *args, screens, **kwargs):
        super().__init__(*args, **kwargs)
        self.screens = list(screens)
        ease = [(str(value), label) for value, label in EASE_SCALE]
        for screen in self.screens:
            self.fields[f"screen-{screen.pk}-ease"] = _radio(
                _("How easy does this screen look to use?"), ease
            )
            self.fields[f"screen-{screen.pk}-ease"].widget.attrs["class"] = "scale"
            self.fields[f"screen-{screen.pk}-comment"] = _text(
                _("Anything to change on this screen?"), rows=2
            )
        for number, statement in enumerate(SUS_ITEMS, start=1):
            field = _radio(statement, [(str(v), label) for v, label in SUS_SCALE])
            field.widget.attrs["class"] = "scale"
            self.fields[f"sus_{number}"] = field

    def screen_blocks(self):
        return [
            (s, self[f"screen-{s.pk}-ease"], self[f"screen-{s.pk}-comment"]) for s in self.screens
        ]

    def sus_fields(self):
        return [self[f"sus_{n}"] for n in range(1, 11)]

    def screens_data(self) -> dict[int, dict]:
        c = self.cleaned_data
        return {
            s.pk: {
                "ease": int(c[f"screen-{s.pk}-ease"]) if c.get(f"screen-{s.pk}-ease") else None,
                "comment": c.get(f"screen-{s.pk}-comment", ""),
            }
            for s in self.screens
        }

    def sus_data(self) -> dict[int, int | None]:
        c = self.cleaned_data
        return {n: int(c[f"sus_{n}"]) if c.get(f"sus_{n}") else None for n in range(1, 11)}
