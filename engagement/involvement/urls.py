from django.urls import path

from . import views

urlpatterns = [
    path("me/involvement/<int:pk>/", views.involvement_record, name="involvement_record"),
]
