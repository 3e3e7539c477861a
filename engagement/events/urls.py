from django.urls import path

from . import views

# The event pages themselves are Wagtail's (/events/<slug>/), where the form posts; these are
# the pages around registering, at addresses that do not depend on the page tree.
urlpatterns = [
    path("registrations/thanks/", views.registered, name="event_registered"),
    path("registrations/<str:token>/", views.registration_page, name="registration"),
    path(
        "registrations/<str:token>/cancel/",
        views.cancel_registration,
        name="registration_cancel",
    ),
    path(
        "registrations/<str:token>/calendar.ics",
        views.registration_calendar,
        name="registration_calendar",
    ),
]
