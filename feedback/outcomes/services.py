"""Writes for closing the loop: telling participants an outcome is published."""

from django.db import transaction

from cms.site_url import absolute
from engagement.common.tasks import send_templated
from engagement.consultations.selectors import participants
from engagement.membership.models import Member
from feedback.outcomes.models import OutcomeNotice


@transaction.atomic
def notify_outcome(*, page) -> int:
    """Tell every member who took part (once each) that the outcome is published."""
    ids = participants(page.consultation)
    already = set(OutcomeNotice.objects.filter(page=page).values_list("member_id", flat=True))
    members = list(
        Member.objects.filter(
            pk__in=ids - already, status=Member.Status.ACTIVE, user__isnull=False
        ).select_related("user")
    )
    OutcomeNotice.objects.bulk_create(
        [OutcomeNotice(member=m, page=page) for m in members], ignore_conflicts=True
    )
    url = absolute(page.url or "/")
    for member in members:
        context = {"member": member, "page": page, "consultation": page.consultation, "url": url}
        email = member.user.email
        transaction.on_commit(
            lambda email=email, context=context: send_templated(
                "outcomes/email/outcome", email, context
            )
        )
    return len(members)
