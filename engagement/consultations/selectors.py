"""Reads with aggregation for consultations: results per feature and stakeholder group (Delphi
distributions and consensus too), poll results, who took part, response rates, a member's own
votes and answers."""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms import page_cache
from cms.models import PrototypeScreen
from engagement.common import small_numbers
from engagement.common.dates import long_date
from engagement.consultations import hooks
from engagement.consultations.hooks import Activity, Check
from engagement.consultations.models import Consultation, Invitation, PollAnswer, Vote
from engagement.involvement.models import ESTIMATED_MINUTES, ActivityType
from engagement.involvement.selectors import payment_offered_for, rate_for
from engagement.membership.hooks import Entry, Field, Section, iso
from engagement.membership.models import (
    Member,
    StakeholderGroup,
    group_of_role,
)

GROUP_ORDER = [g.value for g in StakeholderGroup]


GROUP_LABELS = dict(StakeholderGroup.choices)

OTHER_GROUPS = "other"
OTHER_GROUPS_LABEL = _("Other groups")

COMET_RULE = (70, 15)  # COMET Handbook v1.0 default: ≥ 70 % score 7–9 and < 15 % score 1–3


def consensus(high_pct: float, low_pct: float, rule: tuple[int, int] = COMET_RULE) -> str:
    """COMET Delphi rule, with the consultation's percentages (default 70 and 15): "in" when
    ≥ 70 % score 7–9 and < 15 % score 1–3; "out" when ≥ 70 % score 1–3 and < 15 % score 7–9;
    otherwise no consensus. "Unable to score" answers are not in either percentage."""
    agree, against = rule
    if high_pct >= agree and low_pct < against:
        return "in"
    if low_pct >= agree and high_pct < against:
        return "out"
    return "none"


# Words for members (and managers): what the rule found, never "consensus in".
CONSENSUS_LABELS = {
    "in": _("Agreed: critical"),
    "out": _("Agreed: not important"),
    "none": _("Not agreed"),
}


