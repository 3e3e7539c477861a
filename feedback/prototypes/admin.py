"""Prototype reviews in the Wagtail admin: a viewset of its own (the prototypes themselves are
pages, edited in the page tree)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views


class PrototypeReviewsViewSet(ViewSet):
    name = "prototype_reviews"
    icon = "view"
    menu_label = _("Prototype reviews")
    menu_order = 196
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", admin_views.PrototypeReviewsReportView.as_view(), name="index"),
            path("<int:pk>/", admin_views.PrototypeAnalysisView.as_view(), name="analysis"),
        ]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        item.is_shown = lambda request: admin_views.REVIEWS_POLICY.user_has_permission(
            request.user, "view"
        )
        return item


@hooks.register("register_admin_viewset")
def register_prototype_reviews():
    return PrototypeReviewsViewSet()
