import math

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account: identified by email only (no username, password optional)."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    PATIENT = "patient", _("I have had, or am having, CAR-T therapy")
    CARER = "carer", _("I care for someone who has had CAR-T therapy (family or friend)")
    PUBLIC = "public", _("Member of the public")
    CLINICIAN = "clinician", _("Doctor, nurse or other health professional")
    RESEARCHER = "researcher", _("Researcher")
    INDUSTRY = "industry", _("Industry")
    CHARITY = "charity", _("Charity or patient group")
    OTHER = "other", _("Other")


class StakeholderGroup(models.TextChoices):
    """The groups results are broken down by, so that no group drowns another."""

    PATIENTS = "patients", _("Patients")
    CARERS = "carers", _("Carers")
    PUBLIC = "public", _("Public")
    PROFESSIONALS = "professionals", _("Professionals")


STAKEHOLDER_GROUP_OF_ROLE = {
    Role.PATIENT: StakeholderGroup.PATIENTS,
    Role.CARER: StakeholderGroup.CARERS,
    Role.PUBLIC: StakeholderGroup.PUBLIC,
    Role.OTHER: StakeholderGroup.PUBLIC,
    Role.CLINICIAN: StakeholderGroup.PROFESSIONALS,
    Role.RESEARCHER: StakeholderGroup.PROFESSIONALS,
    Role.INDUSTRY: StakeholderGroup.PROFESSIONALS,
    Role.CHARITY: StakeholderGroup.PROFESSIONALS,
}


def group_of_role(role: str) -> StakeholderGroup:
    """The stakeholder group a role (stored code) belongs to."""
    return STAKEHOLDER_GROUP_OF_ROLE[Role(role)]


# Roles that say something about a person's (or their family member's) health: storing them is
# special category data and needs its own explicit consent.
HEALTH_ROLES = frozenset({Role.PATIENT, Role.CARER})


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    QR = "qr", _("QR code")
    KIOSK = "kiosk", _("Kiosk at an event")
    ASSISTED = "assisted", _("Entered by a PPIE manager")


class Interest(models.Model):
    """Something a member would like to take part in (managers edit the list)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A sign-up source with a short code: what a QR code on a poster points at."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short and easy to type, e.g. cart-day-2026. It appears in the web address."),
    )
    label = models.CharField(_("label"), max_length=120)
    pitch = models.TextField(
        _("short pitch"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences for the poster and the top of the join page."),
    )
    event = models.ForeignKey(
        "cms.EventPage",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    active_from = models.DateTimeField(_("active from"), null=True, blank=True)
    active_until = models.DateTimeField(_("active until"), null=True, blank=True)
    visit_count = models.PositiveIntegerField(_("visits"), default=0, editable=False)
    signup_count = models.PositiveIntegerField(_("sign-ups"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="campaign_active_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        super().clean()
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("This must be after “active from”.")})

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        if self.active_from and at < self.active_from:
            return False
        return not (self.active_until and at > self.active_until)

    def get_absolute_url(self) -> str:
        return reverse("engagement:join_campaign", kwargs={"code": self.code})


class Member(models.Model):
    """A person in the stakeholder group. The user row goes when they withdraw; this stays,
    anonymised, so their earlier answers still count without saying who gave them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending (email not confirmed)")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ContactPreference(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    display_name = models.CharField(_("name to use"), max_length=80, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    interests = models.ManyToManyField(
        Interest, verbose_name=_("interests"), blank=True, related_name="members"
    )
    access_needs = models.TextField(_("access needs"), max_length=1000, blank=True)
    contact_preference = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("joined via"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-joined_at"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | models.Q(user__isnull=True),
                name="member_withdrawn_has_no_user",
            )
        ]

    def __str__(self) -> str:
        if self.status == self.Status.WITHDRAWN:
            return gettext("Withdrawn member #%(id)s") % {"id": self.pk}
        return self.display_name or gettext("Member #%(id)s") % {"id": self.pk}

    @property
    def email(self) -> str:
        return self.user.email if self.user_id else ""

    @property
    def stakeholder_group(self) -> str:
        return group_of_role(self.role)

    def stakeholder_group_label(self) -> str:
        return self.stakeholder_group.label

    def interest_names(self) -> str:
        return ", ".join(i.name for i in self.interests.all())

    @property
    def has_access_needs(self) -> bool:
        return bool(self.access_needs)


