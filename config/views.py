from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise. No session, no template."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def admin_login(request):
    """Wagtail's login URL: everybody signs in through allauth. A signed-in user only lands here
    when Wagtail refused them the admin; sending them to allauth's sign-in page would bounce
    them straight back to ?next=/admin/ (allauth redirects signed-in users), a redirect loop."""
    if request.user.is_authenticated:
        return render(request, "403.html", status=403)
    url = reverse("account_login")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": None}), status=500)


def csrf_failure(request, reason=""):
    return render(
        request,
        "403_csrf.html",
        {"message": _("Your form had expired. Please go back, reload the page and try again.")},
        status=403,
    )
