"""The PPIE manager's analysis of structured feedback, in the Wagtail admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms.models import PrototypePage
from engagement.common.charts import horizontal_bar_chart
from engagement.common.exports import neutralise
from engagement.common.forms import add_service_errors, parse_id
from engagement.consultations.selectors import anonymous_id
from engagement.membership.models import StakeholderGroup

from . import selectors, services
from .models import SUS_BENCHMARK, SUS_ITEMS, Item, ItemFeedback, PrototypeReview, Questionnaire

VIEW = "feedback.view_questionnaire"
CHANGE = "feedback.change_questionnaire"


class ManagerMixin:
    permission = VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TrackingForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["problem_type", "severity", "decision", "revised_wording", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}


def _group(request) -> str | None:
    group = request.GET.get("group") or None
    return group if group in StakeholderGroup.values else None


class QuestionnaireAnalysisView(ManagerMixin, TemplateView):
    """What members said, item by item (most flagged first). Read-only: decisions are recorded
    on the matrix page, so this page stays quick however many reviews there are."""

    template_name = "feedback/admin/questionnaire_analysis.html"

    def get_context_data(self, pk, **kwargs):
        questionnaire = get_object_or_404(Questionnaire, pk=pk)
        analysis = selectors.item_analysis(questionnaire, group=_group(self.request))
        chart = horizontal_bar_chart(
            chart_id="flags-chart",
            title=_("Items most often flagged as unclear or upsetting"),
            description=_(
                "Number of flags per item, most flagged first; the table has the same numbers."
            ),
            bars=[(e["item"].text, e["flags"]) for e in analysis["items"]],
        )
        return {
            **super().get_context_data(**kwargs),
            **analysis,
            "chart": chart,
            "groups": StakeholderGroup.choices,
            "can_change": self.request.user.has_perm(CHANGE),
        }


class QuestionnaireMatrixView(ManagerMixin, TemplateView):
    """The item-tracking matrix: per item the problem, severity, decision, revised wording and
    rationale, next to that item's headline numbers. Saved all rows or none."""

    permission = CHANGE
    template_name = "feedback/admin/questionnaire_matrix.html"

    @cached_property
    def questionnaire(self):
        return get_object_or_404(Questionnaire, pk=self.kwargs["pk"])

    def rows(self, data=None) -> list[dict]:
        return [
            {
                **counts,
                "form": TrackingForm(data, instance=counts["item"], prefix=f"item-{pk}"),
            }
            for pk, counts in selectors.item_counts(self.questionnaire).items()
        ]

    def get_context_data(self, rows=None, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "questionnaire": self.questionnaire,
            "rows": self.rows() if rows is None else rows,
            "can_add": self.request.user.has_perm("feedback.add_questionnaire"),
        }

    def post(self, request, pk):
        # Only the rows the post carries: a row left out is left as it is.
        rows = [
            row
            for row in self.rows(request.POST)
            if any(key.startswith(row["form"].prefix + "-") for key in request.POST)
        ]
        valid = [row["form"].is_valid() for row in rows]  # every row, so each shows its errors
        if all(valid):
            errors = services.save_tracking_matrix(
                questionnaire=self.questionnaire,
                rows={row["item"].pk: row["form"].cleaned_data for row in rows},
            )
            for row in rows:
                if row["item"].pk in errors:
                    add_service_errors(row["form"], errors[row["item"].pk])
            if not errors:
                messages.success(request, _("The item-tracking matrix is saved."))
                return redirect("feedback_admin:questionnaire_matrix", pk=pk)
        messages.error(
            request,
            _("Nothing was saved: the items marked below need a change first."),
        )
        posted = {row["item"].pk: row for row in rows}
        return self.render_to_response(
            self.get_context_data(rows=[posted.get(row["item"].pk, row) for row in self.rows()])
        )


@require_POST
def next_version(request, pk):
    if not request.user.has_perm("feedback.add_questionnaire"):
        raise PermissionDenied
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    try:
        new = services.create_next_version(questionnaire=questionnaire)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("feedback_admin:questionnaire_matrix", pk=pk)
    messages.success(request, _("Version %(v)d created from your decisions.") % {"v": new.version})
    return redirect("questionnaires:edit", new.pk)


class SafeSpreadsheetView(ManagerMixin, SpreadsheetExportMixin, View):
    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {k: neutralise(v) for k, v in row_dict.items()})

    def respond(self, rows, filename):
        fmt = self.request.GET.get("export")
        if fmt not in self.FORMATS:
            raise Http404
        self.export_filename = filename
        if not self.export_headings:
            self.export_headings = {k: k.replace("_", " ").capitalize() for k in self.list_export}
        return self.as_spreadsheet(rows, fmt)


