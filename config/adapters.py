import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# allauth's words the site uses, in the site's own plain English (the rest of the sign-in
# wording is in templates/account/).
PLAIN_ERROR_MESSAGES = {
    # Shown after a wrong code was typed too many times (allauth then throws the code away).
    "too_many_login_attempts": _(
        "That code was typed wrongly too many times, so it no longer works. "
        "Enter your email address and we will send you a new code."
    ),
    "rate_limited": _(
        "You have asked for a lot of codes in a short time. Please wait a minute, then try again."
    ),
    "incorrect_code": _("That code is not right. Check the code in the email and type it again."),
    "email_taken": _("Someone in the stakeholder group already uses this email address."),
    "invalid_login": _("Enter your email address, like name@example.com"),
}


def seconds_until_allowed(request, *, action: str, key: str | None) -> int:
    """How long until allauth's rate limits for `action` (per address and per key) let this
    request through again: the longest wait of the limits that are full, 0 if none is."""
    from allauth.core.internal import ratelimit

    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(app="allauth.account", action=action):
        if rate.per == "key" and not key:
            continue
        if rate.per == "user":
            continue
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action=action, rate=rate, key=key
        )
        # Newest first, as allauth keeps them; only the hits still inside the window count.
        history = [hit for hit in cache.get(cache_key, []) if hit > now - rate.duration]
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "You have asked for a code several times in a short while. Please wait %(n)d minute, "
        "then ask again. If a code has arrived already, you can still use it.",
        "You have asked for a code several times in a short while. Please wait %(n)d minutes, "
        "then ask again. If a code has arrived already, you can still use it.",
        minutes,
    ) % {"n": minutes}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **PLAIN_ERROR_MESSAGES}

    def is_open_for_signup(self, request):
        # Members join through /join/ (engagement), which records their consent; allauth's
        # bare sign-up form would create accounts without it.
        return False

    def validation_error(self, code, *args):
        error = super().validation_error(code, *args)
        request = getattr(context, "request", None)
        if code == "too_many_login_attempts" and request is not None:
            # Raised while asking for a code (allauth's only use of it here: there are no
            # passwords): say how long to wait, not that a sign-in "failed".
            email = (request.POST.get("email") or request.POST.get("login") or "").strip()
            seconds = seconds_until_allowed(
                request, action="request_login_code", key=email.lower() or None
            )
            return ValidationError(wait_message(seconds), code=code)
        return error

    def send_mail(self, template_prefix, email, context):
        """Render with allauth's templates, send through a background task."""
        from engagement.common.tasks import enqueue_message

        context = {
            **context,
            "email": email,
            "code_minutes": settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60,
        }
        enqueue_message(self.render_mail(template_prefix, email, context))

    def add_message(self, request, *args, **kwargs):
        # Kiosk requests keep nothing in the browser, not even a flash message.
        if getattr(request, "kiosk", False):
            return
        super().add_message(request, *args, **kwargs)

    def get_login_redirect_url(self, request):
        """Where people land after signing in when they did not ask for a page: PPIE managers
        in the admin, everybody else on their own page."""
        if request.user.has_perm("wagtailadmin.access_admin"):
            return "/admin/"
        return "/me/"

    def get_email_verification_redirect_url(self, email_address):
        return "/me/"
