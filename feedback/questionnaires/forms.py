"""The questions a member answers about each item of a draft questionnaire, and about the whole."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.forms import radio_field, text_field
from feedback.questionnaires.models import ItemFeedback, QuestionnaireReview, Relevance


class ItemReviewForm(forms.Form):
    """The COSMIN-based questions about one item. Only relevance is required."""

    relevance = radio_field(
        _("How relevant is this question for people who have had CAR-T therapy?"),
        [(str(v), label) for v, label in Relevance.choices],
        required=True,
    )
    own_words = text_field(_("In your own words, what is this question asking?"))
    unclear_words = text_field(
        _("Are any words unclear or hard to understand? Which ones?"), max_length=500, rows=0
    )
    recall_fit = radio_field(_("Is the time it asks about right?"), ItemFeedback.Recall.choices)
    options_fit = radio_field(
        _("Do the answer options fit how you would want to answer?"), ItemFeedback.Fit.choices
    )
    upsetting = radio_field(
        _("Could this question upset someone or feel too personal?"),
        ItemFeedback.Upsetting.choices,
    )
    would_skip = forms.BooleanField(label=_("I would skip this question"), required=False)
    suggested_rewording = text_field(_("How would you word it?"))
    comment = text_field(_("Anything else about this question?"))

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
    instructions_clear = radio_field(
        _("Were the instructions at the start clear?"), QuestionnaireReview.Clear.choices
    )
    missing_topics = text_field(_("Is anything important missing from the questionnaire?"))
    length_burden = radio_field(
        _("What did you think of its length?"), QuestionnaireReview.Length.choices
    )
    overall_comment = text_field(_("Anything else you would like to tell us?"))
