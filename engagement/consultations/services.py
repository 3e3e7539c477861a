"""Every write with a rule in a consultation: votes, polls, rounds, invitations, reminders."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.common.tasks import send_templated
from engagement.consultations.models import Consultation, Invitation, Poll, PollAnswer, Vote
from engagement.consultations.rules import take_part
from engagement.involvement.models import ActivityType
from engagement.involvement.services import record_response
from engagement.membership.models import Member

VOTE_KIND = {
    Consultation.Method.SUPPORT: Vote.Kind.SUPPORT,
    Consultation.Method.POINTS: Vote.Kind.POINTS,
    Consultation.Method.DELPHI: Vote.Kind.RATING,
}


def check_can_respond(*, member: Member, consultation: Consultation, assisted_by=None) -> None:
    """Refuse an answer that take_part() does not allow, with its reason. A manager entering
    answers for a member (assisted_by) is held to the same rule as the member."""
    decision = take_part(member, consultation)
    if not decision.may_answer:
        raise ValidationError(decision.reason)


def mark_responded(*, member: Member, consultation: Consultation) -> None:
    Invitation.objects.filter(
        consultation=consultation, member=member, responded_at__isnull=True
    ).update(responded_at=timezone.now())


@transaction.atomic
def cast_votes(
    *,
    member: Member,
    consultation: Consultation,
    values: dict[int, int | None],
    assisted_by=None,
) -> None:
    """Set this member's votes on some features of a consultation (None or 0 removes one).
    All or nothing: the points budget is checked with the member's row locked, so two tabs
    submitting at once cannot overspend it."""
    consultation = Consultation.objects.get(pk=consultation.pk)
    check_can_respond(member=member, consultation=consultation, assisted_by=assisted_by)
    Member.objects.select_for_update().filter(pk=member.pk).first()  # serialise this member
    features = {f.pk: f for f in consultation.features.all()}
    unknown = set(values) - set(features)
    if unknown:
        raise ValidationError(_("That feature is not part of this consultation."))
    method = consultation.voting_method
    kind = VOTE_KIND[method]
    vote_round = consultation.delphi_round if method == Consultation.Method.DELPHI else 1
    cleaned: dict[int, int] = {}
    for feature_id, value in values.items():
        value = 0 if value in (None, "") else value
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(_("Enter a whole number."))
        if value < 0:
            if kind == Vote.Kind.RATING:
                raise ValidationError(_("Choose a rating from 1 to 9."))
            raise ValidationError(_("Points cannot be negative."))
        if kind == Vote.Kind.SUPPORT and value not in (0, 1):
            raise ValidationError(_("You can support a feature once."))
        if kind == Vote.Kind.RATING and value and not 1 <= value <= 9:
            raise ValidationError(_("Choose a rating from 1 to 9."))
        cleaned[feature_id] = value
    existing = {
        v.feature_id: v
        for v in Vote.objects.filter(member=member, consultation=consultation, round=vote_round)
    }
    if kind == Vote.Kind.POINTS:
        budget = consultation.budget(len(features))
        total = sum(v.value for fid, v in existing.items() if fid not in cleaned)
        total += sum(cleaned.values())
        if total > budget:
            raise ValidationError(
                _(
                    "You have %(budget)d points to spend. These choices add up to %(total)d. "
                    "Take some points away and try again."
                )
                % {"budget": budget, "total": total}
            )
    for feature_id, value in cleaned.items():
        current = existing.get(feature_id)
        if not value:
            if current is not None:
                current.delete()
            continue
        if current is None:
            vote = Vote(
                consultation=consultation,
                feature_id=feature_id,
                member=member,
                kind=kind,
                value=value,
                round=vote_round,
                assisted_by=assisted_by,
            )
            vote.full_clean(validate_unique=False)
            vote.save()
        elif current.value != value or current.assisted_by_id != getattr(assisted_by, "pk", None):
            current.value = value
            current.assisted_by = assisted_by
            current.save(update_fields=["value", "assisted_by", "updated_at"])
    mark_responded(member=member, consultation=consultation)
    record_response(member=member, consultation=consultation, activity_type=ActivityType.VOTING)


@transaction.atomic
def answer_poll(
    *,
    member: Member,
    poll: Poll,
    choice_ids: Iterable[int],
    other_text: str = "",
    assisted_by=None,
) -> None:
    """Replace this member's answer to a poll (one answer set per member)."""
    poll = Poll.objects.select_related("consultation").get(pk=poll.pk)
    check_can_respond(member=member, consultation=poll.consultation, assisted_by=assisted_by)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    choice_ids = {int(c) for c in choice_ids}
    valid = set(poll.choices.values_list("pk", flat=True))
    if choice_ids - valid:
        raise ValidationError(_("Choose from the options shown."))
    other_text = " ".join((other_text or "").split())
    if other_text and not poll.allow_other:
        raise ValidationError(_("This question has no “Other” answer."))
    if len(other_text) > 300:
        raise ValidationError(_("Please keep “Other” to 300 characters or fewer."))
    picked = len(choice_ids) + (1 if other_text else 0)
    if picked == 0:
        raise ValidationError(_("Choose an answer."))
    if poll.kind == Poll.Kind.SINGLE and picked > 1:
        raise ValidationError(_("Choose one answer only."))
    PollAnswer.objects.filter(poll=poll, member=member).delete()
    PollAnswer.objects.bulk_create(
        [
            PollAnswer(poll=poll, member=member, choice_id=c, assisted_by=assisted_by)
            for c in sorted(choice_ids)
        ]
        + (
            [PollAnswer(poll=poll, member=member, other_text=other_text, assisted_by=assisted_by)]
            if other_text
            else []
        )
    )
    mark_responded(member=member, consultation=poll.consultation)
    record_response(member=member, consultation=poll.consultation, activity_type=ActivityType.POLL)


