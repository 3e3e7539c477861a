"""Background jobs of event registrations: the reminder the day before. Run by `manage.py
db_worker` in production (TASKS_BACKEND=database); `manage.py send_due_reminders` is the daily
safety net for a worker that was down."""

from django.utils import timezone
from django_tasks import task

from engagement.events.models import RegistrationSettings


@task()
def send_event_reminders(*, settings_id: int) -> int:
    """Send the event's reminders if their time has come; if the event moved later meanwhile,
    wait for the new time. Each person is reminded once, however often this runs. Returns how
    many were emailed."""
    from engagement.events import services

    settings = RegistrationSettings.objects.select_related("event").filter(pk=settings_id).first()
    if settings is None:
        return 0
    due = settings.reminder_due_at()
    if due > timezone.now():
        services.queue_reminders(settings_id=settings_id, at=due)
        return 0
    return len(services.send_reminders(settings=settings) or [])
