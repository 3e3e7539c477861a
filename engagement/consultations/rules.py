"""Who may do what with a consultation: each permission declared once, by name, and checked by
name in views and templates (django-rules). Model permissions for the Wagtail admin come from
the "PPIE managers" role (cms.roles)."""

import rules

from engagement.consultations.models import Consultation, Invitation
from engagement.membership.models import Member
from engagement.membership.selectors import member_for

MANAGE = "engagement.change_consultation"  # model permission held by PPIE managers


TAKE_PART = "engagement.take_part"


VOTE = "engagement.vote"


SEE_RESULTS = "engagement.see_results"


@rules.predicate
def is_manager(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(MANAGE))


@rules.predicate
def is_active_member(user) -> bool:
    member = member_for(user)
    return bool(member and member.status == Member.Status.ACTIVE)


@rules.predicate
def is_in_audience(user, consultation: Consultation) -> bool:
    member = member_for(user)
    if not member or member.status != Member.Status.ACTIVE:
        return False
    if consultation.audience == Consultation.Audience.ALL_ACTIVE:
        return True
    return Invitation.objects.filter(consultation=consultation, member=member).exists()


@rules.predicate
def is_open(user, consultation: Consultation) -> bool:
    return consultation.is_open()


@rules.predicate
def results_published(user, consultation: Consultation) -> bool:
    if consultation.results_visibility == Consultation.Visibility.LIVE:
        return True
    if consultation.results_visibility == Consultation.Visibility.AFTER_CLOSE:
        return consultation.has_closed()
    return False


rules.add_perm(TAKE_PART, is_manager | is_in_audience)


rules.add_perm(VOTE, is_in_audience & is_open)


rules.add_perm(SEE_RESULTS, is_manager | (is_in_audience & results_published))
