from django.core.management.base import BaseCommand

from engagement.consultations.models import Consultation
from engagement.consultations.services import send_due_reminders
from engagement.events import services as events_services


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


class Command(BaseCommand):
    help = (
        "Send the reminders managers scheduled for N days before a consultation closes, and "
        "the reminders of events the day before, where their time has come. The task worker "
        "does this by itself with TASKS_BACKEND=database; this is for a backend that cannot "
        "wait (or as a daily safety net). Safe to rerun: nobody is reminded twice."
    )

    def handle(self, *args, **options):
        total = 0
        for consultation in Consultation.objects.open_now().filter(
            reminder_days_before__isnull=False, reminders_sent_at__isnull=True
        ):
            sent = send_due_reminders(consultation=consultation)
            if sent is not None:
                total += len(sent)
                self.stdout.write(f"{consultation}: {plural(len(sent), 'reminder')} emailed.")
        self.stdout.write(f"Done: {plural(total, 'reminder')} emailed.")
        events = 0
        for settings, reminded in events_services.send_due_reminders().items():
            events += len(reminded)
            self.stdout.write(f"{settings}: {plural(len(reminded), 'event reminder')} emailed.")
        self.stdout.write(f"Done: {plural(events, 'event reminder')} emailed.")
