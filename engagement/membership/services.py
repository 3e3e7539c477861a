"""Every write with a rule about membership: joining (web, QR, kiosk), confirming, preferences,
consent given and withdrawn, leaving, and purging unconfirmed sign-ups."""

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from engagement.common.tasks import send_templated
from engagement.membership import hooks as membership_hooks
from engagement.membership.models import (
    HEALTH_ROLES,
    Campaign,
    Channel,
    ConsentPurpose,
    ConsentRecord,
    Interest,
    Member,
    Role,
)
from engagement.membership.selectors import current_consent_texts

logger = logging.getLogger(__name__)


User = get_user_model()


# A second submit of the same sign-up within this time (double click, refresh, second tab)
# is taken as the same sign-up: no second email.
DUPLICATE_WINDOW = timezone.timedelta(minutes=10)


class SignUpOutcome(enum.Enum):
    CREATED = "created"
    EXISTING = "existing"  # same on-screen answer as CREATED: no enumeration


@dataclass
class SignUpData:
    display_name: str
    email: str
    role: str
    consents: set[str]
    interests: Iterable[Interest] = field(default_factory=list)
    access_needs: str = ""
    contact_preference: str = Member.ContactPreference.EMAIL
    phone: str = ""


def required_consents(role: str) -> set[str]:
    required = {ConsentPurpose.JOIN}
    if role in HEALTH_ROLES:
        required.add(ConsentPurpose.HEALTH_ROLE)
    return required


@transaction.atomic
def sign_up(
    *,
    request,
    data: SignUpData,
    campaign: Campaign | None = None,
    channel: str = Channel.WEB,
) -> tuple[SignUpOutcome, Member | None]:
    """Create a pending member and send allauth's confirmation email; for an email already
    known, email its owner instead. Idempotent for double submits and parallel tabs."""
    email = User.objects.normalize_email(data.email).strip().lower()
    texts = _agreed_texts(data)

    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, first_name=data.display_name[:150])
        except IntegrityError:
            # Another request (second tab, double submit) created it a moment ago.
            existing = User.objects.get(email__iexact=email)
    if existing is not None:
        _notify_existing(request, existing)
        return SignUpOutcome.EXISTING, None

    member = _create_member(
        user=user,
        data=data,
        texts=texts,
        campaign=campaign,
        channel=channel,
        status=Member.Status.PENDING,
    )
    address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    transaction.on_commit(lambda: address.send_confirmation(request, signup=True))
    return SignUpOutcome.CREATED, member


def _agreed_texts(data: SignUpData) -> dict:
    """The consent texts in force, once the agreements the role needs are given."""
    missing = required_consents(data.role) - set(data.consents)
    if missing:
        raise ValidationError(_("A required agreement is missing."))
    texts = current_consent_texts()
    if ConsentPurpose.JOIN not in texts:
        raise ValidationError(_("Joining is closed: no consent text is published."))
    return texts


def _create_member(*, user, data: SignUpData, texts: dict, campaign, channel, status) -> Member:
    """A new member (pending, or active when their email is already proven) with their
    interests, a consent record for each agreement given (the health-role one only with a
    health role) and the campaign's count."""
    now = timezone.now()
    member = Member(
        user=user,
        display_name=data.display_name,
        role=data.role,
        access_needs=data.access_needs,
        contact_preference=data.contact_preference,
        phone=data.phone,
        campaign=campaign,
        channel=channel,
        status=status,
        confirmed_at=now if status == Member.Status.ACTIVE else None,
    )
    member.full_clean()
    member.save()
    member.interests.set(data.interests)
    for purpose in data.consents:
        if purpose == ConsentPurpose.HEALTH_ROLE and data.role not in HEALTH_ROLES:
            continue  # nothing health-related to store
        if purpose in texts:
            ConsentRecord.objects.create(
                member=member, text=texts[purpose], given_at=now, channel=channel
            )
    if member.phone and ConsentPurpose.PHONE in texts:
        ConsentRecord.objects.create(
            member=member, text=texts[ConsentPurpose.PHONE], given_at=now, channel=channel
        )
    if campaign is not None:
        Campaign.objects.filter(pk=campaign.pk).update(signup_count=F("signup_count") + 1)
    return member


@transaction.atomic
def join_signed_in(
    *, user, data: SignUpData, campaign: Campaign | None = None, channel: str = Channel.WEB
) -> Member:
    """Someone already signed in (so their email is proven) who is not a member joins: they are
    an active member at once, with no confirmation email. Safe to submit twice."""
    texts = _agreed_texts(data)
    # Lock the user row: a double submit waits here and then finds the member made by the first.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = Member.objects.filter(user=user).first()
    if existing is not None:
        return existing
    return _create_member(
        user=user,
        data=data,
        texts=texts,
        campaign=campaign,
        channel=channel,
        status=Member.Status.ACTIVE,
    )


