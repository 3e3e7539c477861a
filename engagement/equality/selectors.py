"""Reads for equality monitoring: a member's own answers (their data page) and the make-up of
the group, in aggregate only, with small numbers protected."""

from django.db.models import Count
from django.utils.translation import gettext as _

from engagement.common.small_numbers import is_small, protect
from engagement.consultations import hooks as consultation_hooks
from engagement.consultations.models import Invitation, PollAnswer, Vote
from engagement.equality.models import QUESTIONS, EqualityAnswers
from engagement.membership.hooks import Entry, Field, Section, iso
from engagement.membership.models import Member


def member_data(member) -> list[Section]:
    """The member's own equality answers, for their data page (1 query)."""
    answers = EqualityAnswers.objects.filter(member=member).first()
    entries = []
    if answers is not None:
        fields = [
            Field(name, str(question), str(getattr(answers, f"get_{name}_display")()))
            for name, question, _choices in QUESTIONS
        ]
        fields.append(Field("updated_at", _("Last changed"), iso(answers.updated_at)))
        entries.append(Entry(_("Your answers"), fields))
    return [Section("equality_answers", _("Your equality monitoring answers"), 80, entries)]


def question(name: str):
    for field, label, choices in QUESTIONS:
        if field == name:
            return field, label, choices
    return QUESTIONS[3]  # ethnic group


def responder_ids(consultation_id: int) -> set[int]:
    """Everyone who responded in a consultation: votes, poll answers, answered invitations and
    (through the hook) feedback."""
    ids = set(
        Vote.objects.filter(consultation_id=consultation_id).values_list("member_id", flat=True)
    )
    ids |= set(
        PollAnswer.objects.filter(poll__consultation_id=consultation_id).values_list(
            "member_id", flat=True
        )
    )
    ids |= set(
        Invitation.objects.filter(
            consultation_id=consultation_id, responded_at__isnull=False
        ).values_list("member_id", flat=True)
    )
    ids |= {m for _c, m in consultation_hooks.participant_pairs([consultation_id])}
    return ids


def _counts(name: str, members) -> dict[str, int]:
    rows = (
        EqualityAnswers.objects.filter(member__in=members)
        .values(name)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[name]: row["n"] for row in rows}


def _protected_column(counts: dict[str, int], codes: list[str]) -> list[dict]:
    """Each category's count and share, with counts from 1 to threshold-1 hidden; when only one
    is hidden, the next smallest is hidden too, so the hidden one cannot be worked out from the
    total."""
    total = sum(counts.values())
    hidden = {c for c in codes if is_small(counts.get(c, 0))}
    if len(hidden) == 1:
        others = sorted((counts.get(c, 0), c) for c in codes if c not in hidden and counts.get(c))
        if others:
            hidden.add(others[0][1])
    column = []
    for code in codes:
        n = counts.get(code, 0)
        if code in hidden:
            shown = protect(n) if is_small(n) else protect(1)
            column.append({"count": shown.label, "value": None, "pct": None})
        else:
            column.append(
                {"count": str(n), "value": n, "pct": round(100 * n / total, 1) if total else 0}
            )
    return column


def group_make_up(*, name: str, consultation_id: int | None, targets: dict[str, float]) -> dict:
    """For one question: each category's count and share among active members who answered,
    among those who responded to the consultation (if chosen), and the target share."""
    field, label, choices = question(name)
    codes = list(choices.values)
    active = Member.objects.filter(status=Member.Status.ACTIVE)
    group = _counts(field, active)
    result = {
        "field": field,
        "question": label,
        "answered": protect(sum(group.values())).label,
        "rows": [],
    }
    group_column = _protected_column(group, codes)
    responders_column = None
    if consultation_id:
        ids = responder_ids(consultation_id)
        responders = _counts(field, active.filter(pk__in=ids))
        responders_column = _protected_column(responders, codes)
        result["responders_answered"] = protect(sum(responders.values())).label
    for i, (code, category) in enumerate(choices.choices):
        result["rows"].append(
            {
                "code": code,
                "category": str(category),
                "group": group_column[i],
                "responders": responders_column[i] if responders_column else None,
                "target": targets.get(code),
            }
        )
    return result
