"""Who may put an idea forward, decided once, with the reason shown to the person; and the
permission names. Managers review ideas through the model permissions of the "PPIE managers"
role (cms.roles: view and change ideas)."""

from dataclasses import dataclass

import rules
from django.utils.translation import gettext as _

from engagement.membership.models import Member
from engagement.membership.selectors import member_for

REVIEW = "engagement.change_idea"  # model permission held by PPIE managers
SUGGEST = "engagement.suggest_idea"


@dataclass(frozen=True)
class Decision:
    may_suggest: bool
    reason: str = ""


def suggest(member: Member | None) -> Decision:
    if member is None:
        return Decision(False, _("Only members of the stakeholder group can suggest ideas."))
    if member.status == Member.Status.PENDING:
        return Decision(
            False, _("Please confirm your email address first, using the link we sent you.")
        )
    if member.status == Member.Status.WITHDRAWN:
        return Decision(False, _("You have left the stakeholder group."))
    if member.status != Member.Status.ACTIVE:
        return Decision(
            False, _("Your membership is paused, so you cannot suggest ideas at the moment.")
        )
    return Decision(True)


@rules.predicate
def may_suggest(user) -> bool:
    return suggest(member_for(user)).may_suggest


rules.add_perm(SUGGEST, may_suggest)