def _notify_existing(request, user) -> None:
    """The owner of a known email gets an email; the person at the form sees nothing new."""
    member = getattr(user, "member", None)
    if member and member.status == Member.Status.PENDING:
        if timezone.now() - member.joined_at < DUPLICATE_WINDOW:
            return  # the same sign-up submitted twice: its confirmation email is on its way
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address and not address.verified:
            transaction.on_commit(lambda: address.send_confirmation(request, signup=True))
            return
    context = {
        "user": user,
        "is_member": member is not None,
        "sign_in_url": request.build_absolute_uri(reverse("account_login")),
        "join_url": request.build_absolute_uri(
            reverse("account_login") + "?next=" + reverse("engagement:join")
        ),
    }
    transaction.on_commit(
        lambda: send_templated("membership/email/already_member", user.email, context)
    )


@transaction.atomic
def activate_member(*, user) -> Member | None:
    """Called when allauth confirms the email: a pending member becomes active."""
    member = Member.objects.select_for_update().filter(user=user).first()
    if member is None or member.status != Member.Status.PENDING:
        return member
    member.status = Member.Status.ACTIVE
    member.confirmed_at = timezone.now()
    member.save(update_fields=["status", "confirmed_at"])
    return member


def record_campaign_visit(*, code: str) -> None:
    """Count a visit to the join page of the campaign with this code, if it is in use (one
    UPDATE, so it costs the same when the page itself comes from the cache). Nothing about the
    visitor is stored."""
    now = timezone.now()
    Campaign.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=now),
        Q(active_until__isnull=True) | Q(active_until__gte=now),
        code=code,
    ).update(visit_count=F("visit_count") + 1)


@transaction.atomic
def update_preferences(
    *,
    member: Member,
    display_name: str,
    interests: Iterable[Interest],
    access_needs: str,
    contact_preference: str,
    phone: str,
    quote_consent: bool,
) -> Member:
    member.display_name = display_name
    member.access_needs = access_needs
    member.contact_preference = contact_preference
    member.phone = phone
    member.full_clean()
    member.save(update_fields=["display_name", "access_needs", "contact_preference", "phone"])
    member.interests.set(interests)
    if member.user_id and member.user.first_name != display_name[:150]:
        member.user.first_name = display_name[:150]
        member.user.save(update_fields=["first_name"])
    if quote_consent:
        give_consent(member=member, purpose=ConsentPurpose.QUOTE, channel=Channel.WEB)
    else:
        withdraw_consent(member=member, purpose=ConsentPurpose.QUOTE)
    _record_phone_consent(member, channel=Channel.WEB)
    return member


def _record_phone_consent(member: Member, *, channel: str) -> None:
    """A phone number given is an agreement to be called or texted at it (the field says so);
    no number, no agreement."""
    if member.phone:
        if ConsentPurpose.PHONE in current_consent_texts():
            give_consent(member=member, purpose=ConsentPurpose.PHONE, channel=channel)
    else:
        withdraw_consent(member=member, purpose=ConsentPurpose.PHONE, channel=channel)


@transaction.atomic
def give_consent(*, member: Member, purpose: str, channel: str) -> ConsentRecord | None:
    """Record consent to the current version of a purpose (no-op when already given: agreeing
    to a newer version is agree_to_new_version)."""
    text = current_consent_texts().get(purpose)
    if text is None:
        raise ValidationError(_("There is no published text for this agreement."))
    current = ConsentRecord.objects.filter(
        member=member, text__purpose=purpose, withdrawn_at__isnull=True
    ).first()
    if current is not None:
        return current
    return ConsentRecord.objects.create(member=member, text=text, channel=channel)


def _end(record: ConsentRecord, *, channel: str, at=None) -> ConsentRecord:
    """A new record saying the agreement was taken back, and the agreement marked as ended."""
    at = at or timezone.now()
    ConsentRecord.objects.filter(pk=record.pk).update(withdrawn_at=at)
    return ConsentRecord.objects.create(
        member_id=record.member_id,
        text_id=record.text_id,
        action=ConsentRecord.Action.WITHDRAWN,
        given_at=at,
        withdrawn_at=at,
        channel=channel,
    )


@transaction.atomic
def withdraw_consent(*, member: Member, purpose: str, channel: str = Channel.WEB) -> int:
    """Take back the agreement in force for a purpose (a new record); 0 when there was none."""
    records = list(
        ConsentRecord.objects.select_for_update().filter(
            member=member, text__purpose=purpose, withdrawn_at__isnull=True
        )
    )
    now = timezone.now()
    for record in records:
        _end(record, channel=channel, at=now)
    return len(records)


