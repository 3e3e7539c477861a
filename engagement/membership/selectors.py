"""Reads about members: the consent texts in force, a member's current consents, their own data,
sign-ups per campaign."""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.membership import hooks
from engagement.membership.hooks import Entry, Field, Section, iso
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


def consent_history(member: Member) -> list[ConsentRecord]:
    """Every record of the member's, newest first, with its text."""
    return list(member.consents.select_related("text").order_by("-given_at"))


def current_consents(member: Member, history=None) -> dict[str, ConsentRecord]:
    """Purpose -> the record in force (given and not withdrawn). Derived, never stored. From
    `history` (consent_history) when the caller has it, else one query for it."""
    if history is None:
        history = consent_history(member)
    records = [record for record in history if record.withdrawn_at is None]
    current: dict[str, ConsentRecord] = {}
    for record in records:
        current.setdefault(record.text.purpose, record)
    return current


def has_consent(member: Member, purpose: str) -> bool:
    return ConsentRecord.objects.filter(
        member=member, text__purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def own_sections(member: Member) -> list[Section]:
    """What membership itself holds: the profile and every consent record (2 queries)."""
    user = member.user
    profile = Entry(
        _("Your details"),
        [
            Field("name_to_use", _("Name to use"), member.display_name),
            Field("email", _("Email"), user.email if user else ""),
            Field("role", _("You are"), member.get_role_display()),
            Field("interests", _("Interested in"), [i.name for i in member.interests.all()]),
            Field("access_needs", _("Access needs"), member.access_needs),
            Field("preferred_contact", _("Contact by"), member.get_contact_preference_display()),
            Field("phone", _("Phone number"), member.phone),
            Field("status", _("Membership"), member.get_status_display()),
            Field(
                "joined_via",
                _("Joined through"),
                member.campaign.label if member.campaign_id else None,
            ),
            Field("channel", _("How you joined"), member.get_channel_display()),
            Field("joined_at", _("Joined"), iso(member.joined_at)),
            Field("confirmed_at", _("Email confirmed"), iso(member.confirmed_at)),
        ],
    )
    consents = [
        Entry(
            f"{record.get_action_display()}: {record.text.get_purpose_display()} "
            f"(version {record.text.version})",
            [
                Field("action", _("Change"), record.get_action_display()),
                Field("purpose", _("Purpose"), record.text.get_purpose_display()),
                Field("version", _("Version of the wording"), record.text.version),
                Field("statement", _("What you agreed to"), record.text.statement),
                Field("full_text", _("What we told you"), record.text.body),
                Field("given_at", _("When"), iso(record.given_at)),
                Field("withdrawn_at", _("Ended"), iso(record.withdrawn_at)),
                Field("channel", _("Given through"), record.get_channel_display()),
            ],
        )
        for record in member.consents.select_related("text").order_by("given_at", "pk")
    ]
    return [
        Section("member", _("Your details"), 10, [profile], single=True),
        Section(
            "consents",
            _("What you agreed to, and when"),
            20,
            consents,
            intro=_(
                "Every agreement you gave or took back, with the exact wording you saw. "
                "Nothing here is ever overwritten: a change is a new record."
            ),
        ),
    ]


def member_data_sections(member: Member) -> list[Section]:
    """Everything held about a member (subject access, Art. 15): membership's own sections,
    then each slice's and app's through the member_data hook, in page order."""
    return sorted(own_sections(member) + hooks.member_data(member), key=lambda s: s.order)


def member_data(member: Member) -> dict:
    """The same as a JSON-ready dict (portability, Art. 20)."""
    return {section.key: section.as_json() for section in member_data_sections(member)}


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
    """The user's member profile, looked up once per request (cached on the user object), with
    whether an agreement of theirs is to older wording than is now published (for
    has_outdated_agreements, asked on every member page), and when a wording published for
    later comes into force (`next_wording_at`, None: none is)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_member_cache"):
        now = timezone.now()
        later = ConsentText.objects.filter(published_at__gt=now).order_by("published_at")
        member = (
            Member.objects.select_related("campaign")
            .annotate(
                agreement_outdated=Exists(_outdated_records(now)),
                next_wording_at=Subquery(later.values("published_at")[:1]),
            )
            .filter(user=user)
            .first()
        )
        if member is not None:
            member.user = user  # the same object: no second query for it
        user._member_cache = member
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


def retention_facts() -> dict:
    """How long things are kept, as the data page, the leave page and the consent texts say."""
    return {
        "finance_years": settings.FINANCE_RETENTION_YEARS,
        "free_text_months": settings.FREE_TEXT_RETENTION_MONTHS or None,
    }


def _newer_published(now):
    return ConsentText.objects.filter(
        purpose=OuterRef("text__purpose"),
        version__gt=OuterRef("text__version"),
        published_at__lte=now,
    )


def _outdated_records(now, member=None):
    """The agreements in force of `member` (by default the member of the outer query) that are
    to older wording than is now published."""
    member = OuterRef("pk") if member is None else member
    return ConsentRecord.objects.filter(member=member, withdrawn_at__isnull=True).filter(
        Exists(_newer_published(now))
    )


def has_outdated_agreements(member: Member) -> bool:
    """Whether an agreement in force is to an older version than the one now published (no
    query for a member from member_for, else one): the member is then asked to agree to the
    new wording or decline it."""
    known = getattr(member, "agreement_outdated", None)
    if known is not None:
        return known
    return _outdated_records(timezone.now(), member=member).exists()


def outdated_agreements(member: Member) -> list[dict]:
    """Each agreement in force to an older version: {"purpose", "record", "text"} with the
    version now published, in purpose order (2 queries)."""
    texts = current_consent_texts()
    rows = []
    for purpose, record in sorted(current_consents(member).items()):
        text = texts.get(purpose)
        if text is not None and text.version > record.text.version:
            rows.append({"purpose": purpose, "record": record, "text": text})
    order = list(ConsentPurpose.values)
    return sorted(rows, key=lambda row: order.index(row["purpose"]))


def agreements_per_version():
    """Consent texts with how many agreed to each version (ever) and how many agree now."""
    given = ConsentRecord.Action.GIVEN
    return ConsentText.objects.annotate(
        agreed_ever=Count("records", filter=Q(records__action=given)),
        agreed_now=Count(
            "records", filter=Q(records__action=given, records__withdrawn_at__isnull=True)
        ),
    )
