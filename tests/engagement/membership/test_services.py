"""The rules of joining and leaving, through engagement.services (what the views call)."""

import datetime
import re
from io import StringIO
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.utils import timezone

from engagement.membership import services
from engagement.membership.selectors import current_consents
from engagement.models import (
    Campaign,
    Channel,
    ConsentPurpose,
    ConsentRecord,
    Member,
    Role,
)
from tests.factories.membership import (
    CampaignFactory,
    ConsentTextFactory,
    InterestFactory,
    ManagerFactory,
    MemberFactory,
    consent_text,
)

User = get_user_model()
pytestmark = pytest.mark.django_db

JOIN, HEALTH, QUOTE = ConsentPurpose.JOIN, ConsentPurpose.HEALTH_ROLE, ConsentPurpose.QUOTE


def request():
    return RequestFactory().post("/join/")


def data(**overrides) -> services.SignUpData:
    values = {
        "display_name": "Ann",
        "email": "ann@example.org",
        "role": Role.PUBLIC,
        "consents": {JOIN},
    }
    values.update(overrides)
    return services.SignUpData(**values)


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks):
    """services.sign_up with its after-commit work (the emails) run, as in production."""

    def run(**kwargs):
        kwargs.setdefault("request", request())
        with django_capture_on_commit_callbacks(execute=True):
            return services.sign_up(**kwargs)

    return run


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)


# --- Signing up -------------------------------------------------------------------------------


def test_sign_up_creates_a_pending_member_with_consent_to_the_versions_shown(sign_up):
    interests = [InterestFactory(name="Trying app designs")]
    outcome, member = sign_up(
        data=data(
            role=Role.PATIENT,
            consents={JOIN, HEALTH, QUOTE},
            interests=interests,
            access_needs="Large print",
            contact_preference="phone",
            phone="01234 567890",
        ),
        channel=Channel.WEB,
    )

    assert outcome is services.SignUpOutcome.CREATED
    member.refresh_from_db()
    assert member.status == Member.Status.PENDING
    assert member.confirmed_at is None
    assert member.user.email == "ann@example.org"
    assert member.user.has_usable_password() is False
    assert (member.display_name, member.role, member.access_needs, member.phone) == (
        "Ann",
        Role.PATIENT,
        "Large print",
        "01234 567890",
    )
    assert list(member.interests.all()) == interests
    records = {r.text.purpose: r for r in member.consents.select_related("text")}
    # A phone number given is an agreement to be called or texted at it (the field says so).
    assert set(records) == {JOIN, HEALTH, QUOTE, ConsentPurpose.PHONE}
    for purpose, record in records.items():
        assert record.text == consent_text(purpose, 1)
        assert record.channel == Channel.WEB
        assert record.withdrawn_at is None
    assert EmailAddress.objects.get(user=member.user).verified is False


def test_sign_up_records_the_channel_and_the_newest_published_text(sign_up):
    v2 = ConsentTextFactory(purpose=JOIN)
    ConsentTextFactory(purpose=JOIN, published_at=None)  # a draft v3 is not shown yet
    _, member = sign_up(data=data(), channel=Channel.KIOSK)

    record = member.consents.get()
    assert (record.text, record.channel) == (v2, Channel.KIOSK)
    assert member.channel == Channel.KIOSK


def test_sign_up_sends_exactly_one_confirmation_email(sign_up):
    sign_up(data=data(email="  Ann@Example.ORG "))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"]
    assert "confirm" in message.subject.lower()
    assert "/accounts/confirm-email/" in message.body


def test_sign_up_email_is_sent_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sign_up(request=request(), data=data())
    assert mail.outbox == []  # not sent for a sign-up that might still roll back
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", [Role.PATIENT, Role.CARER])
def test_health_roles_need_the_health_consent(sign_up, role):
    with pytest.raises(ValidationError):
        sign_up(data=data(role=role, consents={JOIN}))

    assert not Member.objects.exists()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_join_consent_is_always_required(sign_up):
    with pytest.raises(ValidationError):
        sign_up(data=data(consents={HEALTH, QUOTE}))
    assert not Member.objects.exists()


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.CLINICIAN, Role.RESEARCHER, Role.OTHER])
def test_health_consent_is_not_stored_for_other_roles(sign_up, role):
    _, member = sign_up(data=data(role=role, consents={JOIN, HEALTH}))

    assert set(member.consents.values_list("text__purpose", flat=True)) == {JOIN}


