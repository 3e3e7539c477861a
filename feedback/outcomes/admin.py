"""Closing the loop in the Wagtail admin: the GRIPP2 report (under Reports) and the dashboard
on the admin home. Outcome pages themselves are pages, edited in the page tree."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views


class Gripp2ViewSet(ViewSet):
    name = "gripp2"
    icon = "doc-full"

    def get_urlpatterns(self):
        return [path("", admin_views.Gripp2ReportView.as_view(), name="index")]


@hooks.register("register_admin_viewset")
def register_gripp2():
    return Gripp2ViewSet()


@hooks.register("register_reports_menu_item")
def gripp2_menu_item():
    return MenuItem(_("GRIPP2 report"), reverse("gripp2:index"), icon_name="doc-full")


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if request.user.has_perm("engagement.view_consultation"):
        panels.append(admin_views.DashboardPanel(request))
