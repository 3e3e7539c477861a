"""The GRIPP2 short-form report built from the records (Staniszewska et al., BMJ 2017): aim,
methods, results, influence, reflections."""

from django.db.models import Count, Prefetch, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engagement.common.dates import long_date
from engagement.consultations.models import Consultation, Invitation
from engagement.involvement.models import InvolvementRecord
from feedback.outcomes.findings import findings
from feedback.outcomes.models import OutcomeChange, OutcomePage


def gripp2(consultations: list[Consultation]) -> dict:
    """The five GRIPP2-SF items, filled from the platform's records."""
    ids = [c.pk for c in consultations]
    records = InvolvementRecord.objects.filter(consultation_id__in=ids)
    totals = records.aggregate(people=Count("member", distinct=True), minutes=Sum("minutes"))
    invited = Invitation.objects.filter(consultation_id__in=ids).count()
    by_activity = records.values("activity_type").annotate(n=Count("pk")).order_by("activity_type")
    labels = dict(InvolvementRecord._meta.get_field("activity_type").choices)
    sections = []
    aims = [f"{c.title}: {c.summary}" for c in consultations]
    sections.append({"number": 1, "title": _("Aim of PPI in the study"), "lines": aims})
    methods = []
    for c in consultations:
        methods.append(
            _("%(t)s – %(method)s; open %(start)s to %(end)s; %(aud)s; recorded as %(label)s.")
            % {
                "t": c.title,
                "method": c.get_voting_method_display(),
                "start": long_date(c.opens_at),
                "end": long_date(c.closes_at),
                "aud": c.get_audience_display().lower(),
                "label": c.get_activity_label_display().lower(),
            }
        )
    if invited:
        methods.append(
            ngettext(
                "%(n)d invitation was sent by email.",
                "%(n)d invitations were sent by email.",
                invited,
            )
            % {"n": invited}
        )
    for row in by_activity:
        methods.append(f"{labels.get(row['activity_type'], row['activity_type'])}: {row['n']}")
    sections.append({"number": 2, "title": _("Methods used for PPI"), "lines": methods})
    results = []
    if totals["people"]:
        results.append(
            ngettext(
                "%(p)d contributor took part, giving about %(h)s hours in all.",
                "%(p)d contributors took part, giving about %(h)s hours in all.",
                totals["people"],
            )
            % {"p": totals["people"], "h": round((totals["minutes"] or 0) / 60, 1)}
        )
    for c in consultations:
        # Each consultation's own findings (a review counts once, in the consultation it was
        # given in), named by consultation when the report covers more than one.
        found = findings(c)
        if len(consultations) > 1:
            found = [f"{c.title} – {line}" for line in found]
        results.extend(found)
    sections.append(
        {"number": 3, "title": _("Results of PPI (positive and negative)"), "lines": results}
    )
    influence, reflections = [], []
    pages = (
        OutcomePage.objects.live()
        .filter(consultation__in=consultations)
        .prefetch_related(Prefetch("changes", OutcomeChange.objects.select_related("app_version")))
        .order_by("consultation__opens_at", "path")
    )
    for page in pages:  # every consultation's outcome pages and their changes in two queries
        for change in page.changes.all():
            line = change.title
            if change.app_version_id:
                line += " " + _("(in %(v)s)") % {"v": change.app_version.version_label}
            influence.append(line)
        if page.reflections:
            reflections.append(page.reflections)
    if not influence:
        influence.append(_("No changes have been recorded yet."))
    sections.append(
        {"number": 4, "title": _("Extent to which PPI influenced the study"), "lines": influence}
    )
    sections.append(
        {
            "number": 5,
            "title": _("Critical reflection: what went well and what did not"),
            "lines": [],
            "rich": reflections,
            "empty": _("No reflections recorded yet. Add them on the outcome page."),
        }
    )
    return {"consultations": consultations, "sections": sections}
