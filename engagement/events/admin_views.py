"""Manager workspace pages of an event's registrations, hung on its settings' viewset: the list
(CSV/XLSX, with the one formula guard), the attendance form that writes members' involvement
records, and cancelling someone's registration for them."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from engagement.common.admin import ObjectActionView, ObjectPageView
from engagement.common.exports import FormulaSafeExportMixin
from engagement.events.forms import ids_from
from engagement.events.models import Registration, RegistrationSettings

from . import selectors, services


def registrations_url(settings) -> str:
    return reverse("event_registrations:registrations", args=[settings.pk])


def attendance_url(settings) -> str:
    return reverse("event_registrations:attendance", args=[settings.pk])


class RegistrationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Registration.Status.choices)
    attendance = django_filters.ChoiceFilter(
        label=_("Attendance"), choices=Registration.Attendance.choices[1:]
    )

    class Meta:
        model = Registration
        fields = ["status", "attendance"]


def status_label(registration) -> str:
    if registration.status == Registration.Status.CONFIRMED:
        return _("Place %(n)d") % {"n": registration.place}
    if registration.status == Registration.Status.WAITING:
        return _("Waiting: number %(n)d") % {"n": registration.position}
    return _("Cancelled")


def who(registration) -> str:
    if registration.member_id:
        return _("Member")
    return _("Visitor") if registration.name else _("Erased")


def attendance_label(registration) -> str:
    label = registration.get_attendance_display()
    if registration.involvement_id:
        return format_html(
            '{} · <a href="{}">{}</a>',
            label,
            reverse("involvement:edit", args=[registration.involvement_id]),
            _("involvement record"),
        )
    return label


def cancel_link(registration) -> str:
    if not registration.is_active or services.has_started(registration.event):
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("event_registrations:cancel", args=[registration.pk]),
        _("Cancel for them"),
    )


class RegistrationsView(FormulaSafeExportMixin, ReportView):
    """Everyone registered for one event: places, the waiting list in order, cancellations,
    what they need and whether they came; CSV or XLSX for the door."""

    permission_policy = ModelPermissionPolicy(Registration)
    permission_required = "view"
    header_icon = "group"
    paginate_by = 100
    filterset_class = RegistrationFilterSet
    export_sheet = gettext_lazy("Registrations")
    list_export = [
        "status_label",
        "name",
        "email",
        "who",
        "access_needs",
        "dietary_needs",
        "registered_at",
        "cancelled_at",
        "attendance_text",
    ]
    export_headings = {
        "status_label": gettext_lazy("Place or waiting list"),
        "name": gettext_lazy("Name"),
        "email": gettext_lazy("Email address"),
        "who": gettext_lazy("Member or visitor"),
        "access_needs": gettext_lazy("Access needs"),
        "dietary_needs": gettext_lazy("Dietary needs"),
        "registered_at": gettext_lazy("Registered"),
        "cancelled_at": gettext_lazy("Cancelled"),
        "attendance_text": gettext_lazy("Attendance"),
    }
    export_notes = {
        "status_label": gettext_lazy(
            "A place number, or where they are on the waiting list (1 gets the next place that "
            "is given up), or Cancelled."
        ),
        "who": gettext_lazy(
            "Member: in the stakeholder group, so coming writes their involvement record. "
            "Visitor: registered without joining. Erased: they left the group."
        ),
    }
    columns = [
        Column("status_label", label=gettext_lazy("Place"), accessor=status_label),
        Column("name", label=gettext_lazy("Name")),
        Column("email", label=gettext_lazy("Email address")),
        Column("who", label=gettext_lazy("Member or visitor"), accessor=who),
        Column("access_needs", label=gettext_lazy("Access needs")),
        Column("dietary_needs", label=gettext_lazy("Dietary needs")),
        Column("registered_at", label=gettext_lazy("Registered")),
        Column("attendance", label=gettext_lazy("Attendance"), accessor=attendance_label),
        Column("actions", label=gettext_lazy("Actions"), accessor=cancel_link),
    ]

    @cached_property
    def settings(self) -> RegistrationSettings:
        return get_object_or_404(
            RegistrationSettings.objects.select_related("event"), pk=self.kwargs["pk"]
        )

    @property
    def title(self):
        return _("Registrations: %(t)s") % {"t": self.settings.event.title}

    def get_page_title(self):
        return self.title

    def get_export_title(self) -> str:
        return self.title

    def get_filename(self):
        return f"registrations-{self.settings.event.slug}"

    def get_index_url(self):
        return registrations_url(self.settings)

    def get_index_results_url(self):
        return self.get_index_url()

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Mark who came"), url=attendance_url(self.settings), icon_name="tick"),
            HeaderButton(
                _("Places and settings"),
                url=reverse("event_registrations:edit", args=[self.settings.pk]),
                icon_name="cog",
            ),
        ]

    def get_queryset(self):
        return selectors.registrations_of(self.settings.event).annotate(
            position=Window(
                RowNumber(), partition_by=[F("status")], order_by=[F("registered_at"), F("pk")]
            )
        )

    def to_row_dict(self, item):
        item.status_label = status_label(item)
        item.who = who(item)
        item.attendance_text = item.get_attendance_display()
        return super().to_row_dict(item)


class AttendanceView(ObjectPageView):
    """After the event: tick who came. Coming writes each member's involvement record (once)."""

    model = RegistrationSettings
    object_queryset = RegistrationSettings.objects.select_related("event")
    permission_policy = ModelPermissionPolicy(Registration)
    permission_required = "change"
    template_name = "events/admin/attendance.html"
    header_icon = "tick"
    http_method_names = ["get", "post"]

    def get_page_title(self):
        return _("Who came: %(t)s") % {"t": self.object.event.title}

    def registrations(self):
        return list(
            selectors.registrations_of(self.object.event)
            .filter(status=Registration.Status.CONFIRMED)
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        event = self.object.event
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "started": services.has_started(event),
            "registrations": self.registrations(),
            "list_url": registrations_url(self.object),
        }

    def post(self, request, *args, **kwargs):
        event = self.object.event
        if not services.has_started(event):
            messages.error(request, _("Attendance can be marked once the event has started."))
            return redirect(attendance_url(self.object))
        try:
            changed = services.save_attendance(
                event=event,
                came=ids_from(request.POST.getlist("came")),
                shown=ids_from(request.POST.getlist("shown")),
                now=timezone.now(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(attendance_url(self.object))
        recorded = sum(1 for r in changed if r.involvement_id)
        messages.success(
            request,
            _("Attendance saved. %(n)d people who came are in the involvement log.")
            % {"n": recorded},
        )
        return redirect(registrations_url(self.object))


class CancelView(ObjectActionView):
    """A manager cancels a registration for someone who phoned or wrote: the same as their own
    link (services.cancel), so the waiting list moves up."""

    model = Registration
    object_queryset = Registration.objects.select_related("event")
    permission_policy = ModelPermissionPolicy(Registration)
    permission_required = "change"
    http_method_names = ["get", "post"]
    template_name = "events/admin/cancel.html"
    page_title = gettext_lazy("Cancel a registration")

    def get_object_breadcrumbs(self):
        settings = self.object.event.registration_settings
        return [{"url": registrations_url(settings), "label": self.object.event.title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "registration": self.object}

    def act(self) -> str:
        services.cancel(registration=self.object)
        return _("Cancelled. If someone was waiting, they have the place now and an email.")

    def get_success_url(self) -> str:
        return registrations_url(self.object.event.registration_settings)
