"""The rate card: which rate is in force on a date (two periods, the days either side of the
change, an open-ended current rate), overlapping periods refused; what the automatic involvement
record offers for a response (hourly and fixed); one record however often someone votes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from engagement.involvement import selectors, services
from engagement.models import ActivityType, InvolvementRecord, RateCard
from tests.factories.consultations import ConsultationFactory, PollFactory
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.factories.outcomes import answer, rate, vote_for

pytestmark = pytest.mark.django_db

D = datetime.date
OLD_END = D(2025, 11, 30)
NEW_START = D(2025, 12, 1)  # NIHR raised its rates in December 2025


@pytest.fixture
def two_periods():
    """£25 an hour until the end of November 2025; £27.50 from 1 December, open-ended."""
    old = rate(amount="25.00", valid_from=D(2024, 4, 1), valid_until=OLD_END)
    new = rate(amount="27.50", valid_from=NEW_START)
    return old, new


@pytest.mark.parametrize(
    ("on_date", "expected"),
    [
        (D(2024, 3, 31), None),  # before any rate
        (D(2024, 4, 1), "25.00"),  # first day of the first period
        (OLD_END, "25.00"),  # last day of the old rate
        (NEW_START, "27.50"),  # first day of the new rate
        (D(2031, 1, 1), "27.50"),  # open-ended: still in force years later
    ],
)
def test_the_rate_in_force_on_a_date(two_periods, on_date, expected):
    found = selectors.rate_for(activity_type=ActivityType.VOTING, on_date=on_date)
    assert (found.amount if found else None) == (Decimal(expected) if expected else None)


def test_a_rate_for_another_activity_is_not_used(two_periods):
    assert selectors.rate_for(activity_type=ActivityType.POLL, on_date=NEW_START) is None
    assert (
        services.payment_offered_for(activity_type=ActivityType.POLL, on_date=NEW_START, minutes=60)
        == 0
    )


def test_the_payment_offered_follows_the_rate_of_the_day(two_periods):
    def offered(on_date, minutes):
        return services.payment_offered_for(
            activity_type=ActivityType.VOTING, on_date=on_date, minutes=minutes
        )

    assert offered(OLD_END, 60) == Decimal("25.00")
    assert offered(NEW_START, 60) == Decimal("27.50")
    assert offered(OLD_END, 10) == Decimal("4.17")  # 25 × 10 / 60 = 4.1666…, rounded
    assert offered(NEW_START, 90) == Decimal("41.25")


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (D(2025, 11, 15), D(2025, 12, 15)),  # straddles the change
        (OLD_END, OLD_END),  # one day: the old rate's last
        (NEW_START, None),  # another open-ended rate from the same day
        (D(2030, 1, 1), None),  # inside the open-ended current rate
        (D(2020, 1, 1), D(2024, 4, 1)),  # ends on the first rate's first day
    ],
)
def test_an_overlapping_period_is_refused(two_periods, valid_from, valid_until):
    card = RateCard(
        activity_type=ActivityType.VOTING,
        amount=Decimal("30.00"),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    with pytest.raises(ValidationError, match="Another rate for this activity covers"):
        card.full_clean()


def test_periods_that_touch_but_do_not_overlap_are_allowed(two_periods):
    old, _new = two_periods
    earlier = rate(amount="20.00", valid_from=D(2023, 4, 1), valid_until=D(2024, 3, 31))
    assert earlier.pk
    # The same dates for a different activity are fine.
    assert rate(ActivityType.POLL, amount="5.00", valid_from=D(2024, 4, 1)).pk
    # Editing a rate does not clash with itself.
    old.note = "Before the December 2025 rise"
    old.full_clean()


def test_a_period_that_ends_before_it_starts_is_refused():
    card = RateCard(
        activity_type=ActivityType.VOTING,
        amount=Decimal("25.00"),
        valid_from=D(2025, 12, 1),
        valid_until=D(2025, 11, 1),
    )
    with pytest.raises(ValidationError) as error:
        card.full_clean()
    assert "valid_until" in error.value.message_dict


def test_the_rate_card_admin_shows_an_overlap_as_an_error(two_periods):
    client = Client()
    client.force_login(ManagerFactory())

    response = client.post(
        "/admin/rate_card/new/",
        {
            "activity_type": ActivityType.VOTING,
            "basis": RateCard.Basis.HOURLY,
            "amount": "30.00",
            "valid_from": "2025-11-20",
            "valid_until": "",
            "note": "",
        },
    )

    assert response.status_code == 200
    assert "Another rate for this activity covers some of these dates" in response.content.decode()
    assert RateCard.objects.count() == 2


# --- Automatic records for responses -------------------------------------------------------


def only_record(member, activity_type) -> InvolvementRecord:
    records = list(InvolvementRecord.objects.filter(member=member, activity_type=activity_type))
    assert len(records) == 1, records
    return records[0]


def test_a_vote_records_ten_minutes_paid_by_the_hour():
    rate(amount="27.00", valid_from=timezone.localdate() - datetime.timedelta(days=30))
    consultation = ConsultationFactory(title="Which app features matter?", features=3)
    member = MemberFactory()

    vote_for(member, consultation, consultation.features.first())

    record = only_record(member, ActivityType.VOTING)
    assert record.minutes == 10
    assert record.payment_offered == Decimal("4.50")  # £27 an hour × 10 / 60
    assert record.source == InvolvementRecord.Source.RESPONSE
    assert record.consultation == consultation
    assert record.date == timezone.localdate()
    assert record.description == "Which app features matter?"
    assert record.payment_choice == ""
    assert record.status == InvolvementRecord.Status.NOTHING_DUE


def test_a_poll_answer_is_paid_the_fixed_amount():
    rate(
        ActivityType.POLL,
        amount="5.00",
        basis=RateCard.Basis.FIXED,
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
    )
    poll = PollFactory(choices=["Phone", "Tablet"])
    member = MemberFactory()

    answer(member, poll, "Phone")

    record = only_record(member, ActivityType.POLL)
    assert record.minutes == 2
    assert record.payment_offered == Decimal("5.00")


def test_without_a_rate_in_force_nothing_is_offered():
    rate(valid_from=D(2020, 1, 1), valid_until=timezone.localdate() - datetime.timedelta(days=1))
    consultation = ConsultationFactory(features=2)
    member = MemberFactory()

    vote_for(member, consultation, consultation.features.first())

    assert only_record(member, ActivityType.VOTING).payment_offered == 0


def test_voting_twice_keeps_one_record_with_the_first_offer():
    card = rate(amount="25.00", valid_from=timezone.localdate() - datetime.timedelta(days=30))
    consultation = ConsultationFactory(features=3)
    first, second, _third = consultation.features.order_by("sort_order")
    member = MemberFactory()

    vote_for(member, consultation, first)
    RateCard.objects.filter(pk=card.pk).update(amount=Decimal("99.00"))
    vote_for(member, consultation, second)
    vote_for(member, consultation, first, value=0)  # taking a support back is a change too

    record = only_record(member, ActivityType.VOTING)
    assert record.payment_offered == Decimal("4.17")


def test_each_activity_in_a_consultation_has_its_own_record():
    consultation = ConsultationFactory(features=2)
    poll = PollFactory(consultation=consultation, choices=["Yes", "No"])
    member = MemberFactory()

    vote_for(member, consultation, consultation.features.first())
    answer(member, poll, "Yes")
    answer(member, poll, "No")  # changing the answer

    activities = sorted(
        InvolvementRecord.objects.filter(member=member).values_list("activity_type", flat=True)
    )
    assert activities == [ActivityType.POLL, ActivityType.VOTING]


def test_the_record_shows_on_the_members_page_with_the_offer():
    rate(amount="25.00", valid_from=timezone.localdate() - datetime.timedelta(days=30))
    consultation = ConsultationFactory(title="Which app features matter?", features=2)
    member = MemberFactory()
    vote_for(member, consultation, consultation.features.first())
    client = Client()
    client.force_login(member.user)

    text = client.get("/me/").content.decode()

    assert "Voting on features: Which app features matter?" in text
    assert "£4.17" in text