class ConsentPurpose(models.TextChoices):
    JOIN = "join", _("Join the group and be contacted about involvement")
    HEALTH_ROLE = "health_role", _("Store my health-related role")
    QUOTE = "quote", _("Quote my anonymised words in reports")


class ConsentText(models.Model):
    """Exactly what people were told, versioned. A published version is never rewritten: a
    change is a new version, and records keep pointing at the version each person saw."""

    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("version"))
    statement = models.CharField(
        _("statement"),
        max_length=300,
        help_text=_("The sentence next to the tick box, e.g. “I agree to ...”."),
    )
    body = models.TextField(_("full text"), max_length=5000)
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("Leave empty while drafting. The newest published version is shown."),
    )

    class Meta:
        ordering = ["purpose", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="consent_text_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} (v{self.version})"

    def clean(self):
        super().clean()
        if self.pk and self.records.exists():
            old = ConsentText.objects.get(pk=self.pk)
            if (old.purpose, old.version, old.statement, old.body) != (
                self.purpose,
                self.version,
                self.statement,
                self.body,
            ):
                raise ValidationError(
                    _(
                        "People have already agreed to this version, so it cannot be changed. "
                        "Create a new version instead."
                    )
                )


class ConsentRecord(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text"), on_delete=models.PROTECT, related_name="records"
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "text"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_current_record_per_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.text}"


# --- Consultations, features, votes, polls, invitations ----------------------------------------


class Consultation(ClusterableModel):
    """A time-boxed question to the stakeholder group: features to prioritise, polls, and
    (in the feedback app) questionnaires and prototype reviews."""

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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

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

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def has_closed(self, at=None) -> bool:
        return (at or timezone.now()) >= self.closes_at

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


class Poll(ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choose one")
        MULTIPLE = "multiple", _("Choose any")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="polls"
    )
    question = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    allow_other = models.BooleanField(_("offer “Other” with a text box"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["consultation", "sort_order", "pk"]
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

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member"], name="invitation_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.consultation}"


# --- Involvement log, payments and outcome notices ---------------------------------------------


class ActivityType(models.TextChoices):
    VOTING = "voting", _("Voting on features")
    POLL = "poll", _("Answering a poll")
    QUESTIONNAIRE_REVIEW = "questionnaire_review", _("Reviewing a questionnaire")
    PROTOTYPE_REVIEW = "prototype_review", _("Reviewing an app prototype")
    MEETING = "meeting", _("Meeting or workshop")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


# Estimated time for responses given on the website, when nobody enters it by hand.
ESTIMATED_MINUTES = {
    ActivityType.VOTING: 10,
    ActivityType.POLL: 2,
    ActivityType.QUESTIONNAIRE_REVIEW: 30,
    ActivityType.PROTOTYPE_REVIEW: 20,
}


class RateCard(models.Model):
    """What the team offers per activity, valid for a period. National rates change (NIHR raised
    them in December 2025), so they live here, editable, never in code."""

    class Basis(models.TextChoices):
        HOURLY = "hourly", _("Per hour")
        FIXED = "fixed", _("Fixed amount")

    activity_type = models.CharField(_("activity"), max_length=30, choices=ActivityType.choices)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.HOURLY)
    amount = models.DecimalField(_("amount (£)"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["activity_type", "-valid_from"]
        verbose_name = _("rate")
        verbose_name_plural = _("rate card")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="rate_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="rate_valid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_activity_type_display()}: £{self.amount} {self.get_basis_display().lower()}"
        )

    def clean(self):
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("This must be after “valid from”.")})
        overlapping = RateCard.objects.filter(activity_type=self.activity_type).exclude(pk=self.pk)
        for other in overlapping:
            other_end = other.valid_until or timezone.datetime.max.date()
            own_end = self.valid_until or timezone.datetime.max.date()
            if self.valid_from and self.valid_from <= other_end and other.valid_from <= own_end:
                raise ValidationError(
                    _("Another rate for this activity covers some of these dates (%(r)s).")
                    % {"r": other}
                )


