"""What a consultation found, in plain sentences, for outcome pages and the GRIPP2 report."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engagement.common.small_numbers import is_small, threshold
from engagement.consultations import selectors
from engagement.consultations.models import Consultation
from feedback.prototypes import selectors as prototype_selectors
from feedback.questionnaires.models import Questionnaire


def voting_findings(consultation: Consultation) -> list[str]:
    """What the votes and polls found. These sentences are public (outcome pages, the GRIPP2
    report), so stakeholder groups of fewer than SMALL_NUMBER_THRESHOLD people are pooled as
    "other groups", as members see them on the results."""
    results = selectors.consultation_results(consultation, equal_weights=True, protect=True)
    lines = []
    if results["participants"]:
        parts = ", ".join(
            f"{g['label'].lower()}: {g['participants']}"
            for g in results["groups"]
            if g["participants"]
        )
        counted = {"n": results["participants"], "parts": parts}
        if parts:
            line = ngettext(
                "%(n)d person voted on the app's features (%(parts)s).",
                "%(n)d people voted on the app's features (%(parts)s).",
                results["participants"],
            )
        else:
            line = ngettext(
                "%(n)d person voted on the app's features.",
                "%(n)d people voted on the app's features.",
                results["participants"],
            )
        lines.append(line % counted)
        shown = [g["key"] for g in results["groups"]]
        rows = results["rows"]
        if len(shown) < 2:  # one group, or all pooled: ranked by everyone's answers together
            raw = "high_pct" if results["delphi"] else "total"
            rows = sorted(rows, key=lambda r: -r[raw])  # stable: ties keep the results' order
            rows = [{**r, "score": r[raw]} for r in rows]
        top = "; ".join(r["feature"].title for r in rows[:3] if r["score"] > 0)
        if top and len(shown) < 2:
            lines.append(_("Top features: %(top)s.") % {"top": top})
        elif top and selectors.OTHER_GROUPS in shown:
            lines.append(
                _(
                    "Top features, each stakeholder group counted equally (the smaller groups "
                    "together as one): %(top)s."
                )
                % {"top": top}
            )
        elif top:
            lines.append(
                _("Top features, each stakeholder group counted equally: %(top)s.") % {"top": top}
            )
        if results["delphi"]:
            agreed = [r["feature"].title for r in results["rows"] if r["consensus"] == "in"]
            if agreed:
                critical, not_important = consultation.consensus_rule()
                lines.append(
                    _(
                        "Agreed as critical (%(c)d%% or more scored it 7 to 9 and under "
                        "%(n)d%% scored it 1 to 3): %(f)s."
                    )
                    % {"c": critical, "n": not_important, "f": "; ".join(agreed)}
                )
    for poll in selectors.poll_results(consultation):
        if poll["respondents"] and poll["choices"]:
            best = max(poll["choices"], key=lambda c: c["count"])
            lines.append(
                _("“%(q)s” – most said “%(a)s” (%(p)d%% of %(n)d).")
                % {
                    "q": poll["poll"].question,
                    "a": best["choice"].text,
                    "p": round(best["pct"]),
                    "n": poll["respondents"],
                }
            )
    return lines


def feedback_findings(consultation: Consultation) -> list[str]:
    """What the questionnaire and prototype reviews found."""

    lines = []
    for q in Questionnaire.objects.filter(consultation=consultation):
        sent = q.reviews.filter(submitted_at__isnull=False).count()
        if sent:
            lines.append(
                ngettext(
                    "%(n)d person checked the questions of “%(t)s”.",
                    "%(n)d people checked the questions of “%(t)s”.",
                    sent,
                )
                % {"n": sent, "t": q}
            )
        decided = q.items.exclude(decision="").values_list("decision", flat=True)
        revised = sum(1 for d in decided if d == "revise")
        dropped = sum(1 for d in decided if d == "drop")
        if revised or dropped:
            lines.append(
                ngettext(
                    "Because of this, %(r)d question was reworded and %(d)d dropped.",
                    "Because of this, %(r)d questions were reworded and %(d)d dropped.",
                    revised,
                )
                % {"r": revised, "d": dropped}
            )
    if consultation.prototype_id:
        lines.extend(sus_findings(consultation))
    return lines


def sus_findings(consultation: Consultation) -> list[str]:
    """The System Usability Scale of the reviews sent in this consultation (each review is
    counted once, in the consultation it was given in), in plain sentences: the score with its
    likely range, the average across about 500 studies of many kinds of products (Sauro 2011)
    and the nearest word of Bangor, Kortum and Miller's (2009) adjective scale."""
    sus = prototype_selectors.sus_summary(consultation.prototype, consultation=consultation)
    if not sus["n"]:
        return []
    if is_small(sus["n"]):
        # A score of one to four people could be worked back to a person (small numbers).
        return [
            _(
                "Fewer than %(t)d people rated how easy the app is to use, too few to show "
                "their score without it pointing at someone."
            )
            % {"t": threshold()}
        ]
    values = {"n": sus["n"], "m": sus["mean"]}
    if sus["low"] is None:  # one review (only when the small-number threshold is 1)
        score = ngettext(
            "%(n)d person rated how easy the app is to use, with the ten statements of the "
            "System Usability Scale. Their score was %(m).0f out of 100.",
            "%(n)d people rated how easy the app is to use, with the ten statements of the "
            "System Usability Scale. Their average score was %(m).0f out of 100.",
            sus["n"],
        )
    else:
        score = _(
            "%(n)d people rated how easy the app is to use, with the ten statements of the "
            "System Usability Scale. Their average score was %(m).0f out of 100 (with this many "
            "people, the true average is probably between %(l).0f and %(h).0f)."
        )
        values.update({"l": sus["low"], "h": sus["high"]})
    return [
        score % values,
        _(
            "For comparison, the average score across about 500 studies of many kinds of "
            "products is %(b)d (Sauro 2011)."
        )
        % {"b": sus["benchmark"]},
        _(
            "In a study of many products, people who called a product “%(word)s” gave it "
            "%(a)s on average, the nearest to this score (Bangor, Kortum and Miller 2009)."
        )
        % {"word": sus["adjective"]["word"], "a": floatformat(sus["adjective"]["mean"], 1)},
    ]


def findings(consultation: Consultation) -> list[str]:
    """Everything a consultation found, in plain sentences (outcome pages, GRIPP2 item 3)."""
    return [*voting_findings(consultation), *feedback_findings(consultation)]
