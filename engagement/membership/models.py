"""The stakeholder group: accounts (email only), members, their roles and stakeholder groups,
campaigns (what a QR code points at), and versioned consent texts with the records of who agreed
to which version."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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


def stakeholder_group_or_none(value) -> str | None:
    """A stakeholder group code from a URL's ?group=, or None (every group) for anything else."""
    return value if value in StakeholderGroup.values else None


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
    PHONE = "phone", _("Contact me by phone or text message")
    EQUALITY = "equality", _("Use my equality monitoring answers")


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
    """One change to one agreement, never rewritten: agreeing to a version is a record, and
    taking it back is a new record (action "withdrawn", at the moment it was taken back) that
    also marks the agreement it ends with the same moment. An agreement is in force while its
    record has no `withdrawn_at`."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Agreed")
        WITHDRAWN = "withdrawn", _("Took back")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text"), on_delete=models.PROTECT, related_name="records"
    )
    action = models.CharField(
        _("change"), max_length=10, choices=Action.choices, default=Action.GIVEN
    )
    given_at = models.DateTimeField(_("when"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ended"), null=True, blank=True)
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
            ),
            # A record of taking an agreement back is never itself in force.
            models.CheckConstraint(
                condition=models.Q(action="given") | models.Q(withdrawn_at__isnull=False),
                name="consent_withdrawal_record_is_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.text}"
