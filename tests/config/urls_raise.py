"""The project's URLs plus views that fail on purpose (tests/test_errors.py)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def server_error(request):
    raise RuntimeError("Deliberate failure for the 500 page test")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-errors/500/", server_error),
    path("test-errors/403/", forbidden),
    *project_urlpatterns,  # last: it ends with Wagtail's catch-all
]
