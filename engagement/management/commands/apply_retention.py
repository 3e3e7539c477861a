"""Daily (e.g. from cron): erase what has been kept as long as it may be.

- Finance records of former members past their date (FINANCE_RETENTION_YEARS after the tax
  year of the payment), with their receipts.
- Event registrations of events that ended more than EVENT_RETENTION_DAYS ago (30 by default):
  the access and dietary needs given, and the names and email addresses of visitors who are not
  members; places and attendance stay as counts.
- When FREE_TEXT_RETENTION_MONTHS is set (off by default): the free text written in
  consultations that closed more than that many months ago (comments, "other" answers,
  suggested wording, access needs given for them), through the erase_free_text hook; ratings
  and choices stay.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from engagement.consultations.models import Consultation
from engagement.events.services import erase_after_events
from engagement.involvement.services import erase_expired_finance_records
from engagement.membership import hooks


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    month = moment.month - months
    year = moment.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


class Command(BaseCommand):
    help = "Erase finance records and free text that have passed their retention period."

    def handle(self, *args, **options):
        finance = erase_expired_finance_records()
        self.stdout.write(f"Erased {finance} finance record(s) past their retention date.")
        days = settings.EVENT_RETENTION_DAYS
        if days:
            rows = erase_after_events(ended_before=timezone.now() - datetime.timedelta(days=days))
            self.stdout.write(
                f"Erased the needs, and visitors' names and addresses, of {rows} event "
                f"registration(s) for events that ended more than {days} days ago."
            )
        months = settings.FREE_TEXT_RETENTION_MONTHS
        if not months:
            self.stdout.write("Free text is kept (FREE_TEXT_RETENTION_MONTHS is not set).")
            return
        cutoff = months_before(timezone.now(), months)
        ids = list(Consultation.objects.filter(closes_at__lt=cutoff).values_list("pk", flat=True))
        with transaction.atomic():
            rows = hooks.erase_free_text(consultation_ids=ids) if ids else 0
        self.stdout.write(
            f"Erased the free text of {rows} answer(s) in {len(ids)} consultation(s) closed "
            f"more than {months} months ago."
        )
