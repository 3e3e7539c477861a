from django.urls import path

from feedback.prototypes import views as prototypes_views
from feedback.questionnaires import views as questionnaires_views

app_name = "feedback"
base = "consultations/<slug:slug>/questionnaires/<int:pk>/"
urlpatterns = [
    path(base, questionnaires_views.questionnaire_start, name="questionnaire"),
    path(base + "items/<int:number>/", questionnaires_views.item_review, name="item"),
    path(base + "overall/", questionnaires_views.overall, name="overall"),
    path(base + "check/", questionnaires_views.check_and_submit, name="check"),
    path(base + "print/", questionnaires_views.print_questionnaire, name="print"),
    path(
        "consultations/<slug:slug>/prototype-review/",
        prototypes_views.prototype_review,
        name="prototype_review",
    ),
    path(
        "consultations/<slug:slug>/prototype-review/<int:step>/",
        prototypes_views.prototype_review,
        name="prototype_review_step",
    ),
]
