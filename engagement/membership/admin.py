"""The stakeholder group in the Wagtail admin: members, campaigns and QR codes, consent texts,
interests."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from engagement.common.exports import SafeExportIndexView
from engagement.membership.models import Campaign, ConsentText, Interest, Member, Role

from . import admin_views, selectors


class MemberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Member.Status.choices, label=_("Status"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(), label=_("Joined via")
    )
    interests = django_filters.ModelMultipleChoiceFilter(
        queryset=Interest.objects.all(), label=_("Interests")
    )
    has_access_needs = django_filters.BooleanFilter(
        method="filter_access_needs", label=_("Has access needs")
    )

    class Meta:
        model = Member
        fields = ["status", "role", "campaign", "interests"]

    def filter_access_needs(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(access_needs="") if value else queryset.filter(access_needs="")


class MemberIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("user", "campaign")
            .prefetch_related("interests")
        )


def interest_names(member) -> str:
    return member.interest_names()


class MemberViewSet(ModelViewSet):
    name = "members"
    model = Member
    icon = "group"
    menu_label = _("Members")
    index_view_class = MemberIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "__str__",
        Column("email", label=_("Email"), accessor="email"),
        "role",
        "status",
        "campaign",
        Column("interests", label=_("Interests"), accessor=interest_names),
        "joined_at",
    ]
    filterset_class = MemberFilterSet
    search_fields = ["display_name", "user__email"]
    ordering = ["-joined_at"]
    list_per_page = 50
    # Labels, as the listing shows them, not the codes stored.
    list_export = [
        "pk",
        "display_name",
        "email",
        "get_role_display",
        "stakeholder_group_label",
        "get_status_display",
        "campaign",
        "get_channel_display",
        "joined_at",
        "confirmed_at",
        "interest_names",
        "access_needs",
        "get_contact_preference_display",
        "phone",
    ]
    export_headings = {
        "pk": "ID",
        "display_name": "Name to use",
        "email": "Email",
        "get_role_display": "Role",
        "stakeholder_group_label": "Stakeholder group",
        "get_status_display": "Status",
        "get_channel_display": "Joined through",
        "interest_names": "Interests",
        "get_contact_preference_display": "Preferred contact",
    }
    export_filename = "members"
    panels = [
        FieldPanel("display_name"),
        FieldPanel("role"),
        FieldPanel("status"),
        FieldPanel("interests"),
        FieldPanel("access_needs"),
        FieldRowPanel([FieldPanel("contact_preference"), FieldPanel("phone")]),
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class MemberForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                status = self.fields["status"]
                if self.instance.status == Member.Status.WITHDRAWN:
                    status.disabled = True  # their details are erased: nothing to turn back on
                else:
                    # Withdrawing erases a member's details: the member does it on /me/withdraw/
                    # (services.withdraw_member), never a status picked here.
                    status.choices = [c for c in status.choices if c[0] != Member.Status.WITHDRAWN]

        return MemberForm


def campaign_links(campaign) -> str:
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("campaigns:poster", args=[campaign.pk]),
        _("Poster"),
        reverse("campaigns:qr", args=[campaign.pk, "svg"]) + "?download=1",
        _("QR (SVG)"),
        reverse("campaigns:qr", args=[campaign.pk, "png"]) + "?download=1",
        _("QR (PNG)"),
    )


class CampaignIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        from django.db.models import Count, Q

        return (
            super()
            .get_base_queryset()
            .select_related("event")
            .annotate(confirmed=Count("members", filter=Q(members__confirmed_at__isnull=False)))
        )


class CampaignViewSet(ModelViewSet):
    name = "campaigns"
    model = Campaign
    icon = "link"
    menu_label = _("Campaigns and QR codes")
    index_view_class = CampaignIndexView
    copy_view_enabled = False
    list_display = [
        "label",
        "code",
        "event",
        Column("visit_count", label=_("Visits"), accessor="visit_count"),
        Column("signup_count", label=_("Sign-ups"), accessor="signup_count"),
        Column("confirmed", label=_("Confirmed"), accessor="confirmed"),
        Column("links", label=_("Print and download"), accessor=campaign_links),
    ]
    search_fields = ["label", "code"]
    list_export = [
        "label",
        "code",
        "event",
        "active_from",
        "active_until",
        "visit_count",
        "signup_count",
        "confirmed",
    ]
    export_filename = "campaigns"
    panels = [
        FieldPanel("label"),
        FieldPanel("code"),
        FieldPanel("pitch"),
        FieldPanel("event"),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")]),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "poster/<int:pk>/",
                self.construct_view(admin_views.CampaignPosterView),
                name="poster",
            ),
            path(
                "qr/<int:pk>.<slug:fmt>", self.construct_view(admin_views.CampaignQRView), name="qr"
            ),
        ]


class ConsentTextDeleteView(DeleteView):
    """A version people agreed to is the record of what they were told: it is never deleted
    (ConsentRecord.text is PROTECT, which would otherwise end in a server error)."""

    def refuse(self):
        messages.error(
            self.request,
            _(
                "People have already agreed to this version, so it cannot be deleted. "
                "To show different wording, create a new version."
            ),
        )
        return redirect(self.index_url_name)

    def get(self, request, *args, **kwargs):
        if self.object.records.exists():
            return self.refuse()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if self.object.records.exists():
            return self.refuse()
        return super().form_valid(form)


class ConsentTextIndexView(IndexView):
    """Each version with how many agree to it now, and how many ever agreed to it."""

    def get_base_queryset(self):
        return selectors.agreements_per_version()


class ConsentTextViewSet(ModelViewSet):
    name = "consent_texts"
    model = ConsentText
    icon = "doc-full"
    menu_label = _("Consent texts")
    delete_view_class = ConsentTextDeleteView
    index_view_class = ConsentTextIndexView
    list_display = [
        "__str__",
        "statement",
        "published_at",
        Column("agreed_now", label=_("Agree now"), accessor="agreed_now"),
        Column("agreed_ever", label=_("Agreed to this version (ever)"), accessor="agreed_ever"),
    ]
    list_filter = ["purpose"]
    ordering = ["purpose", "-version"]

    panels = [
        FieldRowPanel([FieldPanel("purpose"), FieldPanel("version")]),
        FieldPanel("statement"),
        FieldPanel("body"),
        FieldPanel("published_at"),
    ]


class InterestViewSet(ModelViewSet):
    name = "interests"
    model = Interest
    icon = "tag"
    menu_label = _("Interests")
    list_display = ["name", "sort_order"]
    form_fields = ["name", "sort_order"]
    sort_order_field = None


class StakeholderGroupMenu(ViewSetGroup):
    menu_label = _("Stakeholder group")
    menu_icon = "group"
    menu_order = 200
    items = [MemberViewSet, CampaignViewSet, ConsentTextViewSet, InterestViewSet]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return StakeholderGroupMenu()


@hooks.register("construct_homepage_panels")
def add_signups_panel(request, panels):
    if request.user.has_perm("engagement.view_member"):
        panels.append(admin_views.SignupsPanel(request))
