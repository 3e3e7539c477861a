import django_filters
from django.contrib import messages
from django.core.validators import MinValueValidator
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, reports, services  # noqa: F401 - reports registers the findings hook
from .exports import SafeExportIndexView
from .models import (
    Campaign,
    ConsentText,
    Consultation,
    Interest,
    InvolvementRecord,
    Member,
    Poll,
    RateCard,
    Role,
)


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
        reverse("engagement_admin:campaign_poster", args=[campaign.pk]),
        _("Poster"),
        reverse("engagement_admin:campaign_qr", args=[campaign.pk, "svg"]) + "?download=1",
        _("QR (SVG)"),
        reverse("engagement_admin:campaign_qr", args=[campaign.pk, "png"]) + "?download=1",
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


class ConsentTextViewSet(ModelViewSet):
    name = "consent_texts"
    model = ConsentText
    icon = "doc-full"
    menu_label = _("Consent texts")
    delete_view_class = ConsentTextDeleteView
    list_display = ["__str__", "statement", "published_at"]
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


def consultation_links(consultation) -> str:
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("engagement_admin:consultation_results", args=[consultation.pk]),
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


class RateCardViewSet(ModelViewSet):
    name = "rate_card"
    model = RateCard
    icon = "pick"
    menu_label = _("Rate card")
    list_display = ["activity_type", "basis", "amount", "valid_from", "valid_until"]
    list_filter = ["activity_type"]
    form_fields = ["activity_type", "basis", "amount", "valid_from", "valid_until", "note"]


class InvolvementIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "consultation")


def payment_actions(record) -> str:
    if record.status != InvolvementRecord.Status.TO_PAY:
        return record.get_status_display()
    return format_html(
        '{} · <a href="{}">{}</a>',
        record.get_status_display(),
        reverse("engagement_admin:involvement_mark_paid", args=[record.pk]),
        _("Mark paid"),
    )


class InvolvementViewSet(ModelViewSet):
    name = "involvement"
    model = InvolvementRecord
    icon = "time"
    menu_label = _("Involvement and payments")
    index_view_class = InvolvementIndexView
    copy_view_enabled = False
    list_display = [
        "member",
        "activity_type",
        "date",
        "minutes",
        "payment_offered",
        "payment_choice",
        Column("due", label=_("Due (£)"), accessor="amount_due"),
        Column("status", label=_("Status"), accessor=payment_actions),
    ]
    list_filter = ["status", "activity_type", "payment_choice", "consultation"]
    ordering = ["-date"]
    list_export = [
        "pk",
        "member",
        "activity_type",
        "description",
        "date",
        "minutes",
        "payment_offered",
        "payment_choice",
        "reduced_amount",
        "expenses_claimed",
        "amount_due",
        "status",
        "paid_at",
    ]
    export_headings = {"pk": "Record", "member": "Member", "amount_due": "Amount due (£)"}
    export_filename = "involvement-payments"
    form_fields = [
        "member",
        "consultation",
        "activity_type",
        "description",
        "date",
        "minutes",
        "payment_offered",
        "expenses_claimed",
        "receipt",
    ]  # not "status": derived from the amounts, and "paid" only through "Mark paid"

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class InvolvementForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # The database refuses negative amounts, but its check also covers the reduced
                # amount, which is not on this form, so the model validation skips it: without
                # this, a negative amount is a server error instead of a message by the field.
                for name in ("payment_offered", "expenses_claimed"):
                    if name in self.fields:
                        self.fields[name].validators.append(
                            MinValueValidator(0, message=_("The amount cannot be negative"))
                        )
                        self.fields[name].widget.attrs.setdefault("min", "0")

            def save(self, commit=True):
                self.instance.source = self.instance.source or InvolvementRecord.Source.MANAGER
                services.refresh_payment_status(self.instance)
                return super().save(commit)

        return InvolvementForm


class ConsultationGroup(ViewSetGroup):
    menu_label = _("Consultations")
    menu_icon = "tasks"
    menu_order = 190
    items = [ConsultationViewSet, PollViewSet, InvolvementViewSet, RateCardViewSet]


@hooks.register("register_admin_viewset")
def register_consultation_viewsets():
    return ConsultationGroup()


class StakeholderGroup(ViewSetGroup):
    menu_label = _("Stakeholder group")
    menu_icon = "group"
    menu_order = 200
    items = [MemberViewSet, CampaignViewSet, ConsentTextViewSet, InterestViewSet]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return StakeholderGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    from django.urls import include

    urls = [
        path("campaigns/<int:pk>/qr.<slug:fmt>", admin_views.campaign_qr, name="campaign_qr"),
        path("campaigns/<int:pk>/poster/", admin_views.campaign_poster, name="campaign_poster"),
        path(
            "consultations/<int:pk>/results/",
            admin_views.ResultsView.as_view(),
            name="consultation_results",
        ),
        path(
            "consultations/<int:pk>/votes/",
            admin_views.VotesReportView.as_view(),
            name="consultation_votes",
        ),
        path(
            "consultations/<int:pk>/totals/",
            admin_views.TotalsExportView.as_view(),
            name="consultation_totals",
        ),
        path(
            "consultations/<int:pk>/invite/",
            admin_views.consultation_invite,
            name="consultation_invite",
        ),
        path(
            "consultations/<int:pk>/remind/",
            admin_views.consultation_remind,
            name="consultation_remind",
        ),
        path(
            "consultations/<int:pk>/round-two/",
            admin_views.consultation_round_two,
            name="consultation_round_two",
        ),
        path(
            "involvement/<int:pk>/paid/",
            admin_views.involvement_mark_paid,
            name="involvement_mark_paid",
        ),
        path("receipts/<path:path>", admin_views.receipt, name="receipt"),
        path("gripp2/", admin_views.gripp2_report, name="gripp2"),
        path(
            "consultations/<int:pk>/assisted/",
            admin_views.AssistedEntryView.as_view(),
            name="consultation_assisted",
        ),
    ]
    return [path("engagement/", include((urls, "engagement_admin")))]


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    if request.user.has_perm("engagement.view_consultation"):
        panels.append(admin_views.DashboardPanel(request))
    if request.user.has_perm("engagement.view_member"):
        panels.append(admin_views.SignupsPanel(request))


@hooks.register("register_reports_menu_item")
def gripp2_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("GRIPP2 report"), reverse("engagement_admin:gripp2"), icon_name="doc-full")


@hooks.register("consultation_participants")
def voting_participants(consultation_ids):
    """(consultation id, member id) of everyone who voted or answered a poll."""
    from .models import PollAnswer, Vote

    return (
        Vote.objects.filter(consultation_id__in=consultation_ids)
        .values_list("consultation_id", "member_id")
        .union(
            PollAnswer.objects.filter(poll__consultation_id__in=consultation_ids).values_list(
                "poll__consultation_id", "member_id"
            )
        )
    )


@hooks.register("load_demo")
def load_demo_engagement(context):
    from . import demo

    return demo.build(context)
