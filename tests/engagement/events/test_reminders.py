"""The reminder the day before: queued with the task backend when it can wait (db_worker runs
it at 9:00 the day before), and sent by `manage.py send_due_reminders` where it cannot (or the
worker was down). Each person with a place is reminded once, however often either runs."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from engagement.events import services, tasks
from engagement.events.models import Registration
from tests.factories.events import RegistrationSettingsFactory, event_with_places

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def tomorrow_event(site_tree):
    """An event at 10:00 tomorrow with two places taken, one person waiting, one cancelled."""
    event = site_tree["event"]
    day = timezone.localdate() + datetime.timedelta(days=1)
    event.start, event.end = at(day, 10), at(day, 15, 30)
    event.save_revision().publish()
    settings = RegistrationSettingsFactory(event=event, places=2)
    earlier = timezone.now() - datetime.timedelta(days=7)
    people = [
        services.register(event=event, name=n, email=f"{n.lower()}@example.org", now=earlier)[0]
        for n in ["Ann", "Bob", "Cat", "Dan"]
    ]
    services.cancel(registration=people[3], now=earlier)
    mail.outbox.clear()
    return settings


def test_due_at_nine_the_day_before(tomorrow_event):
    day_before = timezone.localdate()
    assert tomorrow_event.reminder_due_at() == at(day_before, 9)


def test_the_command_reminds_those_with_a_place_once(
    tomorrow_event, django_capture_on_commit_callbacks
):
    due = tomorrow_event.reminder_due_at()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        with mock.patch(
            "django.utils.timezone.now", return_value=due - datetime.timedelta(hours=1)
        ):
            call_command("send_due_reminders", stdout=out)
        assert mail.outbox == []  # not yet
        with mock.patch(
            "django.utils.timezone.now", return_value=due + datetime.timedelta(hours=1)
        ):
            call_command("send_due_reminders", stdout=out)
            call_command("send_due_reminders", stdout=out)

    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    email = mail.outbox[0]
    assert email.subject.startswith(f"PPIE Hub: Reminder: {tomorrow_event.event.title} on ")
    assert "/registrations/" in email.body  # the link to cancel
    assert "2 event reminders emailed" in out.getvalue()
    assert Registration.objects.filter(reminded_at__isnull=False).count() == 2


def test_no_reminder_once_the_event_has_started(tomorrow_event):
    with mock.patch("django.utils.timezone.now", return_value=tomorrow_event.event.start):
        assert services.send_reminders(settings=tomorrow_event) is None
    assert mail.outbox == []


def test_someone_given_a_place_after_the_reminder_time_is_not_reminded(
    tomorrow_event, django_capture_on_commit_callbacks
):
    due = tomorrow_event.reminder_due_at()
    ann = Registration.objects.get(name="Ann")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=ann, now=due + datetime.timedelta(minutes=5))  # Cat moves up
        services.send_reminders(settings=tomorrow_event, now=due + datetime.timedelta(minutes=10))
    sent = sorted((m.to[0], m.subject.split(":")[1].strip()) for m in mail.outbox)
    assert sent == [("bob@example.org", "Reminder"), ("cat@example.org", "Good news")]


def test_the_task_waits_for_a_later_time_then_sends_once(
    tomorrow_event, django_capture_on_commit_callbacks
):
    due = tomorrow_event.reminder_due_at()
    with (
        mock.patch.object(services, "queue_reminders") as queued,
        mock.patch("django.utils.timezone.now", return_value=due - datetime.timedelta(hours=2)),
    ):
        assert tasks.send_event_reminders.call(settings_id=tomorrow_event.pk) == 0
    queued.assert_called_once_with(settings_id=tomorrow_event.pk, at=due)

    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("django.utils.timezone.now", return_value=due),
    ):
        assert tasks.send_event_reminders.call(settings_id=tomorrow_event.pk) == 2
        assert tasks.send_event_reminders.call(settings_id=tomorrow_event.pk) == 0
    assert len(mail.outbox) == 2


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_saving_the_settings_queues_the_reminder_where_the_backend_can_wait(
    site_tree, django_capture_on_commit_callbacks
):
    """The dummy backend keeps what it is given, as the database one does in production."""
    from django_tasks import task_backends

    settings = event_with_places(site_tree)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_settings(settings=settings)

    (queued,) = [
        result
        for result in task_backends["default"].results
        if result.task.name == tasks.send_event_reminders.name
    ]
    assert queued.task.run_after == settings.reminder_due_at()
    assert queued.kwargs == {"settings_id": settings.pk}


def test_the_immediate_backend_queues_nothing(site_tree):
    settings = event_with_places(site_tree)
    assert services.queue_reminders(settings_id=settings.pk, at=timezone.now()) is False
