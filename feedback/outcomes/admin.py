"""Closing the loop in the Wagtail admin: the GRIPP2 report and the dashboard."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, findings  # noqa: F401  (findings registers its hook)


@hooks.register("register_reports_menu_item")
def gripp2_menu_item():
    return MenuItem(_("GRIPP2 report"), reverse("outcomes_admin:gripp2"), icon_name="doc-full")


@hooks.register("register_admin_urls")
def register_outcomes_admin_urls():
    urls = [path("gripp2/", admin_views.gripp2_report, name="gripp2")]
    return [path("outcomes/", include((urls, "outcomes_admin")))]


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if request.user.has_perm("engagement.view_consultation"):
        panels.append(admin_views.DashboardPanel(request))
