"""Ideas from members in the manager workspace (under Consultations): the listing, newest and
waiting first, and each idea's review page; and what the slice adds to a member's data page and
to leaving."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from engagement.ideas.models import Idea

from . import admin_views


class IdeaFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Idea.Status.choices)

    class Meta:
        model = Idea
        fields = ["status", "kind", "consultation"]


class IdeaIndexView(IndexView):
    """Each title opens the idea's review page."""

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "consultation")


class IdeaViewSet(ModelViewSet):
    name = "ideas"
    model = Idea
    icon = "comment"
    menu_label = _("Ideas from members")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = IdeaIndexView
    inspect_view_class = admin_views.ReviewView
    edit_view_class = admin_views.NoEditView
    form_fields = ["decline_reason"]  # never shown: editing opens the review page
    list_display = [
        "title",
        "kind",
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("member", label=_("Member"), accessor="member"),
        "consultation",
        "created_at",
    ]
    list_filter = None
    filterset_class = IdeaFilterSet
    search_fields = ["title", "description"]
    ordering = ["-created_at"]
