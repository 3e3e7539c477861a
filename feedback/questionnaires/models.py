"""Questionnaire designs with their items, and members' item-by-item reviews of them (COSMIN
content validity: relevance, comprehensibility, recall period, answer options, sensitivity)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from engagement.common.text import TEXT_MAX


class Questionnaire(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        FINAL = "final", _("Final")

    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    instructions = models.TextField(_("instructions for respondents"), max_length=3000, blank=True)
    recall_period = models.CharField(
        _("recall period"),
        max_length=100,
        blank=True,
        help_text=_("For example “the past 7 days”."),
    )
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_version",
    )
    consultation = models.ForeignKey(
        "engagement.Consultation",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questionnaires",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Item-tracking matrix, whole questionnaire: what changes in the next version (blank: the
    # same as this one), and why. New items for the next version are its `new_items`.
    revised_instructions = models.TextField(
        _("new instructions for the next version"),
        max_length=3000,
        blank=True,
        help_text=_("Leave empty to keep the instructions as they are."),
    )
    revised_recall_period = models.CharField(
        _("new recall period for the next version"),
        max_length=100,
        blank=True,
        help_text=_("For example “the past 24 hours”. Leave empty to keep it."),
    )
    revision_rationale = models.TextField(
        _("why the instructions or recall period change"), max_length=2000, blank=True
    )

    class Meta:
        ordering = ["title", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["title", "version"], name="questionnaire_title_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Item(Orderable):
    """One question of a draft questionnaire, with the team's tracking-matrix decision."""

    class ResponseType(models.TextChoices):
        SCALE = "scale", _("Rating scale")
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("Choose from a list")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Free text")

    class Problem(models.TextChoices):
        """The problems the feedback can show about an item, several at once (COSMIN:
        comprehensibility, relevance, recall period, response options, sensitivity)."""

        COMPREHENSION = "comprehension", _("Not understood as intended")
        RELEVANCE = "relevance", _("Not relevant")
        RECALL = "recall", _("Recall period")
        OPTIONS = "options", _("Response options")
        SENSITIVE = "sensitive", _("Upsetting or intrusive")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        NONE = "none", _("None")
        MINOR = "minor", _("Minor")
        MODERATE = "moderate", _("Moderate")
        MAJOR = "major", _("Major")

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep")
        REVISE = "revise", _("Revise")
        DROP = "drop", _("Drop")

    questionnaire = ParentalKey(Questionnaire, related_name="items", on_delete=models.CASCADE)
    text = models.CharField(_("item text"), max_length=500)
    response_type = models.CharField(
        _("response type"), max_length=10, choices=ResponseType.choices, default=ResponseType.SCALE
    )
    response_options = models.TextField(
        _("response options"), max_length=2000, blank=True, help_text=_("One per line.")
    )
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    previous_item = models.ForeignKey(
        "self",
        verbose_name=_("previous version of this item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_items",
    )
    # Item-tracking matrix (staff side): each problem the feedback showed (any number of them),
    # how serious, the decision and, for a revised item, its new wording and/or answer options.
    problem_comprehension = models.BooleanField(_("not understood as intended"), default=False)
    problem_relevance = models.BooleanField(_("not relevant"), default=False)
    problem_recall = models.BooleanField(_("recall period"), default=False)
    problem_options = models.BooleanField(_("response options"), default=False)
    problem_sensitive = models.BooleanField(_("upsetting or intrusive"), default=False)
    problem_other = models.BooleanField(_("other problem"), default=False)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    revised_wording = models.CharField(_("revised wording"), max_length=500, blank=True)
    revised_options = models.TextField(
        _("revised response options"),
        max_length=2000,
        blank=True,
        help_text=_("One per line. Leave empty to keep the response options as they are."),
    )
    rationale = models.TextField(_("rationale"), max_length=2000, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.text

    def options_list(self) -> list[str]:
        return [line.strip() for line in self.response_options.splitlines() if line.strip()]

    @property
    def problems(self) -> list[str]:
        """The codes of the problems recorded, in the order of Item.Problem."""
        return [code for code in self.Problem.values if getattr(self, f"problem_{code}")]

    def problem_labels(self) -> list[str]:
        return [str(self.Problem(code).label) for code in self.problems]


class NewItem(Orderable):
    """An item to add in the next version of a questionnaire (the item-tracking matrix's
    "added" rows): what it asks, how it is answered, and why it is added."""

    questionnaire = ParentalKey(Questionnaire, related_name="new_items", on_delete=models.CASCADE)
    text = models.CharField(_("item text"), max_length=500)
    response_type = models.CharField(
        _("response type"),
        max_length=10,
        choices=Item.ResponseType.choices,
        default=Item.ResponseType.SCALE,
    )
    response_options = models.TextField(
        _("response options"), max_length=2000, blank=True, help_text=_("One per line.")
    )
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    rationale = models.TextField(_("why it is added"), max_length=2000, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("new item for the next version")
        verbose_name_plural = _("new items for the next version")

    def __str__(self) -> str:
        return self.text

    def options_list(self) -> list[str]:
        return [line.strip() for line in self.response_options.splitlines() if line.strip()]


class Relevance(models.IntegerChoices):
    NOT_AT_ALL = 1, _("Not at all relevant")
    A_LITTLE = 2, _("A little relevant")
    QUITE = 3, _("Quite relevant")
    VERY = 4, _("Very relevant")


class QuestionnaireReview(models.Model):
    class Clear(models.TextChoices):
        YES = "yes", _("Yes, clear")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No, not clear")

    class Length(models.TextChoices):
        TOO_SHORT = "too_short", _("Too short")
        ABOUT_RIGHT = "about_right", _("About right")
        TOO_LONG = "too_long", _("Too long")

    member = models.ForeignKey(
        "engagement.Member", on_delete=models.CASCADE, related_name="questionnaire_reviews"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="reviews"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("where they stopped"), default=1)
    instructions_clear = models.CharField(max_length=10, choices=Clear.choices, blank=True)
    missing_topics = models.TextField(max_length=TEXT_MAX, blank=True)
    length_burden = models.CharField(max_length=12, choices=Length.choices, blank=True)
    overall_comment = models.TextField(max_length=TEXT_MAX, blank=True)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire review")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "questionnaire"], name="one_review_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.questionnaire}"


class ItemFeedback(models.Model):
    class Recall(models.TextChoices):
        TOO_SHORT = "too_short", _("Too short")
        RIGHT = "right", _("About right")
        TOO_LONG = "too_long", _("Too long")
        NOT_SURE = "not_sure", _("Not sure")

    class Fit(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class Upsetting(models.TextChoices):
        NO = "no", _("No")
        A_LITTLE = "a_little", _("A little")
        YES = "yes", _("Yes")

    review = models.ForeignKey(
        QuestionnaireReview, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="feedback")
    relevance = models.PositiveSmallIntegerField(_("relevance"), choices=Relevance.choices)
    own_words = models.TextField(_("in your own words"), max_length=TEXT_MAX, blank=True)
    unclear_words = models.CharField(_("unclear words"), max_length=500, blank=True)
    recall_fit = models.CharField(
        _("recall period"), max_length=10, choices=Recall.choices, blank=True
    )
    options_fit = models.CharField(
        _("answer options fit"), max_length=10, choices=Fit.choices, blank=True
    )
    upsetting = models.CharField(
        _("upsetting or intrusive"), max_length=10, choices=Upsetting.choices, blank=True
    )
    would_skip = models.BooleanField(_("would skip it"), default=False)
    suggested_rewording = models.TextField(
        _("suggested rewording"), max_length=TEXT_MAX, blank=True
    )
    comment = models.TextField(_("comment"), max_length=TEXT_MAX, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("item feedback")
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_feedback_per_item"),
            models.CheckConstraint(
                condition=models.Q(relevance__gte=1, relevance__lte=4), name="relevance_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} – {self.item}"

    @property
    def flagged_unclear(self) -> bool:
        return bool(self.unclear_words) or self.options_fit == self.Fit.NO

    @property
    def flagged_upsetting(self) -> bool:
        return self.upsetting in {self.Upsetting.A_LITTLE, self.Upsetting.YES} or self.would_skip
