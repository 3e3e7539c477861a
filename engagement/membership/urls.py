from django.urls import path

from . import views

urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join_thanks"),
    path("join/<slug:code>/", views.join, name="join_campaign"),
    path("join/<slug:code>/thanks/", views.join_thanks, name="join_campaign_thanks"),
    path("join/<slug:code>/kiosk/", views.kiosk, name="kiosk"),
    path("join/<slug:code>/kiosk/thanks/", views.kiosk_thanks, name="kiosk_thanks"),
    path("me/", views.me, name="me"),
    path("me/preferences/", views.preferences, name="preferences"),
    path(
        "me/preferences/withdraw/<slug:purpose>/",
        views.withdraw_purpose,
        name="withdraw_purpose",
    ),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/my-ppie-data.json", views.my_data_json, name="my_data_json"),
    path("me/data/receipts/<int:pk>/", views.my_receipt, name="my_receipt"),
    path("me/agreements/new/", views.new_agreements, name="new_agreements"),
    path("me/withdraw/", views.withdraw, name="withdraw"),
    path("me/withdrawn/", views.withdrawn, name="withdrawn"),
]
