"""Every write with a rule about ideas: a member suggests one (cleaned, limited per day, never
twice for a double submit); a manager accepts it into a consultation as a feature, joins it
with a similar idea, or declines it with a reason the member is emailed; erasing their words."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.site_url import absolute
from engagement.common.tasks import send_templated
from engagement.common.text import clean_text
from engagement.consultations.models import Consultation, Feature
from engagement.consultations.selectors import open_consultations_for
from engagement.consultations.services import wants_email
from engagement.ideas.models import DESCRIPTION_MAX, REASON_MAX, TITLE_MAX, Idea
from engagement.ideas.rules import suggest
from engagement.membership.models import Member

DAY = timezone.timedelta(hours=24)


class LimitReached(ValidationError):
    """The member has put forward IDEAS_PER_DAY ideas in the last 24 hours."""


def one_line(value: str | None, *, max_length: int) -> str:
    """A title: cleaned free text on one line."""
    return " ".join(clean_text(value, max_length=max_length).split())


def limit_message(limit: int) -> str:
    return _(
        "You have suggested %(n)d ideas in the last 24 hours, the most we take in a day, so "
        "we could not save this one. Please come back tomorrow: we would like to hear it."
    ) % {"n": limit}


def ideas_in_last_day(member: Member, *, now=None) -> int:
    now = now or timezone.now()
    return Idea.objects.filter(member=member, created_at__gt=now - DAY).count()


def _cleaned(title: str, description: str, *, untitled: str) -> tuple[str, str, dict]:
    """(title, description, errors by field): a title on one line, never empty (`untitled`
    says so), and a description of a few lines, both cleaned as all free text is."""
    errors = {}
    try:
        title = one_line(title, max_length=TITLE_MAX)
    except ValidationError as error:
        errors["title"] = error.messages
    else:
        if not title:
            errors["title"] = [untitled]
    try:
        description = clean_text(description, max_length=DESCRIPTION_MAX)
    except ValidationError as error:
        errors["description"] = error.messages
    return title, description, errors


@transaction.atomic
def suggest_idea(
    *,
    member: Member,
    kind: str,
    title: str,
    description: str = "",
    consultation: Consultation | None = None,
) -> Idea:
    """Put an idea forward. Refused (with the reason) for someone who may not suggest, for a
    consultation they cannot take part in now, and past IDEAS_PER_DAY in 24 hours. The same
    idea sent again (a double click, a refresh, two tabs) is the one already saved."""
    decision = suggest(member)
    if not decision.may_suggest:
        raise ValidationError(decision.reason)
    # Serialise this member's suggestions: two tabs cannot both pass the daily limit.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    title, description, errors = _cleaned(
        title, description, untitled=_("Give your idea a short title")
    )
    if kind not in Idea.Kind.values:
        errors["kind"] = [_("Choose one of the options shown")]
    if consultation is not None and not (
        open_consultations_for(member).filter(pk=consultation.pk).exists()
    ):
        errors["consultation"] = [
            _("That consultation is not open to you now. Choose another, or none.")
        ]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    same = Idea.objects.filter(
        member=member,
        kind=kind,
        title=title,
        description=description,
        consultation=consultation,
        created_at__gt=now - DAY,
    ).first()
    if same is not None:
        return same
    limit = settings.IDEAS_PER_DAY
    if ideas_in_last_day(member, now=now) >= limit:
        raise LimitReached(limit_message(limit), code="limit")
    idea = Idea(
        member=member,
        kind=kind,
        title=title,
        description=description,
        consultation=consultation,
        created_at=now,
    )
    idea.full_clean()
    idea.save()
    return idea


def _locked_new(idea: Idea) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status != Idea.Status.NEW:
        raise ValidationError(
            _("This idea has been decided already: %(s)s.") % {"s": idea.get_status_display()}
        )
    return idea


def _decided(idea: Idea, *, status: str, by) -> None:
    idea.status = status
    idea.decided_at = timezone.now()
    idea.decided_by = by


def _email_member(idea: Idea, template: str, extra: dict | None = None) -> bool:
    """Queue one of the ideas emails to its member after the commit; False when they asked to
    be phoned or texted instead (the manager tells them)."""
    member = Member.objects.select_related("user").get(pk=idea.member_id)
    if member.status != Member.Status.ACTIVE or not wants_email(member):
        return False
    context = {
        "member": member,
        "idea": idea,
        "url": absolute(reverse("engagement:my_ideas")),
        **(extra or {}),
    }
    email = member.user.email
    transaction.on_commit(lambda: send_templated(template, email, context))
    return True


def can_take_features(consultation: Consultation) -> bool:
    """A consultation a feature can still be added to: not closed yet."""
    return not consultation.has_closed()


def consultations_for_features():
    """Consultations that have not closed (drafts included)."""
    now = timezone.now()
    return Consultation.objects.filter(Q(released_at__isnull=True) | Q(closes_at__gt=now))


@transaction.atomic
def accept_idea(
    *, idea: Idea, consultation: Consultation, title: str, description: str = "", by=None
) -> Feature:
    """Take an idea into a consultation as a feature (at the end of its list). The feature
    keeps the link to the idea; the member is told by email (if that is how they want to hear)."""
    idea = _locked_new(idea)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not can_take_features(consultation):
        raise ValidationError(
            {"consultation": _("That consultation has closed, so it cannot take new features.")}
        )
    title, description, errors = _cleaned(
        title, description, untitled=_("Give the feature a title")
    )
    if errors:
        raise ValidationError(errors)
    last = consultation.features.aggregate(n=Max("sort_order"))["n"]
    feature = Feature(
        consultation=consultation,
        title=title,
        description=description,
        sort_order=(last or 0) + 1,
        idea=idea,
    )
    feature.full_clean()
    feature.save()
    _decided(idea, status=Idea.Status.ACCEPTED, by=by)
    idea.save(update_fields=["status", "decided_at", "decided_by"])
    extra = {"consultation": consultation, "feature": feature}
    _email_member(idea, "ideas/email/accepted", extra)
    for joined in idea.merged_ideas.all():  # their ideas were joined with this one
        _email_member(joined, "ideas/email/accepted", {**extra, "joined": True})
    return feature


@transaction.atomic
def merge_idea(*, idea: Idea, into: Idea, by=None) -> Idea:
    """Join an idea with a similar one that is waiting or was taken forward: it then follows
    that one (and so do any ideas joined with it before)."""
    idea = _locked_new(idea)
    into = Idea.objects.select_for_update().get(pk=into.pk)
    if into.pk == idea.pk:
        raise ValidationError({"into": _("An idea cannot be joined with itself.")})
    if into.status not in (Idea.Status.NEW, Idea.Status.ACCEPTED):
        raise ValidationError({"into": _("Choose an idea that is waiting or was taken forward.")})
    _decided(idea, status=Idea.Status.MERGED, by=by)
    idea.merged_into = into
    idea.save(update_fields=["status", "decided_at", "decided_by", "merged_into"])
    Idea.objects.filter(merged_into=idea).update(merged_into=into)
    return idea


@transaction.atomic
def decline_idea(*, idea: Idea, reason: str, by=None) -> bool:
    """Decline an idea with a reason, which the member is emailed. True when it was emailed;
    False when they asked to be phoned or texted instead (they see it on their page too)."""
    idea = _locked_new(idea)
    try:
        reason = clean_text(reason, max_length=REASON_MAX)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    if not reason:
        raise ValidationError({"reason": _("Say why, in a few words: the member is sent it.")})
    _decided(idea, status=Idea.Status.DECLINED, by=by)
    idea.decline_reason = reason
    idea.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
    return _email_member(idea, "ideas/email/declined")


def erase_free_text(*, member_ids=None, consultation_ids=None) -> int:
    """The ERASE_FREE_TEXT hook: blank the words of these members' ideas (and the reason sent
    to them), or of ideas suggested for these consultations. What happened to each idea stays;
    a feature the team made of one is the team's own wording and stays."""
    ideas = Idea.objects.all()
    if member_ids is not None:
        ideas = ideas.filter(member_id__in=member_ids)
    if consultation_ids is not None:
        ideas = ideas.filter(consultation_id__in=consultation_ids)
    return ideas.exclude(title="", description="", decline_reason="").update(
        title="", description="", decline_reason=""
    )