def median(counts: dict[int, int]) -> float | None:
    """Median of a distribution given as {value: count}."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> int:
        seen = 0
        for value, n in ordered:
            seen += n
            if seen > k:
                return value
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def vote_round_for(consultation: Consultation, vote_round: int | None = None) -> int:
    if consultation.voting_method != Consultation.Method.DELPHI:
        return 1
    return vote_round or consultation.delphi_round


def merge_small_groups(participants: dict[str, int]) -> dict[str, str]:
    """Which group each stakeholder group is shown as, to members: itself when SMALL_NUMBER_
    THRESHOLD or more of its people took part; otherwise "other groups", together with the
    other small ones. When "other groups" would itself be under the threshold, the smallest
    group shown on its own joins it, until it is not (or every group is in it), so that no
    shown figure stands for fewer people than the threshold and none can be worked out by
    taking the shown ones from the total. Groups nobody in took part in are left out."""
    present = [g for g in GROUP_ORDER if participants.get(g)]
    merged = [g for g in present if small_numbers.is_small(participants[g])]
    kept = [g for g in present if g not in merged]
    pooled = sum(participants[g] for g in merged)
    while merged and small_numbers.is_small(pooled) and kept:
        smallest = min(kept, key=lambda g: (participants[g], -GROUP_ORDER.index(g)))
        kept.remove(smallest)
        merged.append(smallest)
        pooled += participants[smallest]
    return {g: (g if g in kept else OTHER_GROUPS) for g in present}


def _display_groups(participants: dict[str, int], protect: bool) -> tuple[dict, list[dict]]:
    """(group -> shown key, the shown groups in order with their labels and people)."""
    shown_as = merge_small_groups(participants) if protect else {g: g for g in GROUP_ORDER}
    keys = [g for g in GROUP_ORDER if g in shown_as.values()]
    if OTHER_GROUPS in shown_as.values():
        keys.append(OTHER_GROUPS)
    groups = []
    for key in keys:
        inside = [g for g in GROUP_ORDER if shown_as.get(g) == key]
        groups.append(
            {
                "key": key,
                "label": OTHER_GROUPS_LABEL if key == OTHER_GROUPS else GROUP_LABELS[key],
                "participants": sum(participants.get(g, 0) for g in inside),
                "inside": [GROUP_LABELS[g] for g in inside],
            }
        )
    # Everyone in one pooled group says nothing more than the whole: show no groups then.
    if protect and [g["key"] for g in groups] == [OTHER_GROUPS]:
        groups = []
    return shown_as, groups


def consultation_results(
    consultation: Consultation,
    *,
    equal_weights: bool = False,
    vote_round: int | None = None,
    protect: bool = False,
) -> dict:
    """Per-feature totals, ranks, per stakeholder group breakdown; for Delphi also the 1–9
    distribution, "unable to score" answers, medians and consensus (the consultation's rule)
    per group and overall. protect=True is for members: groups with fewer people than
    SMALL_NUMBER_THRESHOLD are pooled as "other groups" (merge_small_groups), which
    managers (protect=False) see apart. Two aggregate queries whatever the number of votes."""
    vote_round = vote_round_for(consultation, vote_round)
    delphi = consultation.voting_method == Consultation.Method.DELPHI
    rule = consultation.consensus_rule()
    features = list(consultation.features.all())
    dist = (
        Vote.objects.filter(consultation=consultation, round=vote_round)
        .values("feature_id", "member__role", "value")
        .annotate(n=Count("pk"))
    )
    participants_by_role = (
        Vote.objects.filter(consultation=consultation, round=vote_round)
        .values("member__role")
        .annotate(n=Count("member", distinct=True))
    )
    raw_participants = dict.fromkeys(GROUP_ORDER, 0)
    for row in participants_by_role:
        raw_participants[group_of_role(row["member__role"])] += row["n"]
    participants = sum(raw_participants.values())
    shown_as, groups = _display_groups(raw_participants, protect)
    group_participants = {g["key"]: g["participants"] for g in groups}
    keys = list(group_participants)
    merged = next((g["inside"] for g in groups if g["key"] == OTHER_GROUPS), [])

    def blank():
        return {"total": 0, "voters": 0, "unable": 0, "dist": {}}

    per_feature: dict[int, dict] = {
        f.pk: {"feature": f, **blank(), "by_group": {g: blank() for g in keys}} for f in features
    }
    for row in dist:
        entry = per_feature.get(row["feature_id"])
        if entry is None:
            continue
        value, n = row["value"], row["n"]
        targets = [entry]
        key = shown_as.get(group_of_role(row["member__role"]))
        if key in entry["by_group"]:
            targets.append(entry["by_group"][key])
        for target in targets:
            if delphi and value == Vote.UNABLE_TO_SCORE:
                target["unable"] += n
                continue
            target["total"] += value * n
            target["voters"] += n
            target["dist"][value] = target["dist"].get(value, 0) + n

    rows = []
    for entry in per_feature.values():
        for g, data in entry["by_group"].items():
            people = group_participants[g]
            data["per_person"] = data["total"] / people if people else 0.0
            if delphi:
                _delphi_figures(data, rule)
        # Equal weights: each group shown counts the same, whatever its size.
        present = [g for g in keys if group_participants[g]]
        entry["weighted"] = (
            _mean([entry["by_group"][g]["per_person"] for g in present]) if present else 0.0
        )
        if delphi:
            _delphi_figures(entry, rule)
            voted = [g for g in keys if entry["by_group"][g]["voters"]]
            # Not a COMET figure: the mean of the groups' percentages, each group the same.
            entry["groups_mean_high_pct"] = _mean([entry["by_group"][g]["high_pct"] for g in voted])
            entry["score"] = entry["groups_mean_high_pct"] if equal_weights else entry["high_pct"]
        else:
            entry["score"] = entry["weighted"] if equal_weights else entry["total"]
        entry["groups"] = [
            {"key": g["key"], "label": g["label"], **entry["by_group"][g["key"]]} for g in groups
        ]
        rows.append(entry)
    rows.sort(key=lambda e: (-e["score"], e["feature"].sort_order or 0, e["feature"].pk))
    rank = 0
    previous = None
    for position, entry in enumerate(rows, start=1):
        if entry["score"] != previous:
            rank = position
            previous = entry["score"]
        # Nobody voted: nothing is first, so nothing is ranked.
        entry["rank"] = rank if participants else None
    return {
        "consultation": consultation,
        "round": vote_round,
        "equal_weights": equal_weights,
        "rows": rows,
        "participants": participants,
        "groups": groups,
        "merged_groups": merged,
        "protected": protect,
        "threshold": small_numbers.threshold(),
        "too_few_for_groups": protect and participants > 0 and not groups,
        "delphi": delphi,
        "rule": rule,
    }


def _delphi_figures(data: dict, rule: tuple[int, int]) -> None:
    """Median, the shares scoring 7–9 and 1–3 (of those who gave a score: "unable to score"
    is not counted), consensus, and the 1–9 distribution as a list, in place."""
    dist, voters = data["dist"], data["voters"]
    data["median"] = median(dist)
    data["high"] = sum(dist.get(v, 0) for v in range(7, 10))
    data["low"] = sum(dist.get(v, 0) for v in range(1, 4))
    data["high_pct"] = _pct(dist, range(7, 10), voters)
    data["low_pct"] = _pct(dist, range(1, 4), voters)
    data["consensus"] = consensus(data["high_pct"], data["low_pct"], rule) if voters else "none"
    data["consensus_label"] = CONSENSUS_LABELS[data["consensus"]]
    data["distribution"] = [dist.get(v, 0) for v in range(1, 10)]
    peak = max(data["distribution"] + [1])
    # Bar heights in a chart 100 high, tallest bar full height.
    data["bars"] = [
        {
            "score": score,
            "count": n,
            "x": 10 * (score - 1) + 0.8,
            "height": round(100 * n / peak, 1),
            "y": round(100 - 100 * n / peak, 1),
        }
        for score, n in zip(range(1, 10), data["distribution"], strict=True)
    ]


def delphi_attrition(
    consultation: Consultation, *, protect: bool = False, features: int | None = None
) -> list[dict]:
    """Per round and stakeholder group: who took part (answered at least one feature), who
    finished (answered every feature: a score or "unable to score"), and from round 2 on, of
    those who finished the round before, how many finished this one and how many did not
    (drop-out; "yet" while the round is open). One query. protect=True (members): groups
    pooled as in the latest round's results, and counts under the threshold as words.
    `features`: how many the consultation has, when the caller knows (saves a query)."""
    if features is None:
        features = consultation.features.count()
    per_member = (
        Vote.objects.filter(consultation=consultation)
        .values("round", "member_id", "member__role")
        .annotate(answered=Count("feature", distinct=True))
    )
    took_part: dict[int, dict[int, str]] = {}
    finished: dict[int, set[int]] = {}
    for row in per_member:
        group = group_of_role(row["member__role"])
        took_part.setdefault(row["round"], {})[row["member_id"]] = group
        if features and row["answered"] >= features:
            finished.setdefault(row["round"], set()).add(row["member_id"])
    last = max([consultation.delphi_round, *took_part])
    latest = dict.fromkeys(GROUP_ORDER, 0)
    for group in took_part.get(last, {}).values():
        latest[group] += 1
    shown_as, groups = _display_groups(latest, protect)
    if not protect:
        groups = [
            {"key": g, "label": GROUP_LABELS[g], "participants": 0, "inside": [GROUP_LABELS[g]]}
            for g in GROUP_ORDER
        ]
    groups = [{"key": None, "label": _("Everyone")}, *groups]
    members_group = {}
    for people in took_part.values():
        members_group.update(people)
    rounds = []
    for r in range(1, last + 1):
        cells = []
        for g in groups:

            def mine(ids, key=g["key"]):
                return {m for m in ids if key is None or shown_as.get(members_group[m]) == key}

            took = mine(took_part.get(r, {}))
            done = mine(finished.get(r, set()))
            before = mine(finished.get(r - 1, set())) if r > 1 else set()
            cell = {
                "label": g["label"],
                "key": g["key"],
                "took_part": len(took),
                "finished": len(done),
                "asked": len(before) if r > 1 else None,
                "continued": len(before & done) if r > 1 else None,
                "dropped": len(before - done) if r > 1 else None,
            }
            if protect:
                for name in ("took_part", "finished", "asked", "continued", "dropped"):
                    if cell[name] is not None:
                        cell[name] = small_numbers.protect(cell[name]).label
            cells.append(cell)
        rounds.append({"round": r, "groups": cells, "open": r == consultation.delphi_round})
    return rounds


def _pct(dist: dict[int, int], values, voters: int) -> float:
    if not voters:
        return 0.0
    return 100.0 * sum(dist.get(v, 0) for v in values) / voters


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def poll_results(consultation: Consultation) -> list[dict]:
    polls = list(consultation.polls.prefetch_related("choices"))
    counts = (
        PollAnswer.objects.filter(poll__consultation=consultation, choice__isnull=False)
        .values("choice_id")
        .annotate(n=Count("pk"))
    )
    by_choice = {row["choice_id"]: row["n"] for row in counts}
    respondents = dict(
        PollAnswer.objects.filter(poll__consultation=consultation)
        .values("poll_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("poll_id", "n")
    )
    others = {}
    for poll_id, text in PollAnswer.objects.filter(
        poll__consultation=consultation, choice__isnull=True
    ).values_list("poll_id", "other_text"):
        others.setdefault(poll_id, []).append(text)
    results = []
    for poll in polls:
        total = respondents.get(poll.pk, 0)
        results.append(
            {
                "poll": poll,
                "respondents": total,
                "choices": [
                    {
                        "choice": c,
                        "count": by_choice.get(c.pk, 0),
                        "pct": 100.0 * by_choice.get(c.pk, 0) / total if total else 0.0,
                    }
                    for c in poll.choices.all()
                ],
                "other": sorted(others.get(poll.pk, [])),
            }
        )
    return results


def participants_by_consultation(consultation_ids) -> dict[int, set[int]]:
    """Consultation id -> member ids of everyone who responded there: voted or answered a poll
    (one query), or sent a review (feedback's answer to the consultation_participants hook,
    engagement.consultations.hooks), however many consultations."""
    ids = list(consultation_ids)
    result: dict[int, set[int]] = {pk: set() for pk in ids}
    voted = (
        Vote.objects.filter(consultation_id__in=ids)
        .values_list("consultation_id", "member_id")
        .union(
            PollAnswer.objects.filter(poll__consultation_id__in=ids).values_list(
                "poll__consultation_id", "member_id"
            )
        )
    )
    for consultation_id, member_id in [*voted, *hooks.participant_pairs(ids)]:
        result[consultation_id].add(member_id)
    return result


def participants(consultation: Consultation) -> set[int]:
    """Member ids of everyone who responded to this consultation (votes, polls, reviews)."""
    return participants_by_consultation([consultation.pk])[consultation.pk]


def response_rate(consultation: Consultation) -> dict:
    """Invited and responded (invited audience), or eligible and responded (all active)."""
    responders = participants(consultation)
    if consultation.audience == Consultation.Audience.INVITED:
        invitations = Invitation.objects.filter(consultation=consultation)
        invited = invitations.count()
        responded = invitations.filter(member_id__in=responders).count()
        reminded = invitations.filter(reminded_at__isnull=False).count()
    else:
        active = Member.objects.filter(status=Member.Status.ACTIVE)
        invited = active.count()
        # Only people who can still take part count, so the rate never passes 100 %.
        responded = active.filter(pk__in=responders).count()
        reminded = Invitation.objects.filter(
            consultation=consultation, reminded_at__isnull=False
        ).count()
    return {
        "invited": invited,
        "responded": responded,
        "reminded": reminded,
        "rate": 100.0 * responded / invited if invited else 0.0,
    }


def initial_votes(member: Member, consultation: Consultation, mine: dict | None = None) -> dict:
    """The vote form's starting values for a member (their own page or a manager entering for
    them): their current votes (`mine`, my_votes, when the caller has them); in a Delphi round
    after the first, not yet answered, their ratings of the round before, to keep or change."""
    if mine is None:
        mine = my_votes(member, consultation)
    if not mine and vote_round_for(consultation) > 1:
        mine = my_votes(member, consultation, vote_round=consultation.delphi_round - 1)
    support = consultation.voting_method == Consultation.Method.SUPPORT
    return {f"feature-{fid}": True if support else value for fid, value in mine.items()}


def my_votes(member: Member, consultation: Consultation, vote_round: int | None = None) -> dict:
    vote_round = vote_round_for(consultation, vote_round)
    return dict(
        Vote.objects.filter(member=member, consultation=consultation, round=vote_round).values_list(
            "feature_id", "value"
        )
    )


def my_poll_answers(member: Member, consultation: Consultation) -> dict[int, dict]:
    answers: dict[int, dict] = {}
    for poll_id, choice_id, other in PollAnswer.objects.filter(
        member=member, poll__consultation=consultation
    ).values_list("poll_id", "choice_id", "other_text"):
        entry = answers.setdefault(poll_id, {"choices": set(), "other": ""})
        if choice_id:
            entry["choices"].add(choice_id)
        else:
            entry["other"] = other
    return answers


def _theirs(consultations, member: Member):
    return (
        consultations.filter(
            Q(audience=Consultation.Audience.ALL_ACTIVE) | Q(invitations__member=member)
        )
        .distinct()
        .order_by("closes_at")
    )


def open_consultations_for(member: Member):
    """Consultations open now that this member may take part in."""
    qs = Consultation.objects.open_now(timezone.now())
    if member.status != Member.Status.ACTIVE:
        return qs.none()
    return _theirs(qs, member)


def open_consultations_and_next_change(member: Member, now=None):
    """open_consultations_for(member) as a list, and when that list next changes by the clock
    alone (one of them closes, or one scheduled for them opens; None: never), in one query."""
    now = now or timezone.now()
    if member.status != Member.Status.ACTIVE:
        return [], None
    open_or_coming = list(
        _theirs(Consultation.objects.released().filter(closes_at__gt=now), member)
    )
    return (
        [c for c in open_or_coming if c.opens_at <= now],
        min((c.next_change(now) for c in open_or_coming), default=None),
    )


def anonymous_id(consultation_id: int, member_id: int) -> str:
    """A stable pseudonym per consultation, so exports never carry member ids."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{consultation_id}:{member_id}".encode(), hashlib.sha256
    )
    return "P-" + digest.hexdigest()[:10]


