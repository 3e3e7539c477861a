"""answer_poll, invite_members and send_reminders (engagement.consultations.services); the
response rate."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from engagement.consultations import selectors, services
from engagement.models import Consultation, Invitation, Member, Poll, PollAnswer
from tests.factories.consultations import (
    ConsultationFactory,
    InvitationFactory,
    PollFactory,
)
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


def choice(poll, text):
    return poll.choices.get(text=text)


def my_answer(member, poll) -> tuple[list[str], list[str]]:
    """(chosen texts, "other" texts) as stored."""
    rows = PollAnswer.objects.filter(member=member, poll=poll)
    return (
        sorted(a.choice.text for a in rows if a.choice_id),
        [a.other_text for a in rows if not a.choice_id],
    )


def answer(member, poll, choices=(), other=""):
    services.answer_poll(
        member=member,
        poll=poll,
        choice_ids=[choice(poll, c).pk for c in choices],
        other_text=other,
    )


# --- Polls -------------------------------------------------------------------------------------


class TestPolls:
    def test_single_choice_answer_replaces_the_previous_one(self, member):
        poll = PollFactory(choices=["Phone", "Tablet", "Computer"])

        answer(member, poll, ["Phone"])
        answer(member, poll, ["Tablet"])

        assert my_answer(member, poll) == (["Tablet"], [])
        assert PollAnswer.objects.filter(poll=poll).count() == 1

    def test_single_choice_refuses_two_answers(self, member):
        poll = PollFactory(choices=["Phone", "Tablet"])
        answer(member, poll, ["Phone"])

        with pytest.raises(ValidationError, match="Choose one answer only"):
            answer(member, poll, ["Phone", "Tablet"])
        assert my_answer(member, poll) == (["Phone"], [])

    def test_an_empty_answer_is_refused(self, member):
        poll = PollFactory(choices=["Phone"])
        with pytest.raises(ValidationError, match="Choose an answer"):
            answer(member, poll, [])

    def test_multiple_choice_keeps_every_choice_and_replaces_the_set(self, member):
        poll = PollFactory(kind=Poll.Kind.MULTIPLE, choices=["Phone", "Tablet", "Computer"])

        answer(member, poll, ["Phone", "Computer"])
        assert my_answer(member, poll) == (["Computer", "Phone"], [])

        answer(member, poll, ["Tablet"])
        assert my_answer(member, poll) == (["Tablet"], [])

    def test_other_text_is_kept_when_the_poll_allows_it(self, member):
        poll = PollFactory(kind=Poll.Kind.MULTIPLE, allow_other=True, choices=["Phone"])

        answer(member, poll, ["Phone"], other="  My   smart watch ")

        assert my_answer(member, poll) == (["Phone"], ["My smart watch"])

    def test_other_text_alone_is_a_single_choice_answer(self, member):
        poll = PollFactory(allow_other=True, choices=["Phone"])
        answer(member, poll, ["Phone"])

        answer(member, poll, [], other="A paper diary")

        assert my_answer(member, poll) == ([], ["A paper diary"])

    def test_other_text_is_refused_when_the_poll_has_no_other(self, member):
        poll = PollFactory(allow_other=False, choices=["Phone"])

        with pytest.raises(ValidationError, match="no “Other” answer"):
            answer(member, poll, ["Phone"], other="Something else")
        assert my_answer(member, poll) == ([], [])

    def test_a_choice_from_another_poll_is_refused(self, member):
        poll = PollFactory(choices=["Phone"])
        other_poll = PollFactory(consultation=poll.consultation, choices=["Never"])

        with pytest.raises(ValidationError, match="Choose from the options shown"):
            services.answer_poll(
                member=member, poll=poll, choice_ids=[choice(other_poll, "Never").pk]
            )
        assert PollAnswer.objects.count() == 0

    def test_one_answer_set_per_member(self, member):
        poll = PollFactory(kind=Poll.Kind.MULTIPLE, choices=["Phone", "Tablet"])
        other = MemberFactory()

        answer(member, poll, ["Phone", "Tablet"])
        answer(member, poll, ["Phone", "Tablet"])
        answer(other, poll, ["Tablet"])

        assert my_answer(member, poll) == (["Phone", "Tablet"], [])
        assert my_answer(other, poll) == (["Tablet"], [])
        assert PollAnswer.objects.filter(poll=poll).count() == 3

    def test_polls_follow_the_consultation_rules(self, member):
        closed = PollFactory(consultation=ConsultationFactory(closed=True), choices=["Phone"])
        with pytest.raises(ValidationError, match="closed on"):
            answer(member, closed, ["Phone"])

        invited_only = PollFactory(
            consultation=ConsultationFactory(audience=Consultation.Audience.INVITED),
            choices=["Phone"],
        )
        with pytest.raises(ValidationError, match="invited members only"):
            answer(member, invited_only, ["Phone"])
        assert PollAnswer.objects.count() == 0


# --- Invitations and reminders -----------------------------------------------------------------


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


class TestInvitations:
    def test_only_newly_invited_active_members_are_emailed(
        self, django_capture_on_commit_callbacks
    ):
        consultation = ConsultationFactory(
            title="Alerts in the app", audience=Consultation.Audience.INVITED
        )
        ann = MemberFactory(user__email="ann@example.org", display_name="Ann")
        bob = MemberFactory(user__email="bob@example.org")
        pending = MemberFactory(user__email="pending@example.org", pending=True)
        paused = MemberFactory(user__email="paused@example.org", status=Member.Status.PAUSED)

        with django_capture_on_commit_callbacks(execute=True):
            count = len(
                services.invite_members(
                    consultation=consultation, members=[ann, bob, pending, paused]
                )
            )

        assert count == 2
        assert recipients() == ["ann@example.org", "bob@example.org"]
        to_ann = next(m for m in mail.outbox if m.to == ["ann@example.org"])
        assert "Alerts in the app" in to_ann.subject
        assert "Hello Ann" in to_ann.body
        assert consultation.get_absolute_url() in to_ann.body
        assert set(Invitation.objects.values_list("member__user__email", flat=True)) == {
            "ann@example.org",
            "bob@example.org",
        }

    def test_inviting_again_emails_only_the_new_people(self, django_capture_on_commit_callbacks):
        consultation = ConsultationFactory()
        ann = MemberFactory(user__email="ann@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_members(consultation=consultation, members=[ann])
        mail.outbox.clear()

        cat = MemberFactory(user__email="cat@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            count = len(services.invite_members(consultation=consultation, members=[ann, cat]))

        assert count == 1
        assert recipients() == ["cat@example.org"]
        assert Invitation.objects.filter(consultation=consultation).count() == 2

    def test_reminders_go_only_to_those_who_have_not_responded_and_only_once(
        self, django_capture_on_commit_callbacks
    ):
        consultation = ConsultationFactory(
            title="Alerts in the app", audience=Consultation.Audience.INVITED, features=1
        )
        voter = MemberFactory(user__email="voter@example.org")
        silent = MemberFactory(user__email="silent@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_members(consultation=consultation, members=[voter, silent])
        services.cast_votes(
            member=voter,
            consultation=consultation,
            values={consultation.features.get().pk: 1},
        )
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            first = services.send_reminders(consultation=consultation)
        assert len(first) == 1
        assert recipients() == ["silent@example.org"]
        assert "Reminder: Alerts in the app" in mail.outbox[0].subject

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            second = services.send_reminders(consultation=consultation)
        assert second == []
        assert mail.outbox == []

    def test_no_reminders_once_closed(self, django_capture_on_commit_callbacks):
        consultation = ConsultationFactory(closed=True)
        InvitationFactory(consultation=consultation, member=MemberFactory())

        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ValidationError, match="only be sent while"),
        ):
            services.send_reminders(consultation=consultation)
        assert mail.outbox == []
        assert not Invitation.objects.filter(reminded_at__isnull=False).exists()

    def test_voting_and_answering_mark_the_invitation_responded(self):
        consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
        poll = PollFactory(consultation=consultation, choices=["Phone"])
        voter, answerer, silent = MemberFactory(), MemberFactory(), MemberFactory()
        for m in (voter, answerer, silent):
            InvitationFactory(consultation=consultation, member=m)

        services.cast_votes(
            member=voter, consultation=consultation, values={consultation.features.get().pk: 1}
        )
        answer(answerer, poll, ["Phone"])

        responded = {i.member_id: i.responded_at is not None for i in Invitation.objects.all()}
        assert responded == {voter.pk: True, answerer.pk: True, silent.pk: False}


class TestResponseRate:
    def test_invited_audience_counts_invited_and_responded(self):
        consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
        poll = PollFactory(consultation=consultation, choices=["Phone"])
        members = [MemberFactory() for _ in range(4)]
        for m in members:
            InvitationFactory(consultation=consultation, member=m)
        Invitation.objects.filter(member=members[3]).update(reminded_at="2030-01-01T00:00Z")
        feature = consultation.features.get()
        services.cast_votes(member=members[0], consultation=consultation, values={feature.pk: 1})
        answer(members[0], poll, ["Phone"])  # the same person twice counts once
        answer(members[1], poll, ["Phone"])

        assert selectors.response_rate(consultation) == {
            "invited": 4,
            "responded": 2,
            "reminded": 1,
            "rate": 50.0,
        }

    def test_open_to_all_counts_every_active_member_as_eligible(self):
        consultation = ConsultationFactory(features=1)
        feature = consultation.features.get()
        active = [MemberFactory() for _ in range(3)]
        MemberFactory(pending=True)
        MemberFactory(status=Member.Status.PAUSED)
        services.cast_votes(member=active[0], consultation=consultation, values={feature.pk: 1})

        rate = selectors.response_rate(consultation)

        assert (rate["invited"], rate["responded"], rate["reminded"]) == (3, 1, 0)
        assert rate["rate"] == pytest.approx(100 / 3)

    def test_nobody_eligible_is_zero_not_an_error(self):
        consultation = ConsultationFactory(audience=Consultation.Audience.INVITED)
        assert selectors.response_rate(consultation)["rate"] == 0.0
