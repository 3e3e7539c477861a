"""The PPIE manager's analysis of questionnaire reviews and the item-tracking matrix."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from engagement.common.admin import ObjectActionView, ObjectPageView
from engagement.common.charts import horizontal_bar_chart
from engagement.common.exports import FormulaSafeExportMixin
from engagement.common.forms import add_service_errors
from engagement.consultations.selectors import anonymous_id
from engagement.membership.models import StakeholderGroup, stakeholder_group_or_none
from engagement.membership.selectors import quote_consenting_members
from feedback.questionnaires.models import Item, ItemFeedback, Questionnaire

from . import selectors, services


class TrackingForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["problem_type", "severity", "decision", "revised_wording", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}


class QuestionnairePageView(ObjectPageView):
    model = Questionnaire

    @property
    def questionnaire(self) -> Questionnaire:
        return self.object


class QuestionnaireAnalysisView(QuestionnairePageView):
    """What members said, item by item (most flagged first). Read-only: decisions are recorded
    on the matrix page, so this page stays quick however many reviews there are."""

    template_name = "questionnaires/admin/questionnaire_analysis.html"

    def get_context_data(self, **kwargs):
        analysis = selectors.item_analysis(
            self.questionnaire, group=stakeholder_group_or_none(self.request.GET.get("group"))
        )
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
            "can_change": self.user_can("change"),
        }


class QuestionnaireMatrixView(QuestionnairePageView):
    """The item-tracking matrix: per item the problem, severity, decision, revised wording and
    rationale, next to that item's headline numbers. Saved all rows or none."""

    permission_required = "change"
    template_name = "questionnaires/admin/questionnaire_matrix.html"

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
            "can_add": self.user_can("add"),
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
                return redirect("questionnaires:matrix", pk=pk)
        messages.error(
            request,
            _("Nothing was saved: the items marked below need a change first."),
        )
        posted = {row["item"].pk: row for row in rows}
        return self.render_to_response(
            self.get_context_data(rows=[posted.get(row["item"].pk, row) for row in self.rows()])
        )


class NextVersionView(ObjectActionView):
    """Build version n+1 from the matrix's decisions, then edit it."""

    model = Questionnaire
    permission_required = "add"

    def post(self, request, *args, **kwargs):
        try:
            new = services.create_next_version(questionnaire=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("questionnaires:matrix", pk=self.object.pk)
        messages.success(
            request, _("Version %(v)d created from your decisions.") % {"v": new.version}
        )
        return redirect("questionnaires:edit", new.pk)


class SpreadsheetView(FormulaSafeExportMixin, SpreadsheetExportMixin, QuestionnairePageView):
    """A questionnaire's rows as CSV or XLSX (?export=csv|xlsx)."""

    def respond(self, rows, filename):
        fmt = self.request.GET.get("export")
        if fmt not in self.FORMATS:
            raise Http404
        self.export_filename = filename
        if not self.export_headings:
            self.export_headings = {k: k.replace("_", " ").capitalize() for k in self.list_export}
        return self.as_spreadsheet(rows, fmt)


class ResponsesExportView(SpreadsheetView):
    """Every item answer, anonymised, one row per participant and item."""

    export_sheet = gettext_lazy("Answers")
    export_notes = {
        "participant": gettext_lazy(
            "A pseudonym per person and consultation: the same person has the same pseudonym in "
            "this consultation's exports, and a different one in other consultations."
        ),
        "stakeholder_group": gettext_lazy(
            "From the person's role: patients; carers; the public (including “other”); "
            "professionals (clinicians, researchers, industry, charities)."
        ),
        "may_quote": gettext_lazy(
            "Yes when the person agreed, and has not withdrawn it, to be quoted without their name."
        ),
        "assisted": gettext_lazy("Yes when a PPIE manager entered the answers for them."),
    }

    def get_export_title(self) -> str:
        return _("Anonymised answers: %(q)s") % {"q": self.questionnaire}

    list_export = [
        "participant", "stakeholder_group", "item_number", "item", "relevance", "own_words",
        "unclear_words", "recall_fit", "options_fit", "upsetting", "would_skip",
        "suggested_rewording", "comment", "may_quote", "assisted",
    ]  # fmt: skip

    def get(self, request, pk):
        questionnaire = self.questionnaire
        numbers = {
            pk: n for n, pk in enumerate(questionnaire.items.values_list("pk", flat=True), 1)
        }
        answers = list(
            ItemFeedback.objects.filter(review__questionnaire=questionnaire)
            .select_related("item", "review__member")
            .order_by("review__member_id", "item__sort_order")
        )
        quoting = quote_consenting_members({a.review.member_id for a in answers})
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


class MatrixExportView(SpreadsheetView):
    """The item-tracking matrix: each item's headline figures and the team's decision."""

    export_sheet = gettext_lazy("Item tracking")
    export_notes = {
        "relevant_pct": gettext_lazy(
            "Of the answers given about the item, the share rating it quite or very relevant."
        ),
        "unclear_pct": gettext_lazy(
            "The share who named unclear words or said the answer options do not fit."
        ),
        "upsetting_pct": gettext_lazy("The share who said it could upset (a little or yes)."),
    }

    def get_export_title(self) -> str:
        return _("Item-tracking matrix: %(q)s") % {"q": self.questionnaire}

    list_export = [
        "number", "item", "relevant_pct", "unclear_pct", "upsetting_pct", "problem_type",
        "severity", "decision", "revised_wording", "rationale", "version",
    ]  # fmt: skip

    def get(self, request, pk):
        questionnaire = self.questionnaire
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
