"""What a consultation found, in plain sentences, for outcome pages and the GRIPP2 report."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engagement.consultations import selectors
from engagement.consultations.models import Consultation
from feedback.prototypes import selectors as prototype_selectors
from feedback.questionnaires.models import Questionnaire


def voting_findings(consultation: Consultation) -> list[str]:
    """What the votes and polls found."""
    results = selectors.consultation_results(consultation, equal_weights=True)
    lines = []
    if results["participants"]:
        parts = ", ".join(
            f"{g['label'].lower()}: {g['participants']}"
            for g in results["groups"]
            if g["participants"]
        )
        lines.append(
            ngettext(
                "%(n)d person voted on the app's features (%(parts)s).",
                "%(n)d people voted on the app's features (%(parts)s).",
                results["participants"],
            )
            % {"n": results["participants"], "parts": parts}
        )
        top = [r["feature"].title for r in results["rows"][:3] if r["score"] > 0]
        if top:
            lines.append(
                _("Top features, each stakeholder group counted equally: %(top)s.")
                % {"top": "; ".join(top)}
            )
        if results["delphi"]:
            agreed = [r["feature"].title for r in results["rows"] if r["consensus"] == "in"]
            if agreed:
                lines.append(
                    _("Agreed as critical (Delphi consensus): %(f)s.") % {"f": "; ".join(agreed)}
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
        sus = prototype_selectors.sus_summary(consultation.prototype)
        if sus["n"]:
            ci = ""
            if sus["low"] is not None:
                ci = _(" (95%% confidence interval %(l).0f to %(h).0f)") % {
                    "l": sus["low"],
                    "h": sus["high"],
                }
            lines.append(
                ngettext(
                    "%(n)d person rated how easy the app is to use: %(m).0f out of 100%(ci)s; "
                    "the average for apps is %(b)d.",
                    "%(n)d people rated how easy the app is to use: %(m).0f out of 100%(ci)s; "
                    "the average for apps is %(b)d.",
                    sus["n"],
                )
                % {"n": sus["n"], "m": sus["mean"], "ci": ci, "b": sus["benchmark"]}
            )
    return lines


def findings(consultation: Consultation) -> list[str]:
    """Everything a consultation found, in plain sentences (outcome pages, GRIPP2 item 3)."""
    return [*voting_findings(consultation), *feedback_findings(consultation)]
