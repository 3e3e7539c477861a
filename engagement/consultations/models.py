"""Consultations: time-boxed questions to the stakeholder group, the features members vote on,
their votes, polls and invitations."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
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
        help_text=_("Points method only. Leave empty for a quarter of the features, rounded up."),
    )
    delphi_round = models.PositiveSmallIntegerField(_("Delphi round"), default=1, editable=False)
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
                condition=models.Q(delphi_round__in=[1, 2]), name="consultation_delphi_round_1_or_2"
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

    def has_closed(self, at=None) -> bool:
        return self.is_released and (at or timezone.now()) >= self.closes_at

    def reminder_due_at(self):
        """When the scheduled reminder goes out, or None when none is scheduled."""
        if self.reminder_days_before is None:
            return None
        return self.closes_at - timezone.timedelta(days=self.reminder_days_before)

    def budget(self, feature_count: int | None = None) -> int:
        if self.points_budget:
            return self.points_budget
        count = feature_count if feature_count is not None else self.features.count()
        return max(1, math.ceil(count / 4))


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
    support (1), points (≥ 1), or a Delphi rating (1–9); the database enforces each."""

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
                    | models.Q(kind="rating", value__gte=1, value__lte=9)
                ),
                name="vote_value_fits_kind",
            ),
            models.CheckConstraint(condition=models.Q(round__in=[1, 2]), name="vote_round_1_or_2"),
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
