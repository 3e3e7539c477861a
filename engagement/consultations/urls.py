from django.urls import path

from . import views

urlpatterns = [
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
    path("consultations/<slug:slug>/vote/", views.consultation_vote, name="consultation_vote"),
    path(
        "consultations/<slug:slug>/polls/<int:poll_id>/",
        views.consultation_poll,
        name="consultation_poll",
    ),
    path(
        "consultations/<slug:slug>/access-needs/",
        views.consultation_access_needs,
        name="consultation_access_needs",
    ),
    path(
        "consultations/<slug:slug>/results/",
        views.consultation_results,
        name="consultation_results",
    ),
]
