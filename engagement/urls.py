from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join_thanks"),
    path("join/<slug:code>/", views.join, name="join_campaign"),
    path("join/<slug:code>/thanks/", views.join_thanks, name="join_campaign_thanks"),
    path("join/<slug:code>/kiosk/", views.kiosk, name="kiosk"),
    path("join/<slug:code>/kiosk/thanks/", views.kiosk_thanks, name="kiosk_thanks"),
    path("me/", views.me, name="me"),
    path("me/preferences/", views.preferences, name="preferences"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/withdraw/", views.withdraw, name="withdraw"),
    path("me/withdrawn/", views.withdrawn, name="withdrawn"),
    path("me/involvement/<int:pk>/", views.involvement_record, name="involvement_record"),
]

urlpatterns += [
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
    path("consultations/<slug:slug>/vote/", views.consultation_vote, name="consultation_vote"),
    path(
        "consultations/<slug:slug>/polls/<int:poll_id>/",
        views.consultation_poll,
        name="consultation_poll",
    ),
    path(
        "consultations/<slug:slug>/results/",
        views.consultation_results,
        name="consultation_results",
    ),
]
