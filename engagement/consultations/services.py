"""Every write with a rule in a consultation: votes, polls, rounds, invitations, reminders."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.site_url import absolute
from engagement.common.tasks import send_templated
from engagement.common.text import clean_text
from engagement.consultations.models import Consultation, Invitation, Poll, PollAnswer, Vote
from engagement.consultations.rules import take_part
from engagement.consultations.selectors import invitation_context, readiness
from engagement.involvement.models import ActivityType
from engagement.involvement.services import record_response
from engagement.membership.models import Member

VOTE_KIND = {
    Consultation.Method.SUPPORT: Vote.Kind.SUPPORT,
    Consultation.Method.POINTS: Vote.Kind.POINTS,
    Consultation.Method.DELPHI: Vote.Kind.RATING,
}


def check_can_respond(
    *, member: Member, consultation: Consultation, assisted_by=None, voting: bool = False
) -> None:
    """Refuse an answer that take_part() does not allow, with its reason. A manager entering
    answers for a member (assisted_by) is held to the same rule as the member. Votes (voting)
    also need the member to be asked in this Delphi round (Decision.may_vote)."""
    decision = take_part(member, consultation)
    if not decision.may_answer:
        raise ValidationError(decision.reason)
    if voting and not decision.may_vote:
        raise ValidationError(decision.vote_reason)


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
    """Set this member's votes on some features of a consultation (None removes one; for
    supports and points 0 does too; for a Delphi rating 0 is Vote.UNABLE_TO_SCORE, kept as an
    answer). All or nothing: the points budget is checked with the member's row locked, so two
    tabs submitting at once cannot overspend it."""
    consultation = Consultation.objects.get(pk=consultation.pk)
    check_can_respond(
        member=member, consultation=consultation, assisted_by=assisted_by, voting=True
    )
    Member.objects.select_for_update().filter(pk=member.pk).first()  # serialise this member
    features = {f.pk: f for f in consultation.features.all()}
    unknown = set(values) - set(features)
    if unknown:
        raise ValidationError(_("That feature is not part of this consultation."))
    method = consultation.voting_method
    kind = VOTE_KIND[method]
    vote_round = consultation.delphi_round if method == Consultation.Method.DELPHI else 1
    cleaned: dict[int, int | None] = {}
    for feature_id, value in values.items():
        if value in (None, ""):
            cleaned[feature_id] = None
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(_("Enter a whole number."))
        if value < 0:
            if kind == Vote.Kind.RATING:
                raise ValidationError(_("Choose a rating from 1 to 9."))
            raise ValidationError(_("Points cannot be negative."))
        if kind == Vote.Kind.SUPPORT and value not in (0, 1):
            raise ValidationError(_("You can support a feature once."))
        if kind == Vote.Kind.RATING and not 0 <= value <= 9:
            raise ValidationError(_("Choose a rating from 1 to 9."))
        cleaned[feature_id] = value if value or kind == Vote.Kind.RATING else None
    existing = {
        v.feature_id: v
        for v in Vote.objects.filter(member=member, consultation=consultation, round=vote_round)
    }
    if kind == Vote.Kind.POINTS:
        budget = consultation.budget(len(features))
        total = sum(v.value for fid, v in existing.items() if fid not in cleaned)
        total += sum(v or 0 for v in cleaned.values())
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
        if value is None:
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
def open_next_delphi_round(*, consultation: Consultation) -> Consultation:
    """Open the next Delphi round (as many as the manager opens): from now on members score
    again, seeing the round before beside their own score; the earlier rounds' answers stay.
    Only while it is open, so the next round has time to be answered."""
    consultation = _locked(consultation)
    if consultation.voting_method != Consultation.Method.DELPHI:
        raise ValidationError(_("Only Delphi consultations have rounds."))
    if not consultation.is_open():
        if consultation.has_closed():
            raise ValidationError(_("This consultation has closed. Reopen it first."))
        raise ValidationError(_("Round 1 has not opened yet."))
    if not Vote.objects.filter(consultation=consultation, round=consultation.delphi_round).exists():
        raise ValidationError(
            _("Nobody has answered round %(r)d yet, so there is nothing to show in the next one.")
            % {"r": consultation.delphi_round}
        )
    consultation.delphi_round += 1
    consultation.save(update_fields=["delphi_round"])
    return consultation


def _consultation_email(*, member: Member, consultation: Consultation, template: str, extra=None):
    """Queue one of a consultation's emails to a member, after the commit. Never to a member
    who asked to be called or texted instead (wants_email)."""
    if not wants_email(member):
        return
    context = {
        "member": member,
        "consultation": consultation,
        "url": absolute(consultation.get_absolute_url()),
        **(extra or {}),
    }
    email = member.user.email
    transaction.on_commit(lambda: send_templated(template, email, context))


def wants_email(member: Member) -> bool:
    """Email only members who have an account and chose email (the default) as their contact:
    those who chose a phone call or a text are listed for the manager to call instead."""
    return bool(member.user_id) and member.contact_preference == Member.ContactPreference.EMAIL


# --- Lifecycle: draft, scheduled, open, closed -------------------------------------------------


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


@transaction.atomic
def release(*, consultation: Consultation) -> Consultation:
    """Open a draft now, or schedule it for its opening time when that is still to come:
    members see it from then on. Refused while anything on the checklist blocks it
    (selectors.readiness)."""
    consultation = _locked(consultation)
    if consultation.is_released:
        raise ValidationError(_("This consultation is already open or scheduled."))
    blockers = [
        check.message for check in readiness(consultation) if check.blocking and not check.ok
    ]
    if blockers:
        what = " ".join(str(blocker) for blocker in blockers)
        raise ValidationError(_("It cannot open yet: %(what)s") % {"what": what})
    now = timezone.now()
    if consultation.closes_at <= now:
        raise ValidationError(
            {"closes_at": _("Its closing date has passed: set a later one first.")}
        )
    consultation.released_at = now
    if consultation.voting_method == Consultation.Method.POINTS:
        # Fixed now: a feature added later must not change anyone's budget mid-vote.
        consultation.fixed_points_budget = consultation.budget()
    consultation.save(update_fields=["released_at", "fixed_points_budget"])
    return consultation


@transaction.atomic
def open_now(*, consultation: Consultation) -> Consultation:
    """Open at once, also when it was scheduled for later (its opening time becomes now)."""
    consultation = _locked(consultation)
    now = timezone.now()
    if consultation.is_open(now):
        raise ValidationError(_("This consultation is already open."))
    if consultation.has_closed(now):
        raise ValidationError(_("This consultation has closed. Reopen it instead."))
    if not consultation.is_released:
        consultation = release(consultation=consultation)
    if consultation.opens_at > now:
        consultation.opens_at = now
        consultation.save(update_fields=["opens_at"])
    return consultation


@transaction.atomic
def unschedule(*, consultation: Consultation) -> Consultation:
    """A scheduled consultation that has not opened yet goes back to being a draft."""
    consultation = _locked(consultation)
    if consultation.status() != Consultation.Status.SCHEDULED:
        raise ValidationError(
            _("Only a consultation that has not opened yet can go back to draft.")
        )
    consultation.released_at = None
    consultation.fixed_points_budget = None  # worked out again when it is next opened
    consultation.save(update_fields=["released_at", "fixed_points_budget"])
    return consultation


@transaction.atomic
def close_now(*, consultation: Consultation) -> Consultation:
    """Close early: answers are no longer taken from now on (they are all kept)."""
    consultation = _locked(consultation)
    now = timezone.now()
    if not consultation.is_open(now):
        raise ValidationError(_("Only an open consultation can be closed."))
    consultation.closes_at = max(now, consultation.opens_at + timezone.timedelta(seconds=1))
    consultation.save(update_fields=["closes_at"])
    return consultation


@transaction.atomic
def reopen(*, consultation: Consultation, closes_at) -> Consultation:
    """Take answers again, until the new closing time (members' earlier answers stay)."""
    consultation = _locked(consultation)
    if not consultation.has_closed():
        raise ValidationError(_("Only a closed consultation can be reopened."))
    if closes_at is None or closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("Choose a closing date in the future.")})
    consultation.closes_at = closes_at
    consultation.reminders_sent_at = None
    consultation.save(update_fields=["closes_at", "reminders_sent_at"])
    return consultation


