"""Writes for equality monitoring: saving answers (with the member's explicit agreement) and
deleting them."""

from django.db import transaction
from django.utils import timezone

from engagement.equality.models import EqualityAnswers
from engagement.membership import services as membership_services
from engagement.membership.models import Channel, ConsentPurpose, Member


@transaction.atomic
def save_answers(*, member: Member, answers: dict) -> EqualityAnswers:
    """Agree to equality monitoring (no-op when already agreed) and store the answers."""
    membership_services.give_consent(
        member=member, purpose=ConsentPurpose.EQUALITY, channel=Channel.WEB
    )
    record, _created = EqualityAnswers.objects.update_or_create(
        member=member, defaults={**answers, "updated_at": timezone.now()}
    )
    return record


def erase_answers(*, member_ids) -> int:
    """The erase_equality_answers hook: the member deleted them, took the agreement back or
    left."""
    deleted, _rows = EqualityAnswers.objects.filter(member_id__in=member_ids).delete()
    return deleted
