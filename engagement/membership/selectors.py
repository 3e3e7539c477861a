"""Reads about members: the consent texts in force, a member's current consents, their own data,
sign-ups per campaign."""

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from engagement.membership.models import (
    STAKEHOLDER_GROUP_OF_ROLE,
    Campaign,
    ConsentPurpose,
    ConsentRecord,
    ConsentText,
    Member,
)


def current_consent_texts() -> dict[str, ConsentText]:
    """The newest published version of each consent purpose."""
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__lte=timezone.now()).order_by(
        "purpose", "-version"
    ):
        texts.setdefault(text.purpose, text)
    return texts


def current_consents(member: Member) -> dict[str, ConsentRecord]:
    """Purpose -> the record in force (given and not withdrawn). Derived, never stored."""
    records = (
        ConsentRecord.objects.filter(member=member, withdrawn_at__isnull=True)
        .select_related("text")
        .order_by("-given_at")
    )
    current: dict[str, ConsentRecord] = {}
    for record in records:
        current.setdefault(record.text.purpose, record)
    return current


def has_consent(member: Member, purpose: str) -> bool:
    return ConsentRecord.objects.filter(
        member=member, text__purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def member_data(member: Member) -> dict:
    """Everything we hold about a member, for their own download (subject access)."""
    user = member.user
    return {
        "member": {
            "name_to_use": member.display_name,
            "email": user.email if user else "",
            "role": member.get_role_display(),
            "interests": [i.name for i in member.interests.all()],
            "access_needs": member.access_needs,
            "preferred_contact": member.get_contact_preference_display(),
            "phone": member.phone,
            "status": member.get_status_display(),
            "joined_via": member.campaign.label if member.campaign_id else None,
            "channel": member.get_channel_display(),
            "joined_at": member.joined_at.isoformat(),
            "confirmed_at": member.confirmed_at.isoformat() if member.confirmed_at else None,
        },
        "consents": [
            {
                "purpose": record.text.get_purpose_display(),
                "version": record.text.version,
                "statement": record.text.statement,
                "full_text": record.text.body,
                "given_at": record.given_at.isoformat(),
                "withdrawn_at": record.withdrawn_at.isoformat() if record.withdrawn_at else None,
                "channel": record.get_channel_display(),
            }
            for record in member.consents.select_related("text").order_by("given_at", "pk")
        ],
    }


def signups_per_campaign_by_week(weeks: int = 12) -> tuple[list, list[dict]]:
    """(week starts, rows) where each row is {"label": ..., "counts": [...]} per campaign
    (plus "No campaign"), counting sign-ups (any status) in each of the last `weeks` weeks."""
    today = timezone.localdate()
    start = today - timezone.timedelta(days=today.weekday() + 7 * (weeks - 1))
    week_starts = [start + timezone.timedelta(weeks=i) for i in range(weeks)]
    counts = (
        Member.objects.filter(joined_at__date__gte=start)
        .annotate(week=TruncWeek("joined_at"))
        .values("week", "campaign_id")
        .annotate(n=Count("pk"))
    )
    table: dict[int | None, dict] = {}
    for row in counts:
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        table.setdefault(row["campaign_id"], {})[week] = row["n"]
    labels = dict(
        Campaign.objects.filter(pk__in=[k for k in table if k]).values_list("pk", "label")
    )
    rows = []
    for campaign_id in sorted(table, key=lambda k: (k is None, labels.get(k, ""))):
        label = labels.get(campaign_id) if campaign_id else None
        rows.append(
            {
                "label": label or "No campaign (website)",
                "counts": [table[campaign_id].get(w, 0) for w in week_starts],
            }
        )
    return week_starts, rows


def campaign_totals():
    return Campaign.objects.annotate(
        confirmed=Count("members", filter=Q(members__confirmed_at__isnull=False))
    ).order_by("-created_at")


def member_for(user) -> Member | None:
    """The user's member profile, looked up once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_member_cache"):
        user._member_cache = Member.objects.filter(user=user).first()
    return user._member_cache


def quote_consenting_members(member_ids) -> set[int]:
    return set(
        ConsentRecord.objects.filter(
            member_id__in=member_ids,
            text__purpose=ConsentPurpose.QUOTE,
            withdrawn_at__isnull=True,
            member__status="active",
        ).values_list("member_id", flat=True)
    )


def roles_of_group(group: str) -> list[str]:
    """The roles (stored codes) whose answers count in a stakeholder group."""
    return [role for role, g in STAKEHOLDER_GROUP_OF_ROLE.items() if g == group]