# --- What a consultation asks, whether it is ready, what an invitation says ---------------------


def own_activities(consultation: Consultation) -> list[Activity]:
    """What engagement itself asks in a consultation: votes on its features, its polls."""
    activities = []
    features = consultation.features.count()
    if features:
        activities.append(
            Activity(
                ActivityType.VOTING,
                ngettext("Vote on %(n)d app feature", "Vote on %(n)d app features", features)
                % {"n": features},
                ESTIMATED_MINUTES[ActivityType.VOTING],
            )
        )
    polls = consultation.polls.count()
    if polls:
        activities.append(
            Activity(
                ActivityType.POLL,
                ngettext("Answer %(n)d quick question", "Answer %(n)d quick questions", polls)
                % {"n": polls},
                ESTIMATED_MINUTES[ActivityType.POLL],
            )
        )
    return activities


def activities(consultation: Consultation) -> list[Activity]:
    """Everything members are asked to do in it, with the time each is estimated to take."""
    found = own_activities(consultation)
    for part in hooks.parts(consultation):
        found.extend(part.activities)
    return found


def own_checks(consultation: Consultation) -> list[Check]:
    edit = reverse("consultations:edit", args=[consultation.pk])
    todo = activities(consultation)
    checks = [
        Check(
            bool(todo),
            _(
                "There is nothing to do in it yet: add features, a poll, a questionnaire or a "
                "prototype."
            ),
            url=edit,
            done=ngettext(
                "Members have %(n)d thing to do.", "Members have %(n)d things to do.", len(todo)
            )
            % {"n": len(todo)},
        ),
        Check(
            consultation.closes_at > timezone.now(),
            _("Its closing date has passed: set a later one."),
            url=edit,
            done=_("It closes on %(d)s.") % {"d": long_date(consultation.closes_at)},
        ),
    ]
    polls = list(consultation.polls.annotate(n=Count("choices")))
    few_choices = [p.question for p in polls if p.n < 2]
    if polls:
        checks.append(
            Check(
                not few_choices,
                _("Give each quick question at least two answers to choose from (%(q)s).")
                % {"q": "; ".join(few_choices)},
                url=edit,
                done=_("Each quick question has at least two answers to choose from."),
            )
        )
    if consultation.voting_method == Consultation.Method.POINTS:
        features = consultation.features.count()
        checks.append(
            Check(
                features == 0 or features >= 2,
                _("Points need at least two features to spread them over."),
                url=edit,
                done=_("There are features enough to spread the points over."),
            )
        )
    if consultation.audience == Consultation.Audience.INVITED:
        invited = consultation.invitations.count()
        checks.append(
            Check(
                invited > 0,
                _(
                    "Only invited members can take part, and nobody is invited yet: invite them "
                    "once it is open or scheduled."
                ),
                blocking=False,
                done=ngettext("%(n)d member is invited.", "%(n)d members are invited.", invited)
                % {"n": invited},
            )
        )
    return checks


