"""Consultations in the Wagtail admin: consultations with their features, polls."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from engagement.consultations.models import Consultation, Poll
from engagement.involvement.admin import InvolvementViewSet, RateCardViewSet

from . import admin_views


def consultation_links(consultation) -> str:
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("consultations:results", args=[consultation.pk]),
        _("Results, invitations and exports"),
        consultation.get_absolute_url(),
        _("Public page"),
    )


class ConsultationViewSet(ModelViewSet):
    name = "consultations"
    model = Consultation
    icon = "tasks"
    menu_label = _("Consultations")
    copy_view_enabled = False
    list_display = [
        "title",
        "voting_method",
        "opens_at",
        "closes_at",
        "audience",
        Column("links", label=_("Manage"), accessor=consultation_links),
    ]
    list_filter = ["voting_method", "audience", "activity_label"]
    search_fields = ["title", "summary"]
    ordering = ["-opens_at"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("activity_label"),
                FieldPanel("results_visibility"),
            ],
            heading=_("Who takes part and who sees results"),
        ),
        MultiFieldPanel(
            [FieldPanel("voting_method"), FieldPanel("points_budget")], heading=_("Voting")
        ),
        FieldPanel("prototype"),
        InlinePanel("features", heading=_("Features to vote on"), label=_("Feature")),
    ]

    def get_urlpatterns(self):
        pages = [
            ("results", admin_views.ResultsView),
            ("votes", admin_views.VotesReportView),
            ("totals", admin_views.TotalsExportView),
            ("invite", admin_views.InviteView),
            ("remind", admin_views.RemindView),
            ("round-two", admin_views.RoundTwoView),
            ("assisted", admin_views.AssistedEntryView),
        ]
        return super().get_urlpatterns() + [
            path(f"{name}/<int:pk>/", self.construct_view(view), name=name.replace("-", "_"))
            for name, view in pages
        ]


class PollViewSet(ModelViewSet):
    name = "polls"
    model = Poll
    icon = "list-ul"
    menu_label = _("Polls")
    copy_view_enabled = False
    list_display = ["question", "consultation", "kind"]
    list_filter = ["consultation"]
    panels = [
        FieldPanel("consultation"),
        FieldPanel("question"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("allow_other")]),
        FieldPanel("sort_order"),
        InlinePanel("choices", heading=_("Choices"), label=_("Choice"), min_num=1),
    ]


class ConsultationGroup(ViewSetGroup):
    menu_label = _("Consultations")
    menu_icon = "tasks"
    menu_order = 190
    items = [ConsultationViewSet, PollViewSet, InvolvementViewSet, RateCardViewSet]


@hooks.register("register_admin_viewset")
def register_consultation_viewsets():
    return ConsultationGroup()
