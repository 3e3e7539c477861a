"""Every write with a rule, one function each. Views and tests call these; nothing else writes."""

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import long_date
from .models import (
    ESTIMATED_MINUTES,
    HEALTH_ROLES,
    ActivityType,
    Campaign,
    Channel,
    ConsentPurpose,
    ConsentRecord,
    Consultation,
    Interest,
    Invitation,
    InvolvementRecord,
    Member,
    OutcomeNotice,
    Poll,
    PollAnswer,
    RateCard,
    Vote,
    validate_receipt,
)
from .selectors import current_consent_texts, participants
from .tasks import send_templated

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
        lambda: send_templated("engagement/email/already_member", user.email, context)
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


def record_campaign_visit(*, campaign: Campaign) -> None:
    """Count a visit to a campaign's join page. Nothing about the visitor is stored."""
    Campaign.objects.filter(pk=campaign.pk).update(visit_count=F("visit_count") + 1)


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
    return member


@transaction.atomic
def give_consent(*, member: Member, purpose: str, channel: str) -> ConsentRecord | None:
    """Record consent to the current version of a purpose (no-op when already given)."""
    text = current_consent_texts().get(purpose)
    if text is None:
        raise ValidationError(_("There is no published text for this agreement."))
    current = ConsentRecord.objects.filter(
        member=member, text__purpose=purpose, withdrawn_at__isnull=True
    ).first()
    if current is not None:
        return current
    return ConsentRecord.objects.create(member=member, text=text, channel=channel)


