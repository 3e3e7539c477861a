"""Manager workspace views for closing the loop: the GRIPP2 report and the dashboard panel."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.permission_policies import ModelPermissionPolicy

from engagement.common.admin import ModelPageView
from engagement.common.charts import horizontal_bar_chart
from engagement.consultations.models import Consultation
from feedback.outcomes.forms import Gripp2Form

from . import reports, selectors


class Gripp2ReportView(ModelPageView):
    """GRIPP2 short form, filled from the records: on screen, printable, or as a Word file.
    For those who may view consultations (what it reports on)."""

    permission_policy = ModelPermissionPolicy(Consultation)
    template_name = "outcomes/admin/gripp2.html"

    def get(self, request, *args, **kwargs):
        form = Gripp2Form(request.GET or None)
        report = None
        if form.is_bound and form.is_valid():
            report = reports.gripp2(form.consultations())
            if request.GET.get("format") in {"doc", "print"}:
                response = render(request, "outcomes/gripp2_document.html", {"report": report})
                if request.GET.get("format") == "doc":
                    response["Content-Type"] = "application/msword"
                    response["Content-Disposition"] = 'attachment; filename="gripp2-report.doc"'
                return response
        context = self.get_context_data(form=form, report=report, query=request.GET.urlencode())
        return self.render_to_response(context)


class DashboardPanel(Component):
    """Admin home: open consultations, members by group, overdue outcomes, payments to make."""

    name = "ppie_dashboard"
    order = 100
    template_name = "outcomes/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        data = selectors.dashboard()
        chart = horizontal_bar_chart(
            chart_id="open-chart",
            title=_("Response rate of open consultations (%)"),
            description=_("One bar per open consultation; the table has the same numbers."),
            bars=[(row["consultation"].title, round(row["rate"])) for row in data["open"]],
            value_format="{:g}%",
            max_value=100,
        )
        return {**data, "chart": chart}
