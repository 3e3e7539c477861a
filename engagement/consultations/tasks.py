"""Background jobs of consultations: the reminders a manager scheduled for N days before one
closes. Run by `manage.py db_worker` in production (TASKS_BACKEND=database)."""

from django.utils import timezone
from django_tasks import task

from engagement.consultations.models import Consultation


@task()
def send_scheduled_reminders(*, consultation_id: int) -> int:
    """Send the scheduled reminders if they are due and have not gone yet; if the closing date
    moved later meanwhile, wait for the new time. Returns how many were emailed."""
    from engagement.consultations import services

    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    due = consultation.reminder_due_at()
    if due is not None and due > timezone.now() and not consultation.reminders_sent_at:
        services.queue_reminders(consultation_id=consultation_id, at=due)
        return 0
    sent = services.send_due_reminders(consultation=consultation)
    return len(sent or [])