@transaction.atomic
def withdraw_consent(*, member: Member, purpose: str) -> int:
    return ConsentRecord.objects.filter(
        member=member, text__purpose=purpose, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


@transaction.atomic
def withdraw_member(*, member: Member) -> Member:
    """Leave the group: erase name and contact details, end every consent, keep the anonymous
    member row so earlier answers still count without saying who gave them."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    now = timezone.now()
    ConsentRecord.objects.filter(member=member, withdrawn_at__isnull=True).update(withdrawn_at=now)
    user = member.user
    member.user = None
    member.display_name = ""
    member.access_needs = ""
    member.phone = ""
    member.status = Member.Status.WITHDRAWN
    member.withdrawn_at = now
    member.save()
    member.interests.clear()
    if user is not None:
        user.delete()  # email address, allauth records and sessions' owner go with it
    return member


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


# --- Consultations: votes, polls, invitations ---------------------------------------------------

VOTE_KIND = {
    Consultation.Method.SUPPORT: Vote.Kind.SUPPORT,
    Consultation.Method.POINTS: Vote.Kind.POINTS,
    Consultation.Method.DELPHI: Vote.Kind.RATING,
}


def check_can_respond(*, member: Member, consultation: Consultation, assisted_by=None) -> None:
    if not consultation.is_open():
        if consultation.has_closed():
            raise ValidationError(
                _("This consultation closed on %(date)s, so answers can no longer be changed.")
                % {"date": long_date(consultation.closes_at)}
            )
        raise ValidationError(_("This consultation has not opened yet."))
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only active members can take part."))
    if (
        consultation.audience == Consultation.Audience.INVITED
        and not Invitation.objects.filter(consultation=consultation, member=member).exists()
    ):
        raise ValidationError(_("This consultation is for invited members only."))


def mark_responded(*, member: Member, consultation: Consultation) -> None:
    Invitation.objects.filter(
        consultation=consultation, member=member, responded_at__isnull=True
    ).update(responded_at=timezone.now())


@transaction.atomic
def cast_votes(
    *,
    member: Member,
    consultation: Consultation,
    values: dict[int, int | None],
    assisted_by=None,
) -> None:
    """Set this member's votes on some features of a consultation (None or 0 removes one).
    All or nothing: the points budget is checked with the member's row locked, so two tabs
    submitting at once cannot overspend it."""
    consultation = Consultation.objects.get(pk=consultation.pk)
    check_can_respond(member=member, consultation=consultation, assisted_by=assisted_by)
    Member.objects.select_for_update().filter(pk=member.pk).first()  # serialise this member
    features = {f.pk: f for f in consultation.features.all()}
    unknown = set(values) - set(features)
    if unknown:
        raise ValidationError(_("That feature is not part of this consultation."))
    method = consultation.voting_method
    kind = VOTE_KIND[method]
    vote_round = consultation.delphi_round if method == Consultation.Method.DELPHI else 1
    cleaned: dict[int, int] = {}
    for feature_id, value in values.items():
        value = 0 if value in (None, "") else value
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(_("Enter a whole number."))
        if value < 0:
            if kind == Vote.Kind.RATING:
                raise ValidationError(_("Choose a rating from 1 to 9."))
            raise ValidationError(_("Points cannot be negative."))
        if kind == Vote.Kind.SUPPORT and value not in (0, 1):
            raise ValidationError(_("You can support a feature once."))
        if kind == Vote.Kind.RATING and value and not 1 <= value <= 9:
            raise ValidationError(_("Choose a rating from 1 to 9."))
        cleaned[feature_id] = value
    existing = {
        v.feature_id: v
        for v in Vote.objects.filter(member=member, consultation=consultation, round=vote_round)
    }
    if kind == Vote.Kind.POINTS:
        budget = consultation.budget(len(features))
        total = sum(v.value for fid, v in existing.items() if fid not in cleaned)
        total += sum(cleaned.values())
        if total > budget:
            raise ValidationError(
                _(
                    "You have %(budget)d points to spend. These choices add up to %(total)d. "
                    "Take some points away and try again."
                )
                % {"budget": budget, "total": total}
            )
    for feature_id, value in cleaned.items():
        current = existing.get(feature_id)
        if not value:
            if current is not None:
                current.delete()
            continue
        if current is None:
            vote = Vote(
                consultation=consultation,
                feature_id=feature_id,
                member=member,
                kind=kind,
                value=value,
                round=vote_round,
                assisted_by=assisted_by,
            )
            vote.full_clean(validate_unique=False)
            vote.save()
        elif current.value != value or current.assisted_by_id != getattr(assisted_by, "pk", None):
            current.value = value
            current.assisted_by = assisted_by
            current.save(update_fields=["value", "assisted_by", "updated_at"])
    mark_responded(member=member, consultation=consultation)
    record_response(member=member, consultation=consultation, activity_type=ActivityType.VOTING)


@transaction.atomic
def answer_poll(
    *,
    member: Member,
    poll: Poll,
    choice_ids: Iterable[int],
    other_text: str = "",
    assisted_by=None,
) -> None:
    """Replace this member's answer to a poll (one answer set per member)."""
    poll = Poll.objects.select_related("consultation").get(pk=poll.pk)
    check_can_respond(member=member, consultation=poll.consultation, assisted_by=assisted_by)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    choice_ids = {int(c) for c in choice_ids}
    valid = set(poll.choices.values_list("pk", flat=True))
    if choice_ids - valid:
        raise ValidationError(_("Choose from the options shown."))
    other_text = " ".join((other_text or "").split())
    if other_text and not poll.allow_other:
        raise ValidationError(_("This question has no “Other” answer."))
    if len(other_text) > 300:
        raise ValidationError(_("Please keep “Other” to 300 characters or fewer."))
    picked = len(choice_ids) + (1 if other_text else 0)
    if picked == 0:
        raise ValidationError(_("Choose an answer."))
    if poll.kind == Poll.Kind.SINGLE and picked > 1:
        raise ValidationError(_("Choose one answer only."))
    PollAnswer.objects.filter(poll=poll, member=member).delete()
    PollAnswer.objects.bulk_create(
        [
            PollAnswer(poll=poll, member=member, choice_id=c, assisted_by=assisted_by)
            for c in sorted(choice_ids)
        ]
        + (
            [PollAnswer(poll=poll, member=member, other_text=other_text, assisted_by=assisted_by)]
            if other_text
            else []
        )
    )
    mark_responded(member=member, consultation=poll.consultation)
    record_response(member=member, consultation=poll.consultation, activity_type=ActivityType.POLL)


@transaction.atomic
def open_delphi_round_two(*, consultation: Consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.voting_method != Consultation.Method.DELPHI:
        raise ValidationError(_("Only Delphi consultations have rounds."))
    if consultation.delphi_round != 1:
        raise ValidationError(_("The second round is already open."))
    if consultation.has_closed():
        raise ValidationError(_("This consultation has closed."))
    consultation.delphi_round = 2
    consultation.save(update_fields=["delphi_round"])
    return consultation


def _consultation_email(*, request, member: Member, consultation: Consultation, template: str):
    if not member.user_id:
        return
    url = settings.PUBLIC_BASE_URL + consultation.get_absolute_url()
    context = {"member": member, "consultation": consultation, "url": url}
    email = member.user.email
    transaction.on_commit(lambda: send_templated(template, email, context))


@transaction.atomic
def invite_members(*, request, consultation: Consultation, members: Iterable[Member]) -> int:
    """Invite active members who are not invited yet; each gets an email. Returns how many.
    Not once the consultation has closed. Two invitations sent at once (a double click) wait for
    each other on the consultation's row, so nobody is emailed twice."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.has_closed():
        raise ValidationError(_("This consultation has closed, so nobody more can be invited."))
    already = set(
        Invitation.objects.filter(consultation=consultation).values_list("member_id", flat=True)
    )
    new = [
        m for m in members if m.pk not in already and m.status == Member.Status.ACTIVE and m.user_id
    ]
    Invitation.objects.bulk_create(
        [Invitation(consultation=consultation, member=m) for m in new], ignore_conflicts=True
    )
    for member in new:
        _consultation_email(
            request=request,
            member=member,
            consultation=consultation,
            template="engagement/email/invitation",
        )
    return len(new)


@transaction.atomic
def send_reminders(*, request, consultation: Consultation) -> int:
    """Remind invited members who have not responded (once each)."""
    if not consultation.is_open():
        raise ValidationError(_("Reminders can only be sent while the consultation is open."))
    pending = list(
        # Lock only the invitations: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to member.user.
        Invitation.objects.select_for_update(of=("self",))
        .filter(consultation=consultation, responded_at__isnull=True, reminded_at__isnull=True)
        .filter(member__status=Member.Status.ACTIVE)
        .select_related("member__user")
    )
    now = timezone.now()
    for invitation in pending:
        invitation.reminded_at = now
        invitation.save(update_fields=["reminded_at"])
        _consultation_email(
            request=request,
            member=invitation.member,
            consultation=consultation,
            template="engagement/email/reminder",
        )
    return len(pending)


# --- Involvement log and payments ------------------------------------------------------------


def payment_offered_for(*, activity_type: str, on_date, minutes: int) -> Decimal:
    """What the rate card in force on that date offers for this activity and time."""
    from .selectors import rate_for

    rate = rate_for(activity_type=activity_type, on_date=on_date)
    if rate is None:
        return Decimal("0.00")
    if rate.basis == RateCard.Basis.FIXED:
        return rate.amount
    return (rate.amount * Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def record_response(
    *, member: Member, consultation: Consultation, activity_type: str
) -> InvolvementRecord:
    """Every response a member gives creates one involvement record per activity (idempotent),
    with the time estimated for that activity and the payment the rate card offers."""
    today = timezone.localdate()
    minutes = ESTIMATED_MINUTES.get(activity_type, 10)
    record, _created = InvolvementRecord.objects.get_or_create(
        member=member,
        consultation=consultation,
        activity_type=activity_type,
        source=InvolvementRecord.Source.RESPONSE,
        defaults={
            "date": today,
            "minutes": minutes,
            "description": consultation.title[:200],
            "payment_offered": payment_offered_for(
                activity_type=activity_type, on_date=today, minutes=minutes
            ),
        },
    )
    return record


def refresh_payment_status(record: InvolvementRecord) -> None:
    """To pay or nothing due, from what is due (a paid record stays paid): never chosen by hand,
    so the status cannot disagree with the amounts."""
    if record.status == InvolvementRecord.Status.PAID:
        return
    record.status = (
        InvolvementRecord.Status.TO_PAY
        if record.amount_due > 0
        else InvolvementRecord.Status.NOTHING_DUE
    )


def _own_unpaid_record(member: Member, record: InvolvementRecord) -> InvolvementRecord:
    """The member's own record, locked for the change; refused once it has been paid."""
    record = InvolvementRecord.objects.select_for_update().get(pk=record.pk)
    if record.member_id != member.pk:
        raise PermissionDenied
    if record.status == InvolvementRecord.Status.PAID:
        raise ValidationError(_("This has already been paid, so it cannot be changed."))
    return record


@transaction.atomic
def choose_payment(
    *, member: Member, record: InvolvementRecord, choice: str, reduced_amount: Decimal | None = None
) -> InvolvementRecord:
    """A member accepts, reduces or declines the payment for their own record."""
    record = _own_unpaid_record(member, record)
    if choice not in {c for c in InvolvementRecord.PaymentChoice.values if c}:
        raise ValidationError({"choice": _("Choose one of the options shown")})
    if choice == InvolvementRecord.PaymentChoice.REDUCED:
        if reduced_amount is None:
            raise ValidationError({"reduced_amount": _("Enter the amount you would like")})
        if reduced_amount < 0:
            raise ValidationError({"reduced_amount": _("The amount cannot be negative")})
        if reduced_amount > record.payment_offered:
            raise ValidationError(
                {
                    "reduced_amount": _("This is more than the £%(a)s offered")
                    % {"a": record.payment_offered}
                }
            )
    record.payment_choice = choice
    record.reduced_amount = (
        reduced_amount if choice == InvolvementRecord.PaymentChoice.REDUCED else None
    )
    refresh_payment_status(record)
    record.save()
    return record


@transaction.atomic
def claim_expenses(
    *, member: Member, record: InvolvementRecord, amount: Decimal, receipt=None
) -> InvolvementRecord:
    record = _own_unpaid_record(member, record)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative")})
    if receipt is not None:
        validate_receipt(receipt)
        record.receipt = receipt
    record.expenses_claimed = amount
    refresh_payment_status(record)
    record.save()
    return record


@transaction.atomic
def mark_paid(*, record: InvolvementRecord) -> InvolvementRecord:
    record = InvolvementRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != InvolvementRecord.Status.TO_PAY:
        raise ValidationError(_("Only records waiting for payment can be marked as paid."))
    record.status = InvolvementRecord.Status.PAID
    record.paid_at = timezone.now()
    record.save(update_fields=["status", "paid_at"])
    return record


# --- Outcomes: "you said, we did" --------------------------------------------------------------


@transaction.atomic
def notify_outcome(*, page) -> int:
    """Tell every member who took part (once each) that the outcome is published."""
    ids = participants(page.consultation)
    already = set(OutcomeNotice.objects.filter(page=page).values_list("member_id", flat=True))
    members = list(
        Member.objects.filter(
            pk__in=ids - already, status=Member.Status.ACTIVE, user__isnull=False
        ).select_related("user")
    )
    OutcomeNotice.objects.bulk_create(
        [OutcomeNotice(member=m, page=page) for m in members], ignore_conflicts=True
    )
    url = settings.PUBLIC_BASE_URL + page.url if page.url else settings.PUBLIC_BASE_URL
    for member in members:
        context = {"member": member, "page": page, "consultation": page.consultation, "url": url}
        email = member.user.email
        transaction.on_commit(
            lambda email=email, context=context: send_templated(
                "engagement/email/outcome", email, context
            )
        )
    return len(members)
