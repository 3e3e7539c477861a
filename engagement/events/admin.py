"""Event registrations in the manager workspace (the events taking registrations, each with its
list, attendance and settings), a "Registrations" button on event pages in the page explorer,
and what the slice hooks into: the event page's registration form (cms) and a member's data
page, leaving and free-text erasure (membership)."""

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from cms.models import EVENT_PANELS, EventPage
from engagement.common.admin import SafeAdminModelForm
from engagement.common.forms import add_service_errors, parse_id
from engagement.events.models import Registration, RegistrationSettings
from engagement.membership import hooks as membership_hooks

from . import admin_views, selectors, services, views


class SettingsIndexView(IndexView):
    """Events taking registrations, newest first: each title opens its registrations."""

    def get_base_queryset(self):
        return selectors.settings_with_counts().order_by("-event__start", "-pk")

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=admin_views.registrations_url, **kwargs
        )


class SaveThroughService:
    """Create and edit save through services.save_settings (locked, places renumbered, the
    waiting list moved up, the reminder queued); its refusals show on the form."""

    def save_instance(self):
        settings = services.save_settings(settings=self.form.instance)
        log(instance=settings, action=self.log_action, user=self.request.user)
        return settings

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class SettingsCreateView(SaveThroughService, CreateView):
    log_action = "wagtail.create"

    def get_initial(self):
        """?event=<id> (the button on an event page): that event chosen already."""
        initial = super().get_initial()
        event_id = parse_id(self.request.GET.get("event"))
        if event_id and EventPage.objects.filter(pk=event_id).exists():
            initial["event"] = event_id
        return initial


class SettingsEditView(SaveThroughService, EditView):
    log_action = "wagtail.edit"


class RegistrationSettingsForm(SafeAdminModelForm):
    """One set of places per event: an event that has one is refused with a message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            self.fields["event"].help_text = _(
                "The event page people register on. Each event has one set of places."
            )

    def clean_event(self):
        event = self.cleaned_data.get("event")
        others = RegistrationSettings.objects.exclude(pk=self.instance.pk)
        if event is not None and others.filter(event_id=event.pk).exists():
            raise ValidationError(_("This event takes registrations already."))
        return event


def closes(settings) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    return date_format(localtime(settings.closing_time()), "j M Y, H:i")


class RegistrationSettingsViewSet(ModelViewSet):
    name = "event_registrations"
    model = RegistrationSettings
    icon = "date"
    menu_label = _("Event registrations")
    menu_order = 195
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = SettingsIndexView
    add_view_class = SettingsCreateView
    edit_view_class = SettingsEditView
    list_display = [
        "event",
        Column("start", label=_("Event starts"), accessor="event.start"),
        "places",
        Column("taken", label=_("Places taken"), accessor="taken"),
        Column("waiting_count", label=_("Waiting"), accessor="waiting_count"),
        Column("closes", label=_("Registration closes"), accessor=closes),
    ]
    search_fields = ["event__title"]
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldRowPanel([FieldPanel("places"), FieldPanel("closes_at")]),
            MultiFieldPanel(
                [
                    FieldPanel("ask_access_needs"),
                    FieldPanel("ask_dietary_needs"),
                    FieldPanel("waiting_list"),
                ],
                heading=_("What people are asked, and when it is full"),
            ),
        ],
        base_form_class=RegistrationSettingsForm,
    )

    def get_urlpatterns(self):
        registration_policy = ModelPermissionPolicy(Registration)
        return super().get_urlpatterns() + [
            path(
                "registrations/<int:pk>/",
                self.construct_view(
                    admin_views.RegistrationsView, permission_policy=registration_policy
                ),
                name="registrations",
            ),
            path(
                "attendance/<int:pk>/",
                self.construct_view(
                    admin_views.AttendanceView, permission_policy=registration_policy
                ),
                name="attendance",
            ),
            path(
                "cancel/<int:pk>/",
                self.construct_view(
                    admin_views.CancelView,
                    model=Registration,
                    permission_policy=registration_policy,
                ),
                name="cancel",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_event_registrations():
    return RegistrationSettingsViewSet()


@hooks.register("register_page_header_buttons")
def registrations_button(page, user, view_name=None, next_url=None):
    """On an event page (explorer and editor header): its registrations, or taking them."""
    if page.specific_class is not EventPage:
        return
    if not ModelPermissionPolicy(RegistrationSettings).user_has_permission(user, "view"):
        return
    settings = RegistrationSettings.objects.filter(event_id=page.pk).only("pk").first()
    if settings is not None:
        url, label = admin_views.registrations_url(settings), _("Registrations")
    elif ModelPermissionPolicy(RegistrationSettings).user_has_permission(user, "add"):
        url = reverse("event_registrations:add") + f"?event={page.pk}"
        label = _("Take registrations")
    else:
        return
    yield Button(label, url, icon_name="date", priority=12)


# The event page's registration section (cms asks; cms imports nothing from engagement).
hooks.register(EVENT_PANELS, views.event_panel)
# What this slice holds about a member, and what leaving and erasing free text do to it.
hooks.register(membership_hooks.MEMBER_DATA, selectors.member_data)
hooks.register(membership_hooks.ERASE_FREE_TEXT, services.erase_free_text)
hooks.register(membership_hooks.MEMBER_LEAVING, services.member_leaving)