def test_known_email_gets_the_same_answer_and_an_already_a_member_email(sign_up):
    existing = MemberFactory(user__email="ann@example.org", verified_email=True)

    outcome, member = sign_up(data=data(email="ANN@example.org", display_name="Someone else"))

    assert outcome is services.SignUpOutcome.EXISTING
    assert member is None
    assert Member.objects.get() == existing
    existing.refresh_from_db()
    assert existing.display_name != "Someone else"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.org"]
    assert "already in the stakeholder group" in mail.outbox[0].subject
    assert "/accounts/login/" in mail.outbox[0].body
    assert "confirm-email" not in mail.outbox[0].body


def test_an_account_without_membership_is_told_how_to_join_not_that_it_is_a_member(sign_up):
    manager = ManagerFactory(email="mo@example.org")

    outcome, member = sign_up(data=data(email="mo@example.org"))

    assert (outcome, member) == (services.SignUpOutcome.EXISTING, None)
    assert not Member.objects.filter(user=manager).exists()
    (message,) = mail.outbox
    assert message.subject.endswith("Joining the stakeholder group")
    assert "not in the group yet" in message.body
    assert "/accounts/login/?next=/join/" in message.body


def test_a_signed_in_account_joins_at_once_with_its_consents():
    user = ManagerFactory(email="mo@example.org")
    campaign = CampaignFactory()

    member = services.join_signed_in(
        user=user,
        data=data(email="ignored@example.org", role=Role.CARER, consents={JOIN, HEALTH}),
        campaign=campaign,
        channel=Channel.QR,
    )
    again = services.join_signed_in(user=user, data=data(), campaign=campaign)

    assert again == member
    member.refresh_from_db()
    assert (member.user, member.status, member.role) == (user, Member.Status.ACTIVE, Role.CARER)
    assert member.confirmed_at is not None
    assert set(current_consents(member)) >= {JOIN, HEALTH}
    assert Campaign.objects.get(pk=campaign.pk).signup_count == 1
    assert mail.outbox == []


def test_a_signed_in_account_cannot_join_without_the_required_agreement():
    user = ManagerFactory()

    with pytest.raises(ValidationError):
        services.join_signed_in(user=user, data=data(role=Role.PATIENT, consents={JOIN}))

    assert not Member.objects.exists()


def test_double_submit_makes_one_member_and_one_email(sign_up):
    first = sign_up(data=data())
    second = sign_up(data=data())

    assert first[0] is services.SignUpOutcome.CREATED
    assert second[0] is services.SignUpOutcome.EXISTING
    assert Member.objects.count() == 1
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1


def test_submitting_again_after_the_window_resends_the_confirmation(sign_up):
    _, member = sign_up(data=data())
    Member.objects.filter(pk=member.pk).update(
        joined_at=timezone.now() - services.DUPLICATE_WINDOW - datetime.timedelta(minutes=1)
    )

    outcome, again = sign_up(data=data())

    assert (outcome, again) == (services.SignUpOutcome.EXISTING, None)
    assert Member.objects.count() == 1
    assert len(mail.outbox) == 2
    assert "/accounts/confirm-email/" in mail.outbox[1].body


