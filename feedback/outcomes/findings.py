"""What a consultation found, in plain sentences, for outcome pages and the GRIPP2 report."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from engagement.consultations import selectors
from engagement.consultations.models import Consultation


@hooks.register("consultation_findings")
def voting_findings(request, consultation: Consultation) -> list[str]:
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
