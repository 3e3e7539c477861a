"""The "Who is in our group" report: the make-up of the active group, and of those who
responded to a chosen consultation, against a target population the manager enters. Aggregates
only, with small numbers protected; never a person's answers."""

import io

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permission_policies import ModelPermissionPolicy

from engagement.common.admin import ModelPageView
from engagement.common.charts import horizontal_bar_chart
from engagement.common.exports import neutralise
from engagement.consultations.models import Consultation
from engagement.equality.models import QUESTIONS
from engagement.membership.models import Member

from . import selectors


class MakeUpForm(forms.Form):
    question = forms.ChoiceField(
        label=gettext_lazy("Question"),
        choices=[(name, label) for name, label, _c in QUESTIONS],
        initial="ethnic_group",
        required=False,
    )
    consultation = forms.ModelChoiceField(
        label=gettext_lazy("Also show those who responded to"),
        queryset=Consultation.objects.order_by("-opens_at"),
        required=False,
        empty_label=gettext_lazy("No consultation"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = (self.data.get("question") if self.is_bound else None) or "ethnic_group"
        _field, _label, choices = selectors.question(name)
        for code, category in choices.choices:
            self.fields[f"target_{code}"] = forms.DecimalField(
                label=_("Target population: %(c)s (%%)") % {"c": category},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
                error_messages={
                    "invalid": _("Enter a percentage, like 12.5"),
                    "min_value": _("A percentage cannot be below 0"),
                    "max_value": _("A percentage cannot be above 100"),
                    "max_decimal_places": _("Use at most one decimal place"),
                },
            )
        self.codes = [code for code, _c in choices.choices]

    def clean(self):
        cleaned = super().clean()
        total = sum(cleaned.get(f"target_{c}") or 0 for c in self.codes)
        if total > 100:
            raise forms.ValidationError(_("The target percentages add up to more than 100."))
        return cleaned

    def targets(self) -> dict:
        return {
            c: float(self.cleaned_data[f"target_{c}"])
            for c in self.codes
            if self.cleaned_data.get(f"target_{c}") is not None
        }


class GroupMakeUpView(ModelPageView):
    """For those who may view members (what it reports on, in aggregate)."""

    permission_policy = ModelPermissionPolicy(Member)
    template_name = "equality/admin/make_up.html"
    page_title = gettext_lazy("Who is in our group")
    header_icon = "group"

    def get(self, request, *args, **kwargs):
        form = MakeUpForm(request.GET or None)
        report = None
        valid = form.is_valid() if form.is_bound else True
        if valid:
            data = form.cleaned_data if form.is_bound else {}
            consultation = data.get("consultation")
            report = selectors.group_make_up(
                name=data.get("question") or "ethnic_group",
                consultation_id=consultation.pk if consultation else None,
                targets=form.targets() if form.is_bound else {},
            )
            report["consultation"] = consultation
            if request.GET.get("format") == "xlsx":
                return self.xlsx(report)
        chart = None
        if report:
            chart = horizontal_bar_chart(
                chart_id="make-up-chart",
                title=str(report["question"]),
                description=_(
                    "Share of active members who answered, per category; categories with "
                    "fewer than 5 people are left out. The table below has every figure."
                ),
                bars=[
                    (row["category"], row["group"]["pct"])
                    for row in report["rows"]
                    if row["group"]["pct"] is not None
                ],
                value_format="{:g}%",
                max_value=100,
            )
        context = self.get_context_data(
            form=form, report=report, chart=chart, query=request.GET.urlencode()
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def xlsx(self, report) -> HttpResponse:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Who is in our group"
        sheet.append([neutralise(str(report["question"]))])
        sheet.append([_("Counts from 1 to 4 are shown as “fewer than 5”. Aggregates only.")])
        header = [_("Category"), _("Active members"), _("Share (%)")]
        if report.get("consultation"):
            header += [
                _("Responded to %(t)s") % {"t": report["consultation"].title},
                _("Share (%)"),
            ]
        header.append(_("Target population (%)"))
        sheet.append([neutralise(h) for h in header])
        for row in report["rows"]:
            line = [row["category"], row["group"]["count"], row["group"]["pct"]]
            if row["responders"] is not None:
                line += [row["responders"]["count"], row["responders"]["pct"]]
            line.append(row["target"])
            sheet.append([neutralise(v) for v in line])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="who-is-in-our-group.xlsx"'
        return response
