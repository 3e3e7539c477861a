"""Questionnaires in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from feedback.questionnaires.models import Questionnaire

from . import admin_views


def analysis_link(questionnaire) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("questionnaires:analysis", args=[questionnaire.pk]),
        _("Analysis and item-tracking matrix"),
    )


class QuestionnaireCreateView(CreateView):
    """Reached from a consultation's overview ("Add a questionnaire") with ?consultation=<pk>:
    that consultation is already chosen."""

    def get_initial(self):
        initial = super().get_initial()
        consultation = self.request.GET.get("consultation", "")
        if consultation.isdigit():
            initial["consultation"] = int(consultation)
        return initial


class QuestionnaireViewSet(ModelViewSet):
    name = "questionnaires"
    model = Questionnaire
    icon = "form"
    menu_label = gettext_lazy("Questionnaires")
    menu_order = 195
    add_to_admin_menu = True
    copy_view_enabled = False
    add_view_class = QuestionnaireCreateView
    list_display = [
        "__str__",
        "status",
        "consultation",
        Column("analysis", label=gettext_lazy("Feedback"), accessor=analysis_link),
    ]
    list_filter = ["status", "consultation"]
    search_fields = ["title"]
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("version"), FieldPanel("status")]),
        FieldPanel("consultation"),
        FieldPanel("recall_period"),
        FieldPanel("instructions"),
        FieldPanel("previous_version"),
        InlinePanel(
            "items",
            heading=gettext_lazy("Items"),
            label=gettext_lazy("Item"),
            panels=[
                FieldPanel("text"),
                FieldRowPanel([FieldPanel("response_type"), FieldPanel("help_text")]),
                FieldPanel("response_options"),
            ],
        ),
        InlinePanel(
            "new_items",
            heading=gettext_lazy("New items for the next version"),
            label=gettext_lazy("New item"),
            help_text=gettext_lazy(
                "Items the feedback showed are missing: they are added when you create the "
                "next version from the item-tracking matrix."
            ),
            panels=[
                FieldPanel("text"),
                FieldRowPanel([FieldPanel("response_type"), FieldPanel("help_text")]),
                FieldPanel("response_options"),
                FieldPanel("rationale"),
            ],
        ),
    ]

    def get_urlpatterns(self):
        pages = [
            ("analysis", admin_views.QuestionnaireAnalysisView),
            ("matrix", admin_views.QuestionnaireMatrixView),
            ("next-version", admin_views.NextVersionView),
            ("responses", admin_views.ResponsesExportView),
            ("matrix-export", admin_views.MatrixExportView),
        ]
        return super().get_urlpatterns() + [
            path(f"{name}/<int:pk>/", self.construct_view(view), name=name.replace("-", "_"))
            for name, view in pages
        ]


@hooks.register("register_admin_viewset")
def register_questionnaires():
    return QuestionnaireViewSet()
