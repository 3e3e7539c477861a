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
    """One item's row of the matrix: any number of problems, severity, decision, and for a
    revised item its new wording and/or response options, with the rationale."""

    problems = forms.MultipleChoiceField(
        label=gettext_lazy("Problems the feedback showed"),
        choices=Item.Problem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick all that apply; none ticked means no problem."),
    )

    class Meta:
        model = Item
        fields = ["severity", "decision", "revised_wording", "revised_options", "rationale"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "revised_options": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None:
            self.fields["problems"].initial = instance.problems


class WholeQuestionnaireForm(forms.ModelForm):
    """The matrix's row for the whole questionnaire: new instructions and recall period."""

    class Meta:
        model = Questionnaire
        fields = ["revised_instructions", "revised_recall_period", "revision_rationale"]
        widgets = {
            "revised_instructions": forms.Textarea(attrs={"rows": 3}),
            "revision_rationale": forms.Textarea(attrs={"rows": 2}),
        }


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
    """The item-tracking matrix: per item the problems (several at once), severity, decision,
    revised wording and response options and rationale, next to that item's headline numbers;
    for the whole questionnaire new instructions and recall period; the new items (added on
    the questionnaire's edit page) listed. Saved all rows or none."""

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

    def get_context_data(self, rows=None, whole=None, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "questionnaire": self.questionnaire,
            "rows": self.rows() if rows is None else rows,
            "whole": whole or WholeQuestionnaireForm(instance=self.questionnaire, prefix="whole"),
            "new_items": list(self.questionnaire.new_items.all()),
            "can_add": self.user_can("add"),
        }

    def post(self, request, pk):
        # Only the rows the post carries: a row left out is left as it is.
        rows = [
            row
            for row in self.rows(request.POST)
            if any(key.startswith(row["form"].prefix + "-") for key in request.POST)
        ]
        whole = None
        if any(key.startswith("whole-") for key in request.POST):
            whole = WholeQuestionnaireForm(
                request.POST, instance=self.questionnaire, prefix="whole"
            )
        forms_posted = [row["form"] for row in rows] + ([whole] if whole else [])
        valid = [form.is_valid() for form in forms_posted]  # every one, so each shows its errors
        if all(valid):
            errors = services.save_tracking_matrix(
                questionnaire=self.questionnaire,
                rows={row["item"].pk: row["form"].cleaned_data for row in rows},
                whole=whole.cleaned_data if whole else None,
            )
            for row in rows:
                if row["item"].pk in errors:
                    add_service_errors(row["form"], errors[row["item"].pk])
            if whole is not None and "whole" in errors:
                add_service_errors(whole, errors["whole"])
            if not errors:
                messages.success(request, _("The item-tracking matrix is saved."))
                return redirect("questionnaires:matrix", pk=pk)
        messages.error(
            request,
            _("Nothing was saved: the items marked below need a change first."),
        )
        posted = {row["item"].pk: row for row in rows}
        return self.render_to_response(
            self.get_context_data(
                rows=[posted.get(row["item"].pk, row) for row in self.rows()], whole=whole
            )
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
    """Every item answer of the reviews sent, anonymised, one row per participant and item."""

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
            ItemFeedback.objects.filter(
                review__questionnaire=questionnaire, review__submitted_at__isnull=False
            )
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
    """The item-tracking matrix: each item's headline figures (I-CVI among them) and the team's
    decision, then the S-CVI/Ave, the changes to the whole questionnaire and the new items."""

    export_sheet = gettext_lazy("Item tracking")
    export_notes = {
        "relevant_pct": gettext_lazy(
            "Of the answers given about the item in reviews sent, the share rating it quite or "
            "very relevant."
        ),
        "i_cvi": gettext_lazy(
            "I-CVI (Polit and Beck 2006): the share of people who sent their review and rated "
            "the item 3 or 4 on the 4-point relevance scale; 0.78 or more is acceptable with six "
            "or more raters. On the “All items” row, the S-CVI/Ave: the average of the items’ "
            "I-CVIs (0.90 or more is excellent)."
        ),
        "raters": gettext_lazy("How many people who sent their review rated the item."),
        "unclear_pct": gettext_lazy(
            "The share who named unclear words or said the answer options do not fit."
        ),
        "upsetting_pct": gettext_lazy("The share who said it could upset (a little or yes)."),
        "problems": gettext_lazy(
            "Every problem the team recorded for the item, separated by “; ”."
        ),
        "decision": gettext_lazy(
            "Keep, revise or drop; “Add” for a new item, “Change” for the whole questionnaire's "
            "instructions or recall period."
        ),
    }

    def get_export_title(self) -> str:
        return _("Item-tracking matrix: %(q)s") % {"q": self.questionnaire}

    list_export = [
        "number", "item", "raters", "i_cvi", "relevant_pct", "unclear_pct", "upsetting_pct",
        "problems", "severity", "decision", "revised_wording", "revised_options", "rationale",
        "version",
    ]  # fmt: skip
    export_headings = {
        "number": gettext_lazy("Number"),
        "item": gettext_lazy("Item"),
        "raters": gettext_lazy("Raters"),
        "i_cvi": gettext_lazy("I-CVI"),
        "relevant_pct": gettext_lazy("Relevant pct"),
        "unclear_pct": gettext_lazy("Unclear pct"),
        "upsetting_pct": gettext_lazy("Upsetting pct"),
        "problems": gettext_lazy("Problems"),
        "severity": gettext_lazy("Severity"),
        "decision": gettext_lazy("Decision"),
        "revised_wording": gettext_lazy("Revised wording"),
        "revised_options": gettext_lazy("Revised response options"),
        "rationale": gettext_lazy("Rationale"),
        "version": gettext_lazy("Version"),
    }

    def get(self, request, pk):
        questionnaire = self.questionnaire
        counts = selectors.item_counts(questionnaire)
        blank = dict.fromkeys(self.list_export, "")
        rows = []
        for n, e in enumerate(counts.values(), start=1):
            item = e["item"]
            rows.append(
                {
                    "number": n,
                    "item": item.text,
                    "raters": e["n"],
                    "i_cvi": "" if e["i_cvi"] is None else round(e["i_cvi"], 2),
                    "relevant_pct": round(e["pct_relevant"], 1),
                    "unclear_pct": round(e["pct_unclear"], 1),
                    "upsetting_pct": round(e["pct_upsetting"], 1),
                    "problems": "; ".join(item.problem_labels()),
                    "severity": item.get_severity_display(),
                    "decision": item.get_decision_display(),
                    "revised_wording": item.revised_wording,
                    "revised_options": "; ".join(item.revised_options.splitlines()),
                    "rationale": item.rationale,
                    "version": questionnaire.version,
                }
            )
        cvi = selectors.content_validity(counts)
        rows.append(
            {
                **blank,
                "item": _("All items (S-CVI/Ave)"),
                "i_cvi": "" if cvi["s_cvi_ave"] is None else round(cvi["s_cvi_ave"], 2),
                "version": questionnaire.version,
            }
        )
        for label, now, new in [
            (_("Instructions"), questionnaire.instructions, questionnaire.revised_instructions),
            (_("Recall period"), questionnaire.recall_period, questionnaire.revised_recall_period),
        ]:
            if new:
                rows.append(
                    {
                        **blank,
                        "item": f"{label}: {now}" if now else label,
                        "decision": _("Change"),
                        "revised_wording": new,
                        "rationale": questionnaire.revision_rationale,
                        "version": questionnaire.version,
                    }
                )
        for n, added in enumerate(questionnaire.new_items.all(), start=1):
            rows.append(
                {
                    **blank,
                    "number": _("new %(n)d") % {"n": n},
                    "item": added.text,
                    "decision": _("Add"),
                    "revised_options": "; ".join(added.options_list()),
                    "rationale": added.rationale,
                    "version": questionnaire.version + 1,
                }
            )
        return self.respond(rows, f"matrix-{questionnaire.pk}-v{questionnaire.version}")
