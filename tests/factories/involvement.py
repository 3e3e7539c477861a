"""Involvement records, as a PPIE manager enters them."""

import datetime
from decimal import Decimal

from engagement.involvement.models import ActivityType, InvolvementRecord
from tests.factories.consultations import ConsultationFactory


def make_record(member, **fields) -> InvolvementRecord:
    """An hour-long workshop, £30 offered, nothing chosen yet."""
    values = {
        "member": member,
        "consultation": ConsultationFactory(title="Which app features matter?"),
        "activity_type": ActivityType.MEETING,
        "description": "Design workshop",
        "date": datetime.date(2026, 1, 20),
        "contact_minutes": 60,
        "source": InvolvementRecord.Source.MANAGER,
        "payment_offered": Decimal("30.00"),
        **fields,
    }
    return InvolvementRecord.objects.create(**values)
