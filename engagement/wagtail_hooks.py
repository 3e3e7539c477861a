from django.urls import path
from wagtail import hooks

# Each slice registers its viewsets and hooks when imported.
from engagement.consultations import admin as _consultations_admin  # noqa: F401
from engagement.involvement import admin as _involvement_admin  # noqa: F401
from engagement.membership import admin as _membership_admin  # noqa: F401

from engagement.consultations import admin_views as consultations_admin_views
from engagement.involvement import admin_views as involvement_admin_views
from engagement.membership import admin_views as membership_admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    from django.urls import include

    urls = [
        path(
            "campaigns/<int:pk>/qr.<slug:fmt>",
            membership_admin_views.campaign_qr,
            name="campaign_qr",
        ),
        path(
            "campaigns/<int:pk>/poster/",
            membership_admin_views.campaign_poster,
            name="campaign_poster",
        ),
        path(
            "consultations/<int:pk>/results/",
            consultations_admin_views.ResultsView.as_view(),
            name="consultation_results",
        ),
        path(
            "consultations/<int:pk>/votes/",
            consultations_admin_views.VotesReportView.as_view(),
            name="consultation_votes",
        ),
        path(
            "consultations/<int:pk>/totals/",
            consultations_admin_views.TotalsExportView.as_view(),
            name="consultation_totals",
        ),
        path(
            "consultations/<int:pk>/invite/",
            consultations_admin_views.consultation_invite,
            name="consultation_invite",
        ),
        path(
            "consultations/<int:pk>/remind/",
            consultations_admin_views.consultation_remind,
            name="consultation_remind",
        ),
        path(
            "consultations/<int:pk>/round-two/",
            consultations_admin_views.consultation_round_two,
            name="consultation_round_two",
        ),
        path(
            "involvement/<int:pk>/paid/",
            involvement_admin_views.involvement_mark_paid,
            name="involvement_mark_paid",
        ),
        path("receipts/<path:path>", involvement_admin_views.receipt, name="receipt"),
        path(
            "consultations/<int:pk>/assisted/",
            consultations_admin_views.AssistedEntryView.as_view(),
            name="consultation_assisted",
        ),
    ]
    return [path("engagement/", include((urls, "engagement_admin")))]


@hooks.register("load_demo")
def load_demo_engagement(context):
    from engagement import demo

    return demo.build(context)
