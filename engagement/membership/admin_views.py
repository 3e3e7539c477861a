"""Manager workspace views for the stakeholder group: QR downloads, the printable poster and the
admin home's sign-ups panel."""

from django.http import Http404, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from engagement.common.admin import ObjectPageView
from engagement.common.charts import stacked_bar_chart
from engagement.membership.models import Campaign

from . import qr, selectors


class CampaignQRView(ObjectPageView):
    """The campaign's QR code as SVG or PNG (?download=1 to save it as a file)."""

    model = Campaign

    def get(self, request, pk, fmt):
        if fmt not in {"svg", "png"}:
            raise Http404
        campaign = self.object
        url = qr.campaign_url(campaign)
        if fmt == "svg":
            response = HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
        else:
            response = HttpResponse(qr.qr_png(url), content_type="image/png")
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="join-{campaign.code}.{fmt}"'
        return response


class CampaignPosterView(ObjectPageView):
    """A printable A4 poster with the campaign's QR code and short address."""

    model = Campaign
    template_name = "membership/admin/poster.html"

    def get_context_data(self, **kwargs):
        url = qr.campaign_url(self.object)
        svg = qr.qr_svg(url).decode()
        return {
            **super().get_context_data(**kwargs),
            "campaign": self.object,
            "url": url,
            "qr_svg": mark_safe(svg),  # noqa: S308 - segno output
        }


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
