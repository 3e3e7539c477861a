"""Consultations: time-boxed questions to the stakeholder group, the features members vote on,
their votes, polls and invitations."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from engagement.membership.models import Member


class ConsultationQuerySet(models.QuerySet):
    def released(self):
        """Opened or scheduled by a manager: the ones members can see (drafts are not)."""
        return self.filter(released_at__isnull=False)

    def open_now(self, at=None):
        at = at or timezone.now()
        return self.released().filter(opens_at__lte=at, closes_at__gt=at)

    def with_status(self, at=None):
        """Each annotated with `status_code`, as Consultation.status() works it out."""
        at = at or timezone.now()
        S = Consultation.Status
        return self.annotate(
            status_code=models.Case(
                models.When(released_at__isnull=True, then=models.Value(S.DRAFT)),
                models.When(opens_at__gt=at, then=models.Value(S.SCHEDULED)),
                models.When(closes_at__gt=at, then=models.Value(S.OPEN)),
                models.When(outcome_published_at__isnull=False, then=models.Value(S.OUTCOME)),
                default=models.Value(S.CLOSED),
                output_field=models.CharField(),
            )
        )


class Consultation(ClusterableModel):
    """A time-boxed question to the stakeholder group: features to prioritise, polls, and
    (in the feedback app) questionnaires and prototype reviews.

    Its life: a draft (members cannot see it) until a manager opens it or schedules it for its
    opening time; open between `opens_at` and `closes_at`; closed (early, if a manager closes
    it); and "outcome published" once its "you said, we did" page is live. The status is worked
    out from those moments, never stored, so it cannot disagree with them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        OUTCOME = "outcome", _("Outcome published")

    class Audience(models.TextChoices):
        ALL_ACTIVE = "all", _("All active members")
        INVITED = "invited", _("Invited members only")

    class Method(models.TextChoices):
        SUPPORT = "support", _("Support: one support per feature")
        POINTS = "points", _("Points: spread a number of points across features")
        DELPHI = "delphi", _("Delphi: rate each feature 1–9, in rounds")

    class Visibility(models.TextChoices):
        LIVE = "live", _("Live, while voting is open")
        AFTER_CLOSE = "after_close", _("After it closes")
        MANAGERS = "managers", _("PPIE managers only")

    class ActivityLabel(models.TextChoices):
        INVOLVEMENT = "involvement", _("Involvement (helping design the study)")
        RESEARCH = "research", _("Research (views collected as research data)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    audience = models.CharField(
        _("who can take part"), max_length=10, choices=Audience.choices, default=Audience.ALL_ACTIVE
    )
    prototype = models.ForeignKey(
        "cms.PrototypePage",
        verbose_name=_("prototype"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    voting_method = models.CharField(
        _("voting method"), max_length=10, choices=Method.choices, default=Method.SUPPORT
    )
    points_budget = models.PositiveSmallIntegerField(
        _("points each member can spend"),
        null=True,
        blank=True,
        help_text=_(
            "Points method only. Leave empty for a quarter of the features, rounded up. The "
            "number is fixed when you open or schedule the consultation."
        ),
    )
    fixed_points_budget = models.PositiveSmallIntegerField(
        _("points each member can spend, fixed when it opened"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when a manager opens or schedules a points consultation, so that features "
            "added later do not change anyone's budget in the middle of voting."
        ),
    )
    delphi_round = models.PositiveSmallIntegerField(_("Delphi round"), default=1, editable=False)
    delphi_consensus_critical = models.PositiveSmallIntegerField(
        _("consensus: at least this % score 7 to 9"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Delphi only. A feature is agreed to be critical when at least this share of people "
            "score it 7 to 9 … (COMET Handbook default: 70). Locked once it opens."
        ),
    )
    delphi_consensus_not_important = models.PositiveSmallIntegerField(
        _("… and fewer than this % score 1 to 3"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "… and fewer than this share score it 1 to 3 (COMET default: 15). The reverse "
            "(this many scoring 1 to 3, fewer scoring 7 to 9) agrees it is not important. "
            "Locked once it opens."
        ),
    )
    delphi_open_to_all_rounds = models.BooleanField(
        _("let members who did not finish a round take part in the next"),
        default=False,
        help_text=_(
            "Delphi only. Off (the COMET way): from round 2 on, only those who scored every "
            "feature in the round before are asked."
        ),
    )
    results_visibility = models.CharField(
        _("who sees results"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.AFTER_CLOSE,
    )
    activity_label = models.CharField(
        _("activity"),
        max_length=12,
        choices=ActivityLabel.choices,
        default=ActivityLabel.INVOLVEMENT,
    )
    released_at = models.DateTimeField(
        _("opened or scheduled"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a manager opened it, or scheduled it to open: until then, a draft."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before it closes"),
        null=True,
        blank=True,
        editable=False,
    )
    reminders_sent_at = models.DateTimeField(
        _("reminders sent"), null=True, blank=True, editable=False
    )
    outcome_published_at = models.DateTimeField(
        _("outcome published"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(delphi_round__gte=1), name="consultation_delphi_round_from_1"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    delphi_consensus_critical__gte=1,
                    delphi_consensus_critical__lte=100,
                    delphi_consensus_not_important__gte=1,
                    delphi_consensus_not_important__lte=100,
                ),
                name="consultation_delphi_consensus_percentages",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("It must close after it opens.")})
        if self.pk and self.votes.exists():
            saved = Consultation.objects.only("voting_method").get(pk=self.pk)
            if saved.voting_method != self.voting_method:
                # Votes of one method mean nothing in another (a support is not a rating).
                raise ValidationError(
                    {
                        "voting_method": _(
                            "Members have already voted, so the voting method cannot change. "
                            "Start a new consultation to ask in another way."
                        )
                    }
                )
        self._clean_consensus_rule()
        self._clean_locked_once_released()

    def _clean_consensus_rule(self) -> None:
        agree, against = self.delphi_consensus_critical, self.delphi_consensus_not_important
        if agree is None or against is None:
            return
        if agree <= 50:
            # At half or less, a feature could be agreed critical and not important at once.
            raise ValidationError(
                {"delphi_consensus_critical": _("Choose more than 50%, so that most agree.")}
            )
        if against >= agree:
            raise ValidationError(
                {
                    "delphi_consensus_not_important": _(
                        "Choose less than the share that must score 7 to 9 (%(a)d%%)."
                    )
                    % {"a": agree}
                }
            )

    # Set before round 1 and kept: a rule changed after people answered could be picked to
    # suit the answers (COMET Handbook: define consensus before round 1).
    LOCKED_ONCE_RELEASED = {
        "delphi_consensus_critical": _(
            "The consensus rule was fixed when it opened, so that it cannot be chosen to suit "
            "the answers. Start a new consultation to use another rule."
        ),
        "delphi_consensus_not_important": _(
            "The consensus rule was fixed when it opened, so that it cannot be chosen to suit "
            "the answers. Start a new consultation to use another rule."
        ),
        "points_budget": _(
            "Each member's points were fixed when it opened, so that nobody's budget changes "
            "in the middle of voting."
        ),
    }

    def _clean_locked_once_released(self) -> None:
        if not self.pk:
            return
        fields = list(self.LOCKED_ONCE_RELEASED)
        saved = Consultation.objects.filter(pk=self.pk).values("released_at", *fields).first()
        if saved is None or saved["released_at"] is None:
            return
        errors = {
            name: message
            for name, message in self.LOCKED_ONCE_RELEASED.items()
            if getattr(self, name) != saved[name]
        }
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("engagement:consultation", kwargs={"slug": self.slug})

    def status(self, at=None) -> "Consultation.Status":
        at = at or timezone.now()
        if self.released_at is None:
            return self.Status.DRAFT
        if at < self.opens_at:
            return self.Status.SCHEDULED
        if at < self.closes_at:
            return self.Status.OPEN
        return self.Status.OUTCOME if self.outcome_published_at else self.Status.CLOSED

    def get_status_display(self) -> str:
        return self.status().label

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.is_released and self.opens_at <= at < self.closes_at

    def next_change(self, at=None):
        """When its status next changes by the clock alone (it opens, or closes), or None."""
        at = at or timezone.now()
        if not self.is_released:
            return None  # a manager releases it: that is a save, not the clock
        return next((moment for moment in (self.opens_at, self.closes_at) if moment > at), None)

    def has_closed(self, at=None) -> bool:
        return self.is_released and (at or timezone.now()) >= self.closes_at

    def reminder_due_at(self):
        """When the scheduled reminder goes out, or None when none is scheduled."""
        if self.reminder_days_before is None:
            return None
        return self.closes_at - timezone.timedelta(days=self.reminder_days_before)

    def budget(self, feature_count: int | None = None) -> int:
        """Each member's points: fixed when it was opened or scheduled (fixed_points_budget);
        before then the manager's number, or a quarter of the features, rounded up."""
        if self.fixed_points_budget:
            return self.fixed_points_budget
        if self.points_budget:
            return self.points_budget
        count = feature_count if feature_count is not None else self.features.count()
        return max(1, math.ceil(count / 4))

    def consensus_rule(self) -> tuple[int, int]:
        """(at least this % score 7–9, fewer than this % score 1–3): consensus "in"."""
        return self.delphi_consensus_critical, self.delphi_consensus_not_important


class Feature(Orderable):
    consultation = ParentalKey(Consultation, related_name="features", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("plain description"), max_length=600, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("image alternative text"), max_length=250, blank=True)
    screen = models.ForeignKey(
        "cms.PrototypeScreen",
        verbose_name=_("or a prototype screen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idea = models.OneToOneField(
        "engagement.Idea",
        verbose_name=_("from a member's idea"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="feature",
        help_text=_("The idea a member put forward that a manager took in as this feature."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("feature")
        verbose_name_plural = _("features")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt:
            raise ValidationError(
                {"image_alt": _("Describe the image for people who cannot see it.")}
            )


class Vote(models.Model):
    """One member's vote on one feature in one round. The kind says how `value` is read: a
    support (1), points (≥ 1), or a Delphi rating (1–9, or 0 for "unable to score", which is
    kept as an answer but never counted in the percentages); the database enforces each."""

    UNABLE_TO_SCORE = 0

    class Kind(models.TextChoices):
        SUPPORT = "support", _("Support")
        POINTS = "points", _("Points")
        RATING = "rating", _("Rating")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="votes"
    )
    feature = models.ForeignKey(
        Feature, verbose_name=_("feature"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="votes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.PositiveSmallIntegerField(_("value"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "feature", "round"], name="vote_one_per_member_feature_round"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="support", value=1)
                    | models.Q(kind="points", value__gte=1)
                    | models.Q(kind="rating", value__gte=0, value__lte=9)
                ),
                name="vote_value_fits_kind",
            ),
            models.CheckConstraint(condition=models.Q(round__gte=1), name="vote_round_from_1"),
        ]
        indexes = [models.Index(fields=["consultation", "round"])]

    def __str__(self) -> str:
        return f"{self.feature}: {self.value}"

    @property
    def assisted(self) -> bool:
        return self.assisted_by_id is not None


class Poll(ClusterableModel, Orderable):
    """A quick question with choices, edited inline on its consultation (with its choices)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Choose one")
        MULTIPLE = "multiple", _("Choose any")

    consultation = ParentalKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="polls"
    )
    question = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    allow_other = models.BooleanField(_("offer “Other” with a text box"), default=False)

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question


class PollChoice(Orderable):
    poll = ParentalKey(Poll, related_name="choices", on_delete=models.CASCADE)
    text = models.CharField(_("text"), max_length=200)

    class Meta(Orderable.Meta):
        verbose_name = _("choice")

    def __str__(self) -> str:
        return self.text


class PollAnswer(models.Model):
    """One row per chosen option (or one "other" row with its text) per member."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="poll_answers")
    choice = models.ForeignKey(
        PollChoice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    other_text = models.CharField(_("other"), max_length=300, blank=True)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("poll answer")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "choice"],
                condition=models.Q(choice__isnull=False),
                name="poll_answer_one_per_member_choice",
            ),
            models.UniqueConstraint(
                fields=["member", "poll"],
                condition=models.Q(choice__isnull=True),
                name="poll_answer_one_other_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(choice__isnull=False) | ~models.Q(other_text=""),
                name="poll_answer_choice_or_other",
            ),
        ]

    def __str__(self) -> str:
        return str(self.choice) if self.choice_id else self.other_text


class Invitation(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    access_needs = models.TextField(
        _("what would make taking part easier"),
        max_length=1000,
        blank=True,
        help_text=_("The member's answer to the invitation, for this consultation."),
    )

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member"], name="invitation_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.consultation}"