def receipt_storage():
    """Private storage (settings.STORAGES["receipts"]): only managers can fetch a receipt."""
    return storages["receipts"]


def validate_receipt(upload) -> None:
    if upload.size > settings.RECEIPT_MAX_BYTES:
        raise ValidationError(
            _("The receipt is too big. Please upload a file of %(size)s or less.")
            % {"size": filesizeformat(settings.RECEIPT_MAX_BYTES)}
        )
    head = upload.read(8)
    upload.seek(0)
    if not (
        head.startswith(b"%PDF") or head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff")
    ):
        raise ValidationError(_("Upload a photo (JPEG or PNG) or a PDF of the receipt."))


class InvolvementRecord(models.Model):
    class PaymentChoice(models.TextChoices):
        NOT_CHOSEN = "", _("Not chosen yet")
        FULL = "full", _("Full payment")
        REDUCED = "reduced", _("A reduced amount")
        DECLINED = "declined", _("No payment, thank you")
        VOUCHER = "voucher", _("A voucher instead")

    class Status(models.TextChoices):
        NOTHING_DUE = "nothing_due", _("Nothing to pay")
        TO_PAY = "to_pay", _("To pay")
        PAID = "paid", _("Paid")

    class Source(models.TextChoices):
        RESPONSE = "response", _("A response on the website")
        MANAGER = "manager", _("Entered by a PPIE manager")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="involvement"
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="involvement",
    )
    activity_type = models.CharField(_("activity"), max_length=30, choices=ActivityType.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveIntegerField(_("minutes (preparation and contact)"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    payment_offered = models.DecimalField(
        _("payment offered (£)"), max_digits=8, decimal_places=2, default=0
    )
    payment_choice = models.CharField(
        _("member's choice"), max_length=10, choices=PaymentChoice.choices, blank=True, default=""
    )
    reduced_amount = models.DecimalField(
        _("reduced amount (£)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    expenses_claimed = models.DecimalField(
        _("expenses claimed (£)"), max_digits=8, decimal_places=2, default=0
    )
    receipt = models.FileField(
        _("receipt"),
        upload_to="receipts/%Y/%m/",
        storage=receipt_storage,
        blank=True,
        validators=[validate_receipt],
    )
    status = models.CharField(
        _("payment status"), max_length=12, choices=Status.choices, default=Status.NOTHING_DUE
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("involvement record")
        verbose_name_plural = _("involvement log")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "consultation", "activity_type"],
                condition=models.Q(source="response"),
                name="involvement_one_auto_record_per_activity",
            ),
            models.CheckConstraint(
                condition=models.Q(payment_offered__gte=0)
                & models.Q(expenses_claimed__gte=0)
                & (models.Q(reduced_amount__isnull=True) | models.Q(reduced_amount__gte=0)),
                name="involvement_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_activity_type_display()} ({self.date})"

    def clean(self):
        super().clean()
        if self.pk:
            before = InvolvementRecord.objects.filter(pk=self.pk).values_list("status", flat=True)
            if list(before) == [self.Status.PAID]:
                raise ValidationError(_("This record has been paid and can no longer be changed."))

    @property
    def amount_due(self):
        from decimal import Decimal

        if self.payment_choice == self.PaymentChoice.FULL:
            fee = self.payment_offered
        elif self.payment_choice == self.PaymentChoice.REDUCED:
            fee = min(self.reduced_amount or Decimal(0), self.payment_offered)
        elif self.payment_choice == self.PaymentChoice.VOUCHER:
            fee = self.payment_offered
        else:
            fee = Decimal(0)
        return fee + self.expenses_claimed


class OutcomeNotice(models.Model):
    """A member who took part was told about an outcome ("you said, we did"): sent once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="outcome_notices")
    page = models.ForeignKey("cms.OutcomePage", on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("outcome notice")
        constraints = [
            models.UniqueConstraint(fields=["member", "page"], name="outcome_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.page}"