class ResponsesExportView(SafeSpreadsheetView):
    """Every item answer, anonymised, one row per participant and item."""

    list_export = [
        "participant", "stakeholder_group", "item_number", "item", "relevance", "own_words",
        "unclear_words", "recall_fit", "options_fit", "upsetting", "would_skip",
        "suggested_rewording", "comment", "may_quote", "assisted",
    ]  # fmt: skip

    def get(self, request, pk):
        questionnaire = get_object_or_404(Questionnaire, pk=pk)
        numbers = {
            pk: n for n, pk in enumerate(questionnaire.items.values_list("pk", flat=True), 1)
        }
        answers = list(
            ItemFeedback.objects.filter(review__questionnaire=questionnaire)
            .select_related("item", "review__member")
            .order_by("review__member_id", "item__sort_order")
        )
        quoting = selectors.quote_consenting_members({a.review.member_id for a in answers})
        rows = [
            {
                "participant": anonymous_id(questionnaire.consultation_id, a.review.member_id),
                "stakeholder_group": str(StakeholderGroup(a.review.member.stakeholder_group).label),
                "item_number": numbers.get(a.item_id),
                "item": a.item.text,
                "relevance": a.get_relevance_display(),
                "own_words": a.own_words,
                "unclear_words": a.unclear_words,
                "recall_fit": a.get_recall_fit_display(),
                "options_fit": a.get_options_fit_display(),
                "upsetting": a.get_upsetting_display(),
                "would_skip": _("yes") if a.would_skip else _("no"),
                "suggested_rewording": a.suggested_rewording,
                "comment": a.comment,
                "may_quote": _("yes") if a.review.member_id in quoting else _("no"),
                "assisted": _("yes") if a.review.assisted_by_id else _("no"),
            }
            for a in answers
        ]
        return self.respond(rows, f"responses-{questionnaire.pk}-v{questionnaire.version}")


class MatrixExportView(SafeSpreadsheetView):
    list_export = [
        "number", "item", "relevant_pct", "unclear_pct", "upsetting_pct", "problem_type",
        "severity", "decision", "revised_wording", "rationale", "version",
    ]  # fmt: skip

    def get(self, request, pk):
        questionnaire = get_object_or_404(Questionnaire, pk=pk)
        rows = []
        for n, e in enumerate(selectors.item_counts(questionnaire).values(), start=1):
            item = e["item"]
            rows.append(
                {
                    "number": n,
                    "item": item.text,
                    "relevant_pct": round(e["pct_relevant"], 1),
                    "unclear_pct": round(e["pct_unclear"], 1),
                    "upsetting_pct": round(e["pct_upsetting"], 1),
                    "problem_type": item.get_problem_type_display(),
                    "severity": item.get_severity_display(),
                    "decision": item.get_decision_display(),
                    "revised_wording": item.revised_wording,
                    "rationale": item.rationale,
                    "version": questionnaire.version,
                }
            )
        return self.respond(rows, f"matrix-{questionnaire.pk}-v{questionnaire.version}")


class PrototypeAnalysisView(ManagerMixin, TemplateView):
    permission = "feedback.view_prototypereview"
    template_name = "feedback/admin/prototype_analysis.html"

    def get_context_data(self, pk, **kwargs):
        prototype = get_object_or_404(PrototypePage, pk=pk)
        group = _group(self.request)
        sus = selectors.sus_summary(prototype, group=group)
        compare = None
        other_id = parse_id(self.request.GET.get("compare"))
        if other_id is not None:
            other = PrototypePage.objects.filter(pk=other_id).first()
            if other:
                compare = selectors.sus_summary(other, group=group)
        chart = horizontal_bar_chart(
            chart_id="sus-chart",
            title=_("How many reviews scored in each SUS range"),
            description=_("Reviews per band of 10 points; the table has the same numbers."),
            bars=sus["bins"],
        )
        return {
            **super().get_context_data(**kwargs),
            "prototype": prototype,
            "sus": sus,
            "benchmark": SUS_BENCHMARK,
            "compare": compare,
            "chart": chart,
            "screens": selectors.screen_summary(prototype, group=group),
            "versions": PrototypePage.objects.exclude(pk=prototype.pk).order_by("title"),
            "groups": StakeholderGroup.choices,
            "group": group,
            "reviews": PrototypeReview.objects.filter(prototype=prototype).count(),
            "sus_items": SUS_ITEMS,
        }


class PrototypeListView(ManagerMixin, TemplateView):
    permission = "feedback.view_prototypereview"
    template_name = "feedback/admin/prototype_list.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Avg, Count, Q

        prototypes = PrototypePage.objects.annotate(
            submitted=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
            mean_sus=Avg("reviews__sus_score"),
        ).order_by("title")
        return {**super().get_context_data(**kwargs), "prototypes": prototypes}