@transaction.atomic
def open_delphi_round_two(*, consultation: Consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.voting_method != Consultation.Method.DELPHI:
        raise ValidationError(_("Only Delphi consultations have rounds."))
    if consultation.delphi_round != 1:
        raise ValidationError(_("The second round is already open."))
    if consultation.has_closed():
        raise ValidationError(_("This consultation has closed."))
    consultation.delphi_round = 2
    consultation.save(update_fields=["delphi_round"])
    return consultation


def _consultation_email(*, request, member: Member, consultation: Consultation, template: str):
    if not member.user_id:
        return
    url = settings.PUBLIC_BASE_URL + consultation.get_absolute_url()
    context = {"member": member, "consultation": consultation, "url": url}
    email = member.user.email
    transaction.on_commit(lambda: send_templated(template, email, context))


@transaction.atomic
def invite_members(*, request, consultation: Consultation, members: Iterable[Member]) -> int:
    """Invite active members who are not invited yet; each gets an email. Returns how many.
    Not once the consultation has closed. Two invitations sent at once (a double click) wait for
    each other on the consultation's row, so nobody is emailed twice."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.has_closed():
        raise ValidationError(_("This consultation has closed, so nobody more can be invited."))
    already = set(
        Invitation.objects.filter(consultation=consultation).values_list("member_id", flat=True)
    )
    new = [
        m for m in members if m.pk not in already and m.status == Member.Status.ACTIVE and m.user_id
    ]
    Invitation.objects.bulk_create(
        [Invitation(consultation=consultation, member=m) for m in new], ignore_conflicts=True
    )
    for member in new:
        _consultation_email(
            request=request,
            member=member,
            consultation=consultation,
            template="consultations/email/invitation",
        )
    return len(new)


@transaction.atomic
def send_reminders(*, request, consultation: Consultation) -> int:
    """Remind invited members who have not responded (once each)."""
    if not consultation.is_open():
        raise ValidationError(_("Reminders can only be sent while the consultation is open."))
    pending = list(
        # Lock only the invitations: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to member.user.
        Invitation.objects.select_for_update(of=("self",))
        .filter(consultation=consultation, responded_at__isnull=True, reminded_at__isnull=True)
        .filter(member__status=Member.Status.ACTIVE)
        .select_related("member__user")
    )
    now = timezone.now()
    for invitation in pending:
        invitation.reminded_at = now
        invitation.save(update_fields=["reminded_at"])
        _consultation_email(
            request=request,
            member=invitation.member,
            consultation=consultation,
            template="consultations/email/reminder",
        )
    return len(pending)