def test_race_on_the_same_email_is_answered_without_an_error(sign_up):
    """Two requests both see "no such user"; the second insert hits the unique constraint."""
    MemberFactory(user__email="ann@example.org", pending=True, joined_at=timezone.now())
    manager = User.objects
    real_filter = manager.filter
    looked_up = []

    def filter_missing_the_other_request(*args, **kwargs):
        if "email__iexact" in kwargs and not looked_up:
            looked_up.append(kwargs)
            return manager.none()  # the other request had not committed yet
        return real_filter(*args, **kwargs)

    with mock.patch.object(manager, "filter", side_effect=filter_missing_the_other_request):
        outcome, member = sign_up(data=data())

    assert looked_up, "the race path was not taken"
    assert (outcome, member) == (services.SignUpOutcome.EXISTING, None)
    assert Member.objects.count() == 1
    assert User.objects.count() == 1
    assert mail.outbox == []  # the other request's confirmation email is the one that goes


def test_no_consent_text_published_closes_joining(sign_up):
    from engagement.models import ConsentText

    ConsentText.objects.filter(purpose=JOIN).update(published_at=None)
    with pytest.raises(ValidationError, match="closed"):
        sign_up(data=data())
    assert not User.objects.exists()


# --- Confirming -------------------------------------------------------------------------------


def test_activate_member_makes_a_pending_member_active():
    member = MemberFactory(pending=True)
    before = timezone.now()

    services.activate_member(user=member.user)

    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    assert before <= member.confirmed_at <= timezone.now()


def test_activate_member_leaves_paused_members_paused():
    member = MemberFactory(status=Member.Status.PAUSED)
    services.activate_member(user=member.user)
    member.refresh_from_db()
    assert member.status == Member.Status.PAUSED


def test_confirming_the_email_activates_and_signs_in(sign_up, client):
    sign_up(data=data())
    link = confirmation_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "ann@example.org" in page.content.decode()
    assert Member.objects.get().status == Member.Status.PENDING  # a GET confirms nothing

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/me/"
    member = Member.objects.get()
    assert member.status == Member.Status.ACTIVE
    assert member.confirmed_at is not None
    assert EmailAddress.objects.get(user=member.user).verified is True
    assert "Hello Ann" in client.get("/me/").content.decode()


# --- Campaigns --------------------------------------------------------------------------------


def test_campaign_counts_visits_and_sign_ups_and_nothing_about_visitors(client, sign_up):
    campaign = CampaignFactory(code="cart-day")
    before = Campaign.objects.values().get(pk=campaign.pk)

    for _ in range(3):
        assert client.get("/join/cart-day/").status_code == 200
    _, member = sign_up(data=data(), campaign=campaign, channel=Channel.QR)

    campaign.refresh_from_db()
    assert (campaign.visit_count, campaign.signup_count) == (3, 1)
    after = Campaign.objects.values().get(pk=campaign.pk)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"visit_count", "signup_count"}
    assert member.campaign == campaign
    assert member.consents.get().channel == Channel.QR
    # Visiting left no trace of who visited: no session, no user, no member for them.
    assert not Session.objects.exists()
    assert User.objects.count() == 1


def test_record_campaign_visit_counts_one():
    campaign = CampaignFactory()
    services.record_campaign_visit(code=campaign.code)
    services.record_campaign_visit(code=campaign.code)
    campaign.refresh_from_db()
    assert campaign.visit_count == 2
    assert campaign.signup_count == 0


def test_a_visit_to_a_campaign_not_in_use_is_not_counted():
    now = timezone.now()
    ended = CampaignFactory(active_until=now - datetime.timedelta(minutes=1))
    not_yet = CampaignFactory(active_from=now + datetime.timedelta(minutes=1))

    for campaign in (ended, not_yet):
        services.record_campaign_visit(code=campaign.code)
        campaign.refresh_from_db()
        assert campaign.visit_count == 0


def test_refused_sign_up_does_not_count_for_the_campaign(sign_up):
    campaign = CampaignFactory()
    with pytest.raises(ValidationError):
        sign_up(data=data(role=Role.PATIENT), campaign=campaign)
    sign_up(data=data(email="bob@example.org"), campaign=campaign)
    sign_up(data=data(email="bob@example.org"), campaign=campaign)  # double submit
    assert Campaign.objects.get().signup_count == 1


# --- Preferences and consent ------------------------------------------------------------------


