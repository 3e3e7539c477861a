from django.urls import path

from . import views

urlpatterns = [
    path("me/ideas/", views.my_ideas, name="my_ideas"),
    path("me/ideas/new/", views.suggest_idea, name="suggest_idea"),
]
