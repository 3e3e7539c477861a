"""Who may take part in a consultation, decided once, in `take_part()`, with the reason shown to
the person; and each permission built on it declared once, by name, for views and templates
(django-rules). Services (engagement.consultations.services.check_can_respond, and feedback's
reviews through it), the consultation and feedback views, and templates all ask this module.

Model permissions for the Wagtail admin come from the "PPIE managers" role (cms.roles)."""

from dataclasses import dataclass

import rules
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from engagement.common.dates import long_date
from engagement.consultations.models import Consultation, Feature, Invitation, Vote
from engagement.membership.models import Member
from engagement.membership.selectors import member_for

MANAGE = "engagement.change_consultation"  # model permission held by PPIE managers
TAKE_PART = "engagement.take_part"  # may open the consultation's page
VOTE = "engagement.vote"  # may answer now: vote, answer polls, send reviews
SEE_RESULTS = "engagement.see_results"


@dataclass(frozen=True)
class Decision:
    """What a person may do with a consultation, and why not, in words for them."""

    may_answer: bool  # vote, answer polls and send reviews, now
    in_audience: bool  # one of the members it is for (may open it, see their own answers)
    reason: str = ""  # why they may not answer ("" when they may)
    # Score the features in this Delphi round: from round 2 on, only those who finished the
    # round before (unless the manager lets everyone in). Polls and reviews do not depend on it.
    asked_this_round: bool = True
    vote_reason: str = ""

    @property
    def may_vote(self) -> bool:
        return self.may_answer and self.asked_this_round


def take_part(member: Member | None, consultation: Consultation, *, at=None) -> Decision:
    """May this member answer this consultation now? Who they are first (a member, confirmed,
    not paused, in the audience), then when it is (open, not yet open, closed)."""
    if member is None:
        return Decision(False, False, _("Only members of the stakeholder group can take part."))
    if member.status == Member.Status.PENDING:
        return Decision(
            False, False, _("Please confirm your email address first, using the link we sent you.")
        )
    if member.status == Member.Status.WITHDRAWN:
        return Decision(False, False, _("You have left the stakeholder group."))
    if member.status != Member.Status.ACTIVE:
        return Decision(
            False, False, _("Your membership is paused, so you cannot take part at the moment.")
        )
    if not consultation.is_released:  # a draft: only managers see it, to check it
        return Decision(False, False, _("This consultation has not opened yet."))
    if (
        consultation.audience == Consultation.Audience.INVITED
        and not Invitation.objects.filter(consultation=consultation, member=member).exists()
    ):
        return Decision(False, False, _("This consultation is for invited members only."))
    if consultation.has_closed(at):
        return Decision(
            False,
            True,
            _("This consultation closed on %(date)s, so answers can no longer be changed.")
            % {"date": long_date(consultation.closes_at)},
        )
    if not consultation.is_open(at):
        return Decision(False, True, _("This consultation has not opened yet."))
    if not finished_round_before(member, consultation):
        return Decision(
            True,
            True,
            asked_this_round=False,
            vote_reason=_(
                "Round %(r)d is for the people who scored every feature in round %(before)d. "
                "You can still see the results and answer anything else here. Thank you for "
                "your help so far."
            )
            % {"r": consultation.delphi_round, "before": consultation.delphi_round - 1},
        )
    return Decision(True, True)


def finished_round_before(member: Member, consultation: Consultation) -> bool:
    """In a Delphi round after the first: did this member answer every feature (a score or
    "unable to score") in the round before? Always True for round 1, other methods, and when
    the manager lets everyone take part in every round. One query when it asks."""
    if (
        consultation.voting_method != Consultation.Method.DELPHI
        or consultation.delphi_round < 2
        or consultation.delphi_open_to_all_rounds
    ):
        return True
    # Asked once per request however many parts of a page ask: cached on the member object.
    cache = member.__dict__.setdefault("_finished_round_cache", {})
    key = (consultation.pk, consultation.delphi_round)
    if key not in cache:
        answered = Vote.objects.filter(
            feature=OuterRef("pk"), member=member, round=consultation.delphi_round - 1
        )
        cache[key] = (
            not Feature.objects.filter(consultation=consultation).filter(~Exists(answered)).exists()
        )
    return cache[key]


def decision_for(user, consultation: Consultation) -> Decision:
    """take_part() for a signed-in person, decided once per request: cached on the user object,
    as Django caches a user's permissions."""
    # Through getattr/setattr, not __dict__: request.user is a lazy wrapper whose attributes go
    # to the user object, which is what permission checks (rules' backend) are handed.
    cache = getattr(user, "_take_part_cache", None)
    if cache is None:
        cache = user._take_part_cache = {}
    if consultation.pk not in cache:
        cache[consultation.pk] = take_part(member_for(user), consultation)
    return cache[consultation.pk]


@rules.predicate
def is_manager(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(MANAGE))


@rules.predicate
def is_in_audience(user, consultation: Consultation) -> bool:
    return decision_for(user, consultation).in_audience


@rules.predicate
def may_answer(user, consultation: Consultation) -> bool:
    return decision_for(user, consultation).may_answer


@rules.predicate
def results_published(user, consultation: Consultation) -> bool:
    if consultation.results_visibility == Consultation.Visibility.LIVE:
        return True
    if consultation.results_visibility == Consultation.Visibility.AFTER_CLOSE:
        return consultation.has_closed()
    return False


rules.add_perm(TAKE_PART, is_manager | is_in_audience)
rules.add_perm(VOTE, may_answer)
rules.add_perm(SEE_RESULTS, is_manager | (is_in_audience & results_published))
