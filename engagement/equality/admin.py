"""Equality monitoring in the manager workspace: the "Who is in our group" report (under
Reports), and what the slice adds to a member's data page and to leaving."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from engagement.membership import hooks as membership_hooks

from . import admin_views, selectors, services


class GroupMakeUpViewSet(ViewSet):
    name = "group_make_up"
    icon = "group"

    def get_urlpatterns(self):
        return [path("", admin_views.GroupMakeUpView.as_view(), name="index")]


@hooks.register("register_admin_viewset")
def register_group_make_up():
    return GroupMakeUpViewSet()


@hooks.register("register_reports_menu_item")
def group_make_up_menu_item():
    return MenuItem(_("Who is in our group"), reverse("group_make_up:index"), icon_name="group")


hooks.register(membership_hooks.MEMBER_DATA, selectors.member_data)
hooks.register(membership_hooks.ERASE_EQUALITY, services.erase_answers)
