"""The PPIE manager's analysis of prototype reviews: every prototype version with its reviews,
and one version's SUS and per-screen results."""

from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.models import PrototypePage
from engagement.common.admin import ModelPageView
from engagement.common.charts import horizontal_bar_chart
from engagement.common.exports import FormulaSafeExportMixin
from engagement.common.forms import parse_id
from engagement.consultations.models import Consultation
from engagement.membership.models import StakeholderGroup, stakeholder_group_or_none
from feedback.prototypes.models import SUS_BENCHMARK, SUS_ITEMS, PrototypeReview

from . import selectors

# Reading prototype reviews is what these pages need, whichever page they are about.
REVIEWS_POLICY = ModelPermissionPolicy(PrototypeReview)


class PrototypeReviewsReportView(FormulaSafeExportMixin, ReportView):
    """Every prototype version: reviews sent and mean SUS, with CSV/XLSX export."""

    permission_policy = REVIEWS_POLICY
    permission_required = "view"
    page_title = gettext_lazy("Prototype reviews")
    header_icon = "view"
    index_url_name = "prototype_reviews:index"
    index_results_url_name = "prototype_reviews:index"
    list_export = ["title", "version_label", "submitted", "mean_sus"]
    export_headings = {
        "title": gettext_lazy("Prototype"),
        "version_label": gettext_lazy("Version"),
        "submitted": gettext_lazy("Reviews sent"),
        "mean_sus": gettext_lazy("Mean SUS"),
    }
    export_filename = "prototype-reviews"
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Prototype"),
            get_url=lambda page: reverse("prototype_reviews:analysis", args=[page.pk]),
        ),
        Column("version_label", label=gettext_lazy("Version")),
        Column("submitted", label=gettext_lazy("Reviews sent")),
        Column("mean_sus", label=gettext_lazy("Mean SUS"), accessor="mean_sus_display"),
    ]

    def get_queryset(self):
        return PrototypePage.objects.annotate(
            submitted=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
            mean_sus=Avg("reviews__sus_score"),
        ).order_by("title", "pk")

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.mean_sus_display = "–" if page.mean_sus is None else floatformat(page.mean_sus, 1)
        return object_list


class PrototypeAnalysisView(ModelPageView):
    permission_policy = REVIEWS_POLICY
    template_name = "prototypes/admin/prototype_analysis.html"

    @cached_property
    def prototype(self) -> PrototypePage:
        return get_object_or_404(PrototypePage, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        prototype = self.prototype
        group = stakeholder_group_or_none(self.request.GET.get("group"))
        # From a consultation's overview: only the reviews sent in that consultation.
        consultation = None
        consultation_id = parse_id(self.request.GET.get("consultation"))
        if consultation_id is not None:
            consultation = Consultation.objects.filter(
                pk=consultation_id, prototype=prototype
            ).first()
        sus = selectors.sus_summary(prototype, consultation=consultation, group=group)
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
            "screens": selectors.screen_summary(prototype, consultation=consultation, group=group),
            "consultation": consultation,
            "versions": PrototypePage.objects.exclude(pk=prototype.pk).order_by("title"),
            "groups": StakeholderGroup.choices,
            "group": group,
            "sus_items": SUS_ITEMS,
        }