def test_update_preferences_changes_the_details():
    old, new = InterestFactory(), InterestFactory()
    member = MemberFactory(interests=[old], display_name="Ann")

    services.update_preferences(
        member=member,
        display_name="Annie",
        interests=[new],
        access_needs="Phone calls please",
        contact_preference="phone",
        phone="07700 900000",
        quote_consent=False,
    )

    member = Member.objects.get(pk=member.pk)
    assert member.display_name == "Annie"
    assert member.user.first_name == "Annie"
    assert list(member.interests.all()) == [new]
    assert (member.access_needs, member.contact_preference, member.phone) == (
        "Phone calls please",
        "phone",
        "07700 900000",
    )


def test_update_preferences_refuses_an_overlong_name():
    member = MemberFactory(display_name="Ann")
    with pytest.raises(ValidationError):
        services.update_preferences(
            member=member,
            display_name="x" * 81,
            interests=[],
            access_needs="",
            contact_preference="email",
            phone="",
            quote_consent=False,
        )
    assert Member.objects.get(pk=member.pk).display_name == "Ann"


def preferences(member, *, quote):
    return services.update_preferences(
        member=member,
        display_name=member.display_name,
        interests=[],
        access_needs="",
        contact_preference="email",
        phone="",
        quote_consent=quote,
    )


def test_giving_and_withdrawing_the_quote_consent():
    member = MemberFactory(consents=[JOIN])

    preferences(member, quote=True)
    preferences(member, quote=True)  # saving again changes nothing
    record = ConsentRecord.objects.get(member=member, text__purpose=QUOTE)
    assert record.withdrawn_at is None
    assert QUOTE in current_consents(member)

    preferences(member, quote=False)
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert QUOTE not in current_consents(member)
    assert JOIN in current_consents(member)
    # Taking it back is a record of its own, at the moment the agreement ended.
    taken_back = ConsentRecord.objects.get(member=member, action="withdrawn")
    assert (taken_back.text, taken_back.given_at) == (record.text, record.withdrawn_at)

    preferences(member, quote=True)  # agreeing again is a new record; the old one stays ended
    records = ConsentRecord.objects.filter(member=member, text__purpose=QUOTE).order_by("pk")
    assert [(r.action, r.withdrawn_at is None) for r in records] == [
        ("given", False),
        ("withdrawn", False),
        ("given", True),
    ]


def test_a_new_consent_version_never_changes_old_records():
    member = MemberFactory(consents=[JOIN, QUOTE])
    v1 = consent_text(QUOTE, 1)
    v1_before = model_to_dict(v1)
    old_record = member.consents.get(text__purpose=QUOTE)

    v2 = ConsentTextFactory(purpose=QUOTE, statement="You may quote me, new wording.")
    later = MemberFactory(consents=[JOIN, QUOTE])

    old_record.refresh_from_db()
    v1.refresh_from_db()
    assert old_record.text == v1
    assert model_to_dict(v1) == v1_before
    assert later.consents.get(text__purpose=QUOTE).text == v2
    # Already agreed: saving preferences keeps the record to the version they saw.
    preferences(member, quote=True)
    assert list(member.consents.filter(text__purpose=QUOTE)) == [old_record]
    # After withdrawing and agreeing again, the new record points at the new version.
    preferences(member, quote=False)
    preferences(member, quote=True)
    texts = (
        member.consents.filter(text__purpose=QUOTE).order_by("pk").values_list("text", flat=True)
    )
    assert list(texts) == [v1.pk, v1.pk, v2.pk]  # agreed, took back (v1), agreed (v2)


def test_give_consent_without_a_published_text_is_refused():
    from engagement.models import ConsentText

    ConsentText.objects.filter(purpose=QUOTE).update(published_at=None)
    member = MemberFactory(consents=[JOIN])
    with pytest.raises(ValidationError):
        services.give_consent(member=member, purpose=QUOTE, channel=Channel.WEB)
    assert not member.consents.filter(text__purpose=QUOTE).exists()


# --- Leaving ----------------------------------------------------------------------------------