def readiness(consultation: Consultation) -> list[Check]:
    """The checklist before it opens: a blocking check not done keeps it a draft."""
    checks = own_checks(consultation)
    for part in hooks.parts(consultation):
        checks.extend(part.checks)
    today = timezone.localdate()
    for activity in activities(consultation):
        if rate_for(activity_type=activity.activity_type, on_date=today) is None:
            checks.append(
                Check(
                    False,
                    _(
                        "The rate card has no rate for “%(a)s” today: no payment will be offered "
                        "for it."
                    )
                    % {"a": ActivityType(activity.activity_type).label},
                    blocking=False,
                    url=reverse("rate_card:index"),
                )
            )
    return checks


def invitation_context(consultation: Consultation) -> dict:
    """What an invitation says beyond the consultation itself: whether it opens later, what to
    do, how long it takes in all (the involvement log's estimates), and the payment the rate
    card offers for it today."""
    today = timezone.localdate()
    rows = []
    for activity in activities(consultation):
        rows.append(
            {
                "label": activity.label,
                "minutes": activity.minutes,
                "payment": payment_offered_for(
                    activity_type=activity.activity_type, on_date=today, minutes=activity.minutes
                ),
            }
        )
    return {
        "opens_later": consultation.opens_at > timezone.now(),
        "activities": rows,
        "total_minutes": sum(r["minutes"] for r in rows),
        "total_payment": sum((r["payment"] for r in rows), start=Decimal("0.00")),
    }


