from django.urls import path

from . import views

app_name = "feedback"
base = "consultations/<slug:slug>/questionnaires/<int:pk>/"
urlpatterns = [
    path(base, views.questionnaire_start, name="questionnaire"),
    path(base + "items/<int:number>/", views.item_review, name="item"),
    path(base + "overall/", views.overall, name="overall"),
    path(base + "check/", views.check_and_submit, name="check"),
    path(base + "print/", views.print_questionnaire, name="print"),
    path(
        "consultations/<slug:slug>/prototype-review/",
        views.prototype_review,
        name="prototype_review",
    ),
]
