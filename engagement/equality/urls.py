from django.urls import path

from . import views

urlpatterns = [
    path("me/equality/", views.equality, name="equality"),
    path("me/equality/delete/", views.delete_equality, name="delete_equality"),
]