def invitations_overview(consultation: Consultation) -> dict:
    """Who was invited, who has answered, who has not (to remind by email or to call), and what
    invited members said would make taking part easier."""
    invitations = list(
        consultation.invitations.select_related("member__user").order_by(
            "member__display_name", "pk"
        )
    )
    from engagement.consultations.services import wants_email

    waiting = [i for i in invitations if i.responded_at is None and i.member.status == "active"]
    return {
        "invited": len(invitations),
        "responded": sum(1 for i in invitations if i.responded_at),
        "waiting_email": [i for i in waiting if wants_email(i.member)],
        "waiting_call": [i for i in waiting if not wants_email(i.member)],
        "reminded": sum(1 for i in invitations if i.reminded_at),
        "access_needs": [i for i in invitations if i.access_needs],
    }


def member_data(member: Member) -> list:
    """The member's votes, poll answers (with their "other" text) and invitations, for their
    own data page (3 queries)."""
    votes = [
        Entry(
            f"{vote.consultation.title}: {vote.feature.title}",
            [
                Field("consultation", _("Consultation"), vote.consultation.title),
                Field("feature", _("Feature"), vote.feature.title),
                Field("kind", _("Kind of vote"), vote.get_kind_display()),
                Field(
                    "value",
                    _("Your vote"),
                    _("unable to score")
                    if vote.kind == Vote.Kind.RATING and vote.value == Vote.UNABLE_TO_SCORE
                    else vote.value,
                ),
                Field("round", _("Round"), vote.round),
                Field("entered_for_you", _("Entered for you by the team"), vote.assisted),
                Field("at", _("When"), iso(vote.updated_at)),
            ],
        )
        for vote in Vote.objects.filter(member=member)
        .select_related("consultation", "feature")
        .order_by("created_at", "pk")
    ]
    answers = [
        Entry(
            answer.poll.question,
            [
                Field("consultation", _("Consultation"), answer.poll.consultation.title),
                Field("question", _("Question"), answer.poll.question),
                Field("choice", _("Your answer"), answer.choice.text if answer.choice_id else None),
                Field("other_text", _("Your own answer (other)"), answer.other_text),
                Field("at", _("When"), iso(answer.created_at)),
            ],
        )
        for answer in PollAnswer.objects.filter(member=member)
        .select_related("poll__consultation", "choice")
        .order_by("created_at", "pk")
    ]
    invitations = [
        Entry(
            invitation.consultation.title,
            [
                Field("consultation", _("Consultation"), invitation.consultation.title),
                Field("sent_at", _("Invited"), iso(invitation.sent_at)),
                Field("reminded_at", _("Reminded"), iso(invitation.reminded_at)),
                Field("responded_at", _("You answered"), iso(invitation.responded_at)),
                Field(
                    "access_needs",
                    _("What would make taking part easier"),
                    invitation.access_needs,
                ),
            ],
        )
        for invitation in Invitation.objects.filter(member=member)
        .select_related("consultation")
        .order_by("sent_at", "pk")
    ]
    return [
        Section("votes", _("Your votes"), 40, votes),
        Section("poll_answers", _("Your answers to quick questions"), 41, answers),
        Section("invitations", _("Invitations we sent you"), 30, invitations),
    ]


@dataclass(frozen=True)
class Parts:
    features: list
    polls: list
    screens: list  # of its prototype page, whether or not that is live now


def consultation_parts(consultation: Consultation) -> Parts:
    """What the managers set up and every member is shown alike: the features (with their
    images and screens), the polls with their choices, the prototype's screens. Four queries
    when built; kept in the shared cache until a new page-cache version starts, which saving
    or deleting any of them (or an image, or publishing the prototype) does
    (engagement/consultations/receivers.py, cms/wagtail_hooks.py)."""

    def build() -> Parts:
        features = consultation.features.select_related("image", "screen__image")
        screens = []
        if consultation.prototype_id:
            screens = list(
                PrototypeScreen.objects.filter(page_id=consultation.prototype_id).select_related(
                    "image"
                )
            )
        return Parts(
            features=list(features.order_by("sort_order", "pk")),
            polls=list(consultation.polls.prefetch_related("choices")),
            screens=screens,
        )

    if not hasattr(consultation, "_parts"):  # once per request
        consultation._parts = page_cache.cached(f"consultation-parts:{consultation.pk}", build)
    return consultation._parts
