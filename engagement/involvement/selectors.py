"""Reads for the involvement log: the rate in force."""

from django.db.models import Q

from engagement.involvement.models import RateCard


def rate_for(*, activity_type: str, on_date) -> RateCard | None:
    return (
        RateCard.objects.filter(activity_type=activity_type, valid_from__lte=on_date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on_date))
        .order_by("-valid_from")
        .first()
    )
