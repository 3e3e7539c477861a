"""Manager workspace views for the stakeholder group: QR downloads, the printable poster and the
admin home's sign-ups panel."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from engagement.common.charts import stacked_bar_chart
from engagement.membership.models import Campaign

from . import qr, selectors

VIEW_CAMPAIGN = "engagement.view_campaign"


@permission_required(VIEW_CAMPAIGN, raise_exception=True)
def campaign_qr(request, pk, fmt):
    if fmt not in {"svg", "png"}:
        raise Http404
    campaign = get_object_or_404(Campaign, pk=pk)
    url = qr.campaign_url(campaign)
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="join-{campaign.code}.{fmt}"'
    return response


@permission_required(VIEW_CAMPAIGN, raise_exception=True)
def campaign_poster(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    url = qr.campaign_url(campaign)
    svg = qr.qr_svg(url).decode()
    return render(
        request,
        "membership/admin/poster.html",
        {"campaign": campaign, "url": url, "qr_svg": mark_safe(svg)},  # noqa: S308 - segno output
    )


class SignupsPanel(Component):
    """Admin home: sign-ups per campaign over the last weeks, as a chart and a table."""

    name = "signups"
    order = 150
    template_name = "membership/admin/signups_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        weeks, rows = selectors.signups_per_campaign_by_week(weeks=12)
        labels = [w.strftime("%d %b") for w in weeks]
        chart = stacked_bar_chart(
            chart_id="signups-chart",
            title=_("Sign-ups per week, by campaign"),
            description=_(
                "Stacked bars, one per week for the last 12 weeks; the table below "
                "has the same numbers."
            ),
            categories=labels,
            series=[{"label": r["label"], "values": r["counts"]} for r in rows],
        )
        return {
            "chart": chart,
            "weeks": labels,
            "rows": rows,
            "totals": [sum(r["counts"][i] for r in rows) for i in range(len(labels))],
            "campaigns": selectors.campaign_totals()[:10],
        }
