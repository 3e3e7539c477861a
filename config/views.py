from allauth.account.views import ConfirmLoginCodeView
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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


class ConfirmLoginCode(ConfirmLoginCodeView):
    """allauth's "enter your code" page, saying why when it sends someone back for a new code
    because theirs ran out (or was used already): allauth itself redirects without a word."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # No code process to resume: allauth found no sign-in waiting for a code.
        if response.status_code == 302 and getattr(self, "_process", None) is None:
            minutes = code_minutes()
            messages.error(
                request,
                ngettext(
                    "Your sign-in code has run out (codes last %(n)d minute) or was already "
                    "used. Enter your email address and we will send you a new one.",
                    "Your sign-in code has run out (codes last %(n)d minutes) or was already "
                    "used. Enter your email address and we will send you a new one.",
                    minutes,
                )
                % {"n": minutes},
            )
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "code_minutes": code_minutes()}


def code_minutes() -> int:
    return settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60


confirm_login_code = ConfirmLoginCode.as_view()


def too_many_requests(request, exception=None):
    """allauth's answer when a limit is reached (ROOT_URLCONF.handler429): how long to wait."""
    return render(request, "429.html", status=429)