@transaction.atomic
def mark_outcome_published(*, consultation: Consultation, published: bool = True) -> None:
    """Its "you said, we did" page went live (or was taken down): called by feedback's outcome
    pages, so the status can say so."""
    Consultation.objects.filter(pk=consultation.pk).update(
        outcome_published_at=timezone.now() if published else None
    )


# --- Invitations and reminders ----------------------------------------------------------------


def check_can_invite(consultation: Consultation) -> None:
    if not consultation.is_released:
        raise ValidationError(
            _(
                "Open it or schedule it first: members cannot see a draft, so the link in the "
                "invitation would not work for them."
            )
        )
    if consultation.has_closed():
        raise ValidationError(_("This consultation has closed, so nobody more can be invited."))


@transaction.atomic
def invite_members(*, consultation: Consultation, members: Iterable[Member]) -> list[Invitation]:
    """Invite active members who are not invited yet; those who want email get the invitation
    email (the others are listed for the manager to call). Returns the new invitations.
    Not once the consultation has closed. Two invitations sent at once (a double click) wait
    for each other on the consultation's row, so nobody is emailed twice."""
    consultation = _locked(consultation)
    check_can_invite(consultation)
    already = set(
        Invitation.objects.filter(consultation=consultation).values_list("member_id", flat=True)
    )
    new = [
        m for m in members if m.pk not in already and m.status == Member.Status.ACTIVE and m.user_id
    ]
    invitations = Invitation.objects.bulk_create(
        [Invitation(consultation=consultation, member=m) for m in new], ignore_conflicts=True
    )
    extra = invitation_context(consultation)
    for member in new:
        _consultation_email(
            member=member,
            consultation=consultation,
            template="consultations/email/invitation",
            extra=extra,
        )
    return invitations