# What taking each agreement back changes, as the confirm page says it (and nothing else).
WITHDRAWAL_EFFECTS = {
    ConsentPurpose.QUOTE: [
        _lazy("We will not quote your words in reports or presentations from now on."),
        _lazy("Everything else stays as it is: you still take part in everything."),
    ],
    ConsentPurpose.HEALTH_ROLE: [
        _lazy("We delete your health-related role: “You are” becomes “Other”."),
        _lazy(
            "Your answers, earlier ones too, then count with the public's, not with patients' "
            "or carers'."
        ),
        _lazy("You stay a member and we still invite you to take part."),
    ],
    ConsentPurpose.PHONE: [
        _lazy("We delete your phone number."),
        _lazy("We contact you by email only."),
        _lazy("You stay a member and we still invite you to take part."),
    ],
    ConsentPurpose.EQUALITY: [
        _lazy("We delete all your equality monitoring answers."),
        _lazy("You stay a member; nothing else changes."),
    ],
}
WITHDRAWABLE = tuple(WITHDRAWAL_EFFECTS)


@transaction.atomic
def withdraw_purpose(*, member: Member, purpose: str, channel: str = Channel.WEB) -> Member:
    """Take back one agreement and do what WITHDRAWAL_EFFECTS says it does."""
    if purpose not in WITHDRAWAL_EFFECTS:
        raise ValidationError(_("This agreement cannot be taken back on its own."))
    member = Member.objects.select_for_update().get(pk=member.pk)
    withdraw_consent(member=member, purpose=purpose, channel=channel)
    if purpose == ConsentPurpose.HEALTH_ROLE and member.role in HEALTH_ROLES:
        member.role = Role.OTHER
        member.save(update_fields=["role"])
    elif purpose == ConsentPurpose.PHONE:
        member.phone = ""
        member.contact_preference = Member.ContactPreference.EMAIL
        member.save(update_fields=["phone", "contact_preference"])
    elif purpose == ConsentPurpose.EQUALITY:
        membership_hooks.erase_equality(member_ids=[member.pk])
    return member


@transaction.atomic
def withdraw_member(*, member: Member) -> Member:
    """Leave the group, doing exactly what the leave page says: payment records finance must
    keep are copied apart (the member_leaving hook); name, email, phone, access needs, interests,
    equality answers and every piece of free text they wrote are erased; the role becomes
    "Other"; every agreement ends with a record of its own. The member row stays, anonymous, so
    earlier votes and ratings still count without saying who gave them."""
    member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    now = timezone.now()
    user = member.user
    name = member.display_name or (user.get_full_name() if user else "")
    membership_hooks.member_leaving(member=member, name=name, email=user.email if user else "")
    membership_hooks.erase_free_text(member_ids=[member.pk])
    membership_hooks.erase_equality(member_ids=[member.pk])
    for record in ConsentRecord.objects.filter(member=member, withdrawn_at__isnull=True):
        _end(record, channel=Channel.WEB, at=now)
    member.user = None
    member.display_name = ""
    member.access_needs = ""
    member.phone = ""
    member.contact_preference = Member.ContactPreference.EMAIL
    member.role = Role.OTHER
    member.status = Member.Status.WITHDRAWN
    member.withdrawn_at = now
    member.save()
    member.interests.clear()
    _forget_in_admin_history(member)
    if user is not None:
        user.delete()  # email address, allauth records and sessions' owner go with it
    return member


def _forget_in_admin_history(member: Member) -> None:
    """The admin's history names the object it logged (its label, and the data of a change):
    for this member, the name becomes "Withdrawn member #id" and the data goes."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    ).update(label=str(member), data={})


@transaction.atomic
def purge_unconfirmed(*, older_than_days: int) -> int:
    """Delete sign-ups whose email was never confirmed within the given number of days."""
    cutoff = timezone.now() - timezone.timedelta(days=older_than_days)
    stale = Member.objects.filter(
        status=Member.Status.PENDING, confirmed_at__isnull=True, joined_at__lt=cutoff
    )
    user_ids = list(stale.exclude(user__isnull=True).values_list("user_id", flat=True))
    count = stale.count()
    stale.delete()
    User.objects.filter(pk__in=user_ids, is_staff=False, is_superuser=False).delete()
    return count


@transaction.atomic
def agree_to_new_version(*, member: Member, purpose: str, channel: str = Channel.WEB):
    """The member agrees to the version now published: the agreement to the older version
    ends at this moment and a new record points at the new one."""
    text = current_consent_texts().get(purpose)
    if text is None:
        raise ValidationError(_("There is no published text for this agreement."))
    now = timezone.now()
    current = list(
        ConsentRecord.objects.select_for_update().filter(
            member=member, text__purpose=purpose, withdrawn_at__isnull=True
        )
    )
    if any(record.text_id == text.pk for record in current):
        return next(record for record in current if record.text_id == text.pk)
    ConsentRecord.objects.filter(pk__in=[r.pk for r in current]).update(withdrawn_at=now)
    return ConsentRecord.objects.create(member=member, text=text, given_at=now, channel=channel)
