"""A consultation's life as a PPIE manager runs it: a draft nobody sees, opened or scheduled only
once the checklist allows, closed early and reopened on purpose, "outcome published" when its
page is live; invitations that say what to do, how long, what is paid and until when;
reminders once each, now or scheduled, to those who want email."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from engagement.consultations import selectors, services
from engagement.consultations.tasks import send_scheduled_reminders
from engagement.models import ActivityType, Consultation, Invitation, Member, RateCard
from tests.factories.consultations import (
    ConsultationFactory,
    FeatureFactory,
    InvitationFactory,
    PollFactory,
)
from tests.factories.membership import MemberFactory
from tests.html import labelled, saved_message

pytestmark = pytest.mark.django_db

Status = Consultation.Status


def admin_url(consultation, action: str) -> str:
    return f"/admin/consultations/{action}/{consultation.pk}/"


def member_client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


# --- Status -----------------------------------------------------------------------------------


def test_the_status_follows_release_dates_and_the_outcome():
    now = timezone.now()
    draft = ConsultationFactory(draft=True)
    scheduled = ConsultationFactory(upcoming=True)
    open_ = ConsultationFactory()
    closed = ConsultationFactory(closed=True)
    done = ConsultationFactory(closed=True, outcome_published_at=now)

    assert [c.status() for c in (draft, scheduled, open_, closed, done)] == [
        Status.DRAFT,
        Status.SCHEDULED,
        Status.OPEN,
        Status.CLOSED,
        Status.OUTCOME,
    ]
    # The database works it out the same way (the admin's status filter).
    annotated = dict(Consultation.objects.with_status().values_list("pk", "status_code"))
    assert [annotated[c.pk] for c in (draft, scheduled, open_, closed, done)] == [
        "draft",
        "scheduled",
        "open",
        "closed",
        "outcome",
    ]


def test_the_admin_listing_filters_by_status(manager_client):
    ConsultationFactory(title="Draft one", draft=True)
    ConsultationFactory(title="Open one")

    drafts = manager_client.get("/admin/consultations/?status=draft").content.decode()

    assert "Draft one" in drafts and "Open one" not in drafts


def test_members_do_not_see_a_draft_but_managers_can_preview_it(manager_client):
    draft = ConsultationFactory(title="Not ready", draft=True, features=1)
    member = MemberFactory()

    assert member_client(member).get(draft.get_absolute_url()).status_code == 404
    assert "Not ready" not in member_client(member).get("/me/").content.decode()
    assert manager_client.get(draft.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError, match="not opened yet"):
        services.cast_votes(member=member, consultation=draft, values={draft.features.get().pk: 1})


# --- The checklist and opening -------------------------------------------------------------------


def test_a_draft_with_nothing_to_do_cannot_open_and_the_checklist_says_why(manager_client):
    draft = ConsultationFactory(draft=True)

    page = manager_client.get(admin_url(draft, "inspect")).content.decode()
    response = manager_client.post(admin_url(draft, "release"), follow=True)

    assert "There is nothing to do in it yet" in page
    assert "It cannot open yet: There is nothing to do in it yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status() == Status.DRAFT


def test_a_ready_draft_s_checklist_says_what_is_in_place_not_what_would_be_missing(
    manager_client, rates
):
    from tests.html import labelled, words

    draft = ConsultationFactory(draft=True, features=2, audience=Consultation.Audience.INVITED)
    PollFactory(consultation=draft, choices=["Phone", "Tablet"])

    checklist = labelled(manager_client.get(admin_url(draft, "inspect")), "checklist-heading")
    lines = [words(li) for li in checklist.find_all("li")]

    closes = selectors.long_date(draft.closes_at)
    assert lines == [
        "Done: Members have 2 things to do.",
        f"Done: It closes on {closes}.",
        "Done: Each quick question has at least two answers to choose from.",
        "Note: Only invited members can take part, and nobody is invited yet: invite them once "
        "it is open or scheduled.",
    ]
    assert words(checklist.find("h2")) == "Checklist"  # nothing blocks it


def test_a_poll_needs_two_answers_before_opening():
    draft = ConsultationFactory(draft=True)
    PollFactory(consultation=draft, question="Which phone?", choices=["Android"])

    checks = {c.message: c for c in selectors.readiness(draft)}

    blocking = [m for m, c in checks.items() if c.blocking and not c.ok]
    assert any("at least two answers" in m and "Which phone?" in m for m in blocking)


def test_opening_a_ready_draft_now_and_scheduling_one_for_later(manager_client):
    now_ = ConsultationFactory(draft=True, features=2)
    later = ConsultationFactory(draft=True, upcoming=True, features=2)

    opened = manager_client.post(admin_url(now_, "release"), follow=True).content.decode()
    scheduled = manager_client.post(admin_url(later, "release"), follow=True).content.decode()

    now_.refresh_from_db()
    later.refresh_from_db()
    assert now_.status() == Status.OPEN and "It is open" in opened
    assert (
        later.status() == Status.SCHEDULED and "Scheduled: members can take part from" in scheduled
    )
    # Scheduled is seen by members (as not open yet), but not answerable.
    member = MemberFactory()
    assert member_client(member).get(later.get_absolute_url()).status_code == 200
    assert not later.is_open()


def test_open_now_brings_a_scheduled_opening_forward(manager_client):
    later = ConsultationFactory(upcoming=True, features=2)

    manager_client.post(admin_url(later, "open-now"))

    later.refresh_from_db()
    assert later.status() == Status.OPEN
    assert later.opens_at <= timezone.now()


def test_a_scheduled_consultation_can_go_back_to_draft(manager_client):
    later = ConsultationFactory(upcoming=True, features=2)

    manager_client.post(admin_url(later, "unschedule"))

    later.refresh_from_db()
    assert later.status() == Status.DRAFT


# --- Closing early and reopening -----------------------------------------------------------------


def test_closing_early_asks_first_then_keeps_every_answer(manager_client):
    consultation = ConsultationFactory(features=1)
    member = MemberFactory()
    services.cast_votes(
        member=member, consultation=consultation, values={consultation.features.get().pk: 1}
    )

    confirm = manager_client.get(admin_url(consultation, "close"))
    consultation.refresh_from_db()
    assert consultation.status() == Status.OPEN  # asking is not closing
    assert "Every answer given so far is kept" in confirm.content.decode()

    manager_client.post(admin_url(consultation, "close"))

    consultation.refresh_from_db()
    assert consultation.status() == Status.CLOSED
    assert consultation.votes.count() == 1
    with pytest.raises(ValidationError, match="closed on"):
        services.cast_votes(
            member=member, consultation=consultation, values={consultation.features.get().pk: 0}
        )


def test_reopening_needs_a_future_closing_date(manager_client):
    consultation = ConsultationFactory(closed=True, features=1)

    past = manager_client.post(admin_url(consultation, "reopen"), {"closes_at": "2020-01-01 10:00"})
    empty = manager_client.post(admin_url(consultation, "reopen"), {})
    future = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    ok = manager_client.post(admin_url(consultation, "reopen"), {"closes_at": future})

    assert (
        past.status_code == 400 and "Choose a closing date in the future" in past.content.decode()
    )
    assert empty.status_code == 400 and "Choose when it closes again" in empty.content.decode()
    assert ok.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status() == Status.OPEN


def test_only_an_open_consultation_can_be_closed_and_only_a_closed_one_reopened():
    with pytest.raises(ValidationError, match="Only an open consultation"):
        services.close_now(consultation=ConsultationFactory(closed=True))
    with pytest.raises(ValidationError, match="Only a closed consultation"):
        services.reopen(
            consultation=ConsultationFactory(),
            closes_at=timezone.now() + datetime.timedelta(days=1),
        )


# --- Invitations --------------------------------------------------------------------------------


@pytest.fixture
def rates():
    for activity, amount in [
        (ActivityType.VOTING, "27.00"),
        (ActivityType.POLL, "27.00"),
    ]:
        RateCard.objects.create(
            activity_type=activity,
            amount=Decimal(amount),
            valid_from=timezone.localdate() - datetime.timedelta(days=30),
        )


def test_the_invitation_says_what_to_do_how_long_what_is_paid_and_until_when(
    rates, django_capture_on_commit_callbacks
):
    """Voting is estimated at 10 minutes and a poll at 2 (the involvement log's estimates):
    at £27 an hour that is £4.50 and £0.90, £5.40 in all."""
    consultation = ConsultationFactory(title="Alerts in the app", features=3)
    PollFactory(consultation=consultation, choices=["Phone", "Tablet"])
    ann = MemberFactory(display_name="Ann", user__email="ann@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_members(consultation=consultation, members=[ann])

    (message,) = mail.outbox
    closes = timezone.localtime(consultation.closes_at)
    assert "Vote on 3 app features (about 10 minutes)" in message.body
    assert "Answer 1 quick question (about 2 minutes)" in message.body
    assert "About 12 minutes in all." in message.body
    assert "We offer £5.40 for your time." in message.body
    assert f"It is open until {closes:%A} {closes.day} {closes:%B %Y}." in message.body
    assert "tell us on that page or reply to this email" in message.body


def test_a_draft_cannot_be_invited_to_because_members_cannot_open_its_link(
    manager_client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(draft=True, features=1)
    MemberFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            admin_url(consultation, "invite"), {"everyone": "on", "send": "1"}, follow=True
        )

    assert "Open it or schedule it first: members cannot see a draft" in response.content.decode()
    assert (Invitation.objects.count(), mail.outbox) == (0, [])
    overview = manager_client.get(admin_url(consultation, "inspect"))
    assert "You can invite members once it is open or scheduled" in overview.content.decode()
    assert b"Preview the invitation" not in overview.content


def test_an_invitation_to_a_scheduled_consultation_says_when_it_opens(
    rates, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(upcoming=True, features=2)
    ann = MemberFactory(user__email="ann@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_members(consultation=consultation, members=[ann])

    (message,) = mail.outbox
    opens = timezone.localtime(consultation.opens_at)
    closes = timezone.localtime(consultation.closes_at)
    assert (
        f"It opens on {opens:%A} {opens.day} {opens:%B %Y} "
        f"and is open until {closes:%A} {closes.day} {closes:%B %Y}."
    ) in message.body


def test_the_preview_shows_the_email_and_who_is_called_instead(manager_client, rates):
    consultation = ConsultationFactory(title="Alerts in the app", features=2)
    MemberFactory(display_name="Emma", user__email="emma@example.org")
    MemberFactory(
        display_name="Phil",
        contact_preference=Member.ContactPreference.PHONE,
        phone="07700 900123",
    )

    preview = manager_client.post(admin_url(consultation, "invite"), {"everyone": "on"})

    html = preview.content.decode()
    assert "1 member will get this email" in html and "Emma" in html
    assert "Phil" in html and "07700 900123" in html  # to call, not emailed
    assert "Vote on 2 app features" in html  # the email itself, as it will read
    assert not Invitation.objects.exists() and mail.outbox == []


def test_sending_from_the_preview_invites_exactly_whom_the_preview_showed(
    manager_client, rates, django_capture_on_commit_callbacks
):
    """The preview's "Invite" button posts back the choice made on the overview (hidden
    fields): patients only here, so the carer is not invited."""
    from engagement.models import Role
    from tests.html import soup

    consultation = ConsultationFactory(features=2)
    MemberFactory(display_name="Pam", role=Role.PATIENT, user__email="pam@example.org")
    MemberFactory(display_name="Carl", role=Role.CARER, user__email="carl@example.org")
    preview = manager_client.post(admin_url(consultation, "invite"), {"roles": [Role.PATIENT]})
    form = soup(preview).find("button", attrs={"name": "send"}).find_parent("form")
    data = {"send": "1"}
    for field in form.find_all("input", attrs={"type": "hidden"}):
        data.setdefault(field["name"], []).append(field.get("value", ""))

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(form["action"], data)

    assert [m.to for m in mail.outbox] == [["pam@example.org"]]
    assert list(Invitation.objects.values_list("member__display_name", flat=True)) == ["Pam"]


def test_a_member_who_asked_for_calls_is_invited_but_not_emailed(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
    caller = MemberFactory(contact_preference=Member.ContactPreference.TEXT, phone="07700")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_members(consultation=consultation, members=[caller])

    assert Invitation.objects.filter(member=caller).exists()
    assert mail.outbox == []


def test_an_invited_member_says_what_would_make_taking_part_easier(manager_client):
    consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
    member = MemberFactory(display_name="Ann")
    InvitationFactory(consultation=consultation, member=member)
    client = member_client(member)

    page = client.get(consultation.get_absolute_url()).content.decode()
    response = client.post(
        consultation.get_absolute_url() + "access-needs/",
        {"access_needs": "Large print, <b>please</b>"},
        follow=True,
    )
    too_long = client.post(
        consultation.get_absolute_url() + "access-needs/", {"access_needs": "x" * 1001}
    )

    assert "Is there anything that would make taking part easier for you?" in page
    assert response.redirect_chain[-1][0].endswith("#access-needs-saved")
    assert saved_message(response, "access-needs") == "Thank you. The team will see what you wrote."
    assert labelled(response, "access-heading").find(id="access-needs-saved") is not None
    assert Invitation.objects.get(member=member).access_needs == "Large print, please"
    assert too_long.status_code == 400
    assert "1000 characters or fewer" in too_long.content.decode()
    overview = manager_client.get(admin_url(consultation, "inspect")).content.decode()
    assert "Large print, please" in overview


# --- Reminders ----------------------------------------------------------------------------------


def invited(consultation, *members):
    for member in members:
        InvitationFactory(consultation=consultation, member=member)


def test_reminders_go_by_email_only_to_those_who_want_email_and_never_twice(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(features=1)
    emailed = MemberFactory(user__email="e@example.org")
    caller = MemberFactory(contact_preference=Member.ContactPreference.PHONE, phone="07700")
    answered = MemberFactory(user__email="a@example.org")
    invited(consultation, emailed, caller, answered)
    services.cast_votes(
        member=answered, consultation=consultation, values={consultation.features.get().pk: 1}
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_reminders(consultation=consultation)
        second = services.send_reminders(consultation=consultation)

    assert [i.member for i in first] == [emailed] and second == []
    assert [m.to for m in mail.outbox] == [["e@example.org"]]
    overview = selectors.invitations_overview(consultation)
    assert [i.member for i in overview["waiting_call"]] == [caller]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_scheduled_reminder_is_queued_for_n_days_before_it_closes(
    django_capture_on_commit_callbacks,
):
    """With a backend that can wait (the database one in production; the dummy one here, which
    keeps what it is given), the reminder task is queued to run at that moment."""
    from django_tasks import task_backends

    consultation = ConsultationFactory(
        closes_at=timezone.now() + datetime.timedelta(days=10), features=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_reminders(consultation=consultation, days_before=3)

    (queued,) = [
        result
        for result in task_backends["default"].results
        if result.task.name == send_scheduled_reminders.name
    ]
    assert queued.task.run_after == consultation.closes_at - datetime.timedelta(days=3)
    assert queued.kwargs == {"consultation_id": consultation.pk}


def test_the_scheduled_task_sends_when_due_and_waits_when_not(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(
        closes_at=timezone.now() + datetime.timedelta(days=2), features=1
    )
    member = MemberFactory(user__email="late@example.org")
    invited(consultation, member)
    Consultation.objects.filter(pk=consultation.pk).update(reminder_days_before=5)  # due

    with django_capture_on_commit_callbacks(execute=True):
        assert send_scheduled_reminders.call(consultation_id=consultation.pk) == 1
        assert send_scheduled_reminders.call(consultation_id=consultation.pk) == 0  # once

    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    consultation.refresh_from_db()
    assert consultation.reminders_sent_at is not None


def test_a_reminder_day_already_past_is_refused():
    consultation = ConsultationFactory(closes_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="That day has passed"):
        services.schedule_reminders(consultation=consultation, days_before=3)
    with pytest.raises(ValidationError, match="at least 1 day"):
        services.schedule_reminders(consultation=consultation, days_before=0)


def test_send_due_reminders_command_covers_a_backend_that_cannot_wait(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(
        closes_at=timezone.now() + datetime.timedelta(days=1), features=1
    )
    invited(consultation, MemberFactory(user__email="due@example.org"))
    Consultation.objects.filter(pk=consultation.pk).update(reminder_days_before=2)
    not_due = ConsultationFactory(closes_at=timezone.now() + datetime.timedelta(days=20))
    invited(not_due, MemberFactory(user__email="notyet@example.org"))
    Consultation.objects.filter(pk=not_due.pk).update(reminder_days_before=2)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", stdout=out)
        call_command("send_due_reminders", stdout=StringIO())  # again: nothing more

    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    assert "Done: 1 reminder emailed." in out.getvalue()


# --- Outcome published -----------------------------------------------------------------------


def test_publishing_and_unpublishing_the_outcome_page_sets_the_status(site_tree):
    from tests.factories.outcomes import outcome_index, outcome_page

    consultation = ConsultationFactory(closed=True, features=1)
    page = outcome_page(outcome_index(site_tree["home"]), consultation)
    consultation.refresh_from_db()
    assert consultation.status() == Status.OUTCOME

    page.unpublish()
    consultation.refresh_from_db()
    assert consultation.status() == Status.CLOSED


def test_features_of_the_overview_are_listed(manager_client):
    consultation = ConsultationFactory(draft=True)
    FeatureFactory(consultation=consultation, title="Symptom diary")
    assert (
        "Symptom diary" in manager_client.get(admin_url(consultation, "inspect")).content.decode()
    )
