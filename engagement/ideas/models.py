"""Ideas members put forward themselves: something the app could do, or a topic to ask the group
about (optionally for an open consultation). A PPIE manager reviews each one: accepts it into a
consultation as a feature (the Feature keeps the link, Feature.idea), joins it with a similar
idea, or declines it with a reason the member is sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.consultations.models import Consultation
from engagement.membership.models import Member

__all__ = ["Idea"]

TITLE_MAX = 120  # as a feature's title: an accepted idea becomes one
DESCRIPTION_MAX = 600  # as a feature's plain description
REASON_MAX = 1000


class Idea(models.Model):
    class Kind(models.TextChoices):
        FEATURE = "feature", _("Something the app could do")
        TOPIC = "topic", _("A topic to ask the group about")

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for the team to look at it")
        ACCEPTED = "accepted", _("Taken forward")
        MERGED = "merged", _("Joined with a similar idea")
        DECLINED = "declined", _("Not taken forward")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="ideas"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEATURE)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("in a few lines"), max_length=DESCRIPTION_MAX, blank=True)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("suggested for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggested_ideas",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(
        _("why it was not taken forward"), max_length=REASON_MAX, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("joined with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_ideas",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea from a member")
        verbose_name_plural = _("ideas from members")
        indexes = [models.Index(fields=["member", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "accepted", "merged", "declined"]),
                name="idea_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["feature", "topic"]), name="idea_kind_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="idea_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(status="merged"),
                name="idea_joined_only_when_merged",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("(wording deleted)"))
