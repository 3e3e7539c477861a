"""Consultations in the Wagtail admin. One place per consultation: its overview (the inspect
view) with its status, the checklist before it opens, invitations, reminders, results, exports
and its outcome page; its edit form in tabs (about it, when and who, voting with its features,
quick questions with their choices, all inline)."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from engagement.common.admin import SafeAdminModelForm
from engagement.consultations.models import Consultation
from engagement.ideas.admin import IdeaViewSet
from engagement.involvement.admin import (
    FinanceRecordViewSet,
    InvolvementViewSet,
    RateCardViewSet,
)

from . import admin_views


class ConsultationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Consultation.Status.choices, method="filter_status"
    )

    class Meta:
        model = Consultation
        fields = ["status", "voting_method", "audience", "activity_label"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status().filter(status_code=value)


class ConsultationIndexView(IndexView):
    """The listing: each title opens the consultation's overview (its one place)."""

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )


def status_label(consultation) -> str:
    return consultation.get_status_display()


class ConsultationViewSet(ModelViewSet):
    name = "consultations"
    model = Consultation
    icon = "tasks"
    menu_label = _("Consultations")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ConsultationIndexView
    inspect_view_class = admin_views.OverviewView
    list_display = [
        "title",
        Column("status", label=_("Status"), accessor=status_label),
        "voting_method",
        "opens_at",
        "closes_at",
        "audience",
    ]
    filterset_class = ConsultationFilterSet
    search_fields = ["title", "summary"]
    ordering = ["-opens_at"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("slug"),
                    FieldPanel("summary"),
                    FieldPanel("description"),
                    FieldPanel("activity_label"),
                    FieldPanel("prototype"),
                ],
                heading=_("About it"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                    FieldPanel("audience"),
                    FieldPanel("results_visibility"),
                ],
                heading=_("When and who"),
            ),
            ObjectList(
                [
                    FieldPanel("voting_method"),
                    FieldPanel("points_budget"),
                    FieldRowPanel(
                        [
                            FieldPanel("delphi_consensus_critical"),
                            FieldPanel("delphi_consensus_not_important"),
                        ],
                        heading=_("Delphi: what counts as agreed (set before round 1)"),
                    ),
                    FieldPanel("delphi_open_to_all_rounds"),
                    InlinePanel("features", heading=_("Features to vote on"), label=_("Feature")),
                ],
                heading=_("Voting"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "polls",
                        heading=_("Quick questions"),
                        label=_("Quick question"),
                        panels=[
                            FieldPanel("question"),
                            FieldPanel("help_text"),
                            FieldRowPanel([FieldPanel("kind"), FieldPanel("allow_other")]),
                            InlinePanel("choices", heading=_("Answers"), label=_("Answer")),
                        ],
                    )
                ],
                heading=_("Quick questions"),
            ),
        ],
        base_form_class=SafeAdminModelForm,
    )

    def get_urlpatterns(self):
        pages = [
            ("results", admin_views.ResultsView),
            ("votes", admin_views.VotesReportView),
            ("totals", admin_views.TotalsExportView),
            ("release", admin_views.ReleaseView),
            ("open-now", admin_views.OpenNowView),
            ("unschedule", admin_views.UnscheduleView),
            ("close", admin_views.CloseView),
            ("reopen", admin_views.ReopenView),
            ("invite", admin_views.InviteView),
            ("remind", admin_views.RemindView),
            ("schedule-reminders", admin_views.ScheduleRemindersView),
            ("next-round", admin_views.NextRoundView),
            ("attrition", admin_views.AttritionExportView),
            ("assisted", admin_views.AssistedEntryView),
        ]
        return super().get_urlpatterns() + [
            path(f"{name}/<int:pk>/", self.construct_view(view), name=name.replace("-", "_"))
            for name, view in pages
        ]


class ConsultationGroup(ViewSetGroup):
    menu_label = _("Consultations")
    menu_icon = "tasks"
    menu_order = 190
    items = [
        ConsultationViewSet,
        IdeaViewSet,
        InvolvementViewSet,
        RateCardViewSet,
        FinanceRecordViewSet,
    ]


@hooks.register("register_admin_viewset")
def register_consultation_viewsets():
    return ConsultationGroup()