def test_withdraw_member_erases_the_person_and_keeps_an_anonymous_row():
    member = MemberFactory(
        role=Role.PATIENT,
        display_name="Ann",
        phone="07700 900000",
        access_needs="Wheelchair user",
        consents=[JOIN, HEALTH, QUOTE],
        interests=[InterestFactory()],
        verified_email=True,
        user__email="ann@example.org",
    )
    user_pk = member.user.pk

    services.withdraw_member(member=member)

    member = Member.objects.get(pk=member.pk)
    assert member.status == Member.Status.WITHDRAWN
    assert member.withdrawn_at is not None
    assert member.user is None
    assert (member.display_name, member.phone, member.access_needs) == ("", "", "")
    assert not member.interests.exists()
    assert str(member) == f"Withdrawn member #{member.pk}"
    assert not User.objects.filter(pk=user_pk).exists()
    assert not EmailAddress.objects.filter(email="ann@example.org").exists()
    records = list(member.consents.all())
    # The three agreements, each ended, and a record of each being taken back.
    assert sorted(r.action for r in records) == ["given"] * 3 + ["withdrawn"] * 3
    assert all(r.withdrawn_at is not None for r in records)
    assert current_consents(member) == {}


def test_withdrawn_member_can_join_again_as_a_new_member(sign_up):
    member = MemberFactory(user__email="ann@example.org")
    services.withdraw_member(member=member)

    outcome, new = sign_up(data=data())

    assert outcome is services.SignUpOutcome.CREATED
    assert new.pk != member.pk
    assert Member.objects.count() == 2
    assert "/accounts/confirm-email/" in mail.outbox[0].body


# --- Purging unconfirmed sign-ups -------------------------------------------------------------


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def test_purge_unconfirmed_deletes_only_old_pending_sign_ups():
    old_pending = MemberFactory(pending=True, joined_at=days_ago(15), user__email="old@x.org")
    new_pending = MemberFactory(pending=True, joined_at=days_ago(13), user__email="new@x.org")
    old_active = MemberFactory(joined_at=days_ago(400), user__email="active@x.org")
    old_paused = MemberFactory(
        status=Member.Status.PAUSED, joined_at=days_ago(400), user__email="paused@x.org"
    )
    withdrawn = MemberFactory(joined_at=days_ago(400))
    services.withdraw_member(member=withdrawn)

    assert services.purge_unconfirmed(older_than_days=14) == 1

    assert set(Member.objects.values_list("pk", flat=True)) == {
        new_pending.pk,
        old_active.pk,
        old_paused.pk,
        withdrawn.pk,
    }
    assert not Member.objects.filter(pk=old_pending.pk).exists()
    assert set(User.objects.values_list("email", flat=True)) == {
        "new@x.org",
        "active@x.org",
        "paused@x.org",
    }
    assert not ConsentRecord.objects.filter(member_id=old_pending.pk).exists()


def test_purge_never_deletes_a_staff_account():
    manager = ManagerFactory(is_staff=True)
    MemberFactory(user=manager, pending=True, joined_at=days_ago(30))

    services.purge_unconfirmed(older_than_days=14)

    assert User.objects.filter(pk=manager.pk).exists()


def test_purge_command_prints_the_count():
    MemberFactory(pending=True, joined_at=days_ago(20))
    MemberFactory(pending=True, joined_at=days_ago(15))
    MemberFactory(pending=True, joined_at=days_ago(2))
    out = StringIO()

    call_command("purge_unconfirmed", "--days", "14", stdout=out)

    assert out.getvalue().strip() == "Deleted 2 unconfirmed sign-up(s) older than 14 days."
    assert Member.objects.count() == 1
    assert User.objects.count() == 1


def test_purge_command_refuses_zero_days():
    MemberFactory(pending=True, joined_at=days_ago(1))
    out, err = StringIO(), StringIO()

    call_command("purge_unconfirmed", "--days", "0", stdout=out, stderr=err)

    assert "at least 1" in err.getvalue()
    assert Member.objects.count() == 1