@transaction.atomic
def send_reminders(*, consultation: Consultation) -> list[Invitation]:
    """Remind, once each, the invited members who have not responded yet: an email to those who
    want email; the rest are marked reminded only when the manager has called them (not here).
    Returns the invitations reminded by email."""
    consultation = _locked(consultation)
    if not consultation.is_open():
        raise ValidationError(_("Reminders can only be sent while the consultation is open."))
    pending = [
        invitation
        for invitation in (
            # Lock only the invitations: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer join to member.user.
            Invitation.objects.select_for_update(of=("self",))
            .filter(consultation=consultation, responded_at__isnull=True, reminded_at__isnull=True)
            .filter(member__status=Member.Status.ACTIVE)
            .select_related("member__user")
        )
        if wants_email(invitation.member)
    ]
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(reminded_at=now)
    for invitation in pending:
        _consultation_email(
            member=invitation.member,
            consultation=consultation,
            template="consultations/email/reminder",
        )
    consultation.reminders_sent_at = now
    consultation.save(update_fields=["reminders_sent_at"])
    return pending


@transaction.atomic
def schedule_reminders(*, consultation: Consultation, days_before: int | None) -> Consultation:
    """Send the reminders by themselves, `days_before` days before it closes (None: don't).
    Queued with the task backend (`manage.py db_worker` in production runs it then);
    `manage.py send_due_reminders` sends any that are due where the backend cannot wait."""
    consultation = _locked(consultation)
    if days_before is not None:
        if days_before < 1:
            raise ValidationError({"days_before": _("Choose at least 1 day.")})
        due = consultation.closes_at - timezone.timedelta(days=days_before)
        if due <= timezone.now():
            raise ValidationError(
                {"days_before": _("That day has passed: send the reminders now instead.")}
            )
    consultation.reminder_days_before = days_before
    consultation.save(update_fields=["reminder_days_before"])
    if days_before is not None:
        due = consultation.reminder_due_at()
        consultation_id = consultation.pk
        transaction.on_commit(lambda: queue_reminders(consultation_id=consultation_id, at=due))
    return consultation


def queue_reminders(*, consultation_id: int, at) -> bool:
    """Queue the scheduled reminders to run at `at`; False when the task backend cannot wait
    (the immediate backend used in development: send_due_reminders covers it)."""
    from engagement.consultations.tasks import send_scheduled_reminders

    if not send_scheduled_reminders.get_backend().supports_defer:
        return False
    send_scheduled_reminders.using(run_after=at).enqueue(consultation_id=consultation_id)
    return True


def send_due_reminders(*, consultation: Consultation, now=None) -> list[Invitation] | None:
    """The scheduled reminders of this consultation, if their time has come and they have not
    gone yet; None when nothing was due. Safe to run any number of times."""
    now = now or timezone.now()
    due = consultation.reminder_due_at()
    if due is None or due > now or consultation.reminders_sent_at or not consultation.is_open(now):
        return None
    return send_reminders(consultation=consultation)


@transaction.atomic
def answer_invitation(
    *, member: Member, consultation: Consultation, access_needs: str
) -> Invitation:
    """An invited member says what would make taking part easier (or clears it)."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(consultation=consultation, member=member)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("You have not been invited to this consultation."))
    invitation.access_needs = clean_text(access_needs, max_length=1000)
    invitation.full_clean()
    invitation.save(update_fields=["access_needs"])
    return invitation


def erase_free_text(*, member_ids=None, consultation_ids=None) -> int:
    """Blank "other" answers and invitation access needs (the ERASE_FREE_TEXT hook). An "other"
    answer with no choice is deleted (its text was all it said)."""
    answers = PollAnswer.objects.all()
    invitations = Invitation.objects.exclude(access_needs="")
    if member_ids is not None:
        answers = answers.filter(member_id__in=member_ids)
        invitations = invitations.filter(member_id__in=member_ids)
    if consultation_ids is not None:
        answers = answers.filter(poll__consultation_id__in=consultation_ids)
        invitations = invitations.filter(consultation_id__in=consultation_ids)
    deleted, _rows = answers.filter(choice__isnull=True).delete()
    blanked = answers.exclude(other_text="").update(other_text="")
    return deleted + blanked + invitations.update(access_needs="")
