"""Registering for an event on its page (cms.EventPage asks `event_panel` through the
"event_page_panels" hook), the page after registering, and the page every registration email
links to (see it, cancel it, add it to a calendar), which works without signing in."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.models import PagePanel
from cms.placed_messages import saved
from engagement.common.forms import add_service_errors
from engagement.events import services
from engagement.events.forms import FORM_NAME, RegistrationForm
from engagement.events.models import Registration
from engagement.membership import ratelimit
from engagement.membership import selectors as membership_selectors
from engagement.membership.forms import remember_for_joining
from engagement.membership.models import Campaign, Member

from . import selectors

THANKS_SESSION_KEY = "event_registered"
PLACE = "registration"  # the placed message's place: #registration-saved


def _member(request) -> Member | None:
    member = membership_selectors.member_for(request.user)
    if member is None or member.status == Member.Status.WITHDRAWN:
        return None
    return member


def event_panel(request, page):
    """The "event_page_panels" hook: for an event taking registrations, its places and the
    form (a POST of the form is handled here: a redirect once saved, the form with its errors
    otherwise); None for an event that takes none."""
    settings = selectors.settings_for(page)
    if settings is None:
        return None
    if request.method == "POST" and request.POST.get("form") == FORM_NAME:
        return _register(request, page, settings)
    return _panel(request, page, settings)


def _panel(request, page, settings, *, form=None, status=200) -> PagePanel:
    member = _member(request)
    own = selectors.own_registration(member, page, email=request.user.email) if member else None
    available = selectors.availability(settings)
    if form is None and own is None and available.taking_registrations:
        form = _form(request, settings, member)
    context = {
        "page": page,
        "settings": settings,
        "available": available,
        "own": own,
        "own_url": selectors.registration_url(own) if own else "",
        "position": selectors.waiting_position(own) if own else None,
        "form": form,
        "form_name": FORM_NAME,
        "member": member,
    }
    return PagePanel(
        html=render_to_string("events/panel.html", context, request=request),
        summary_label=_("Places"),
        summary_html=render_to_string("events/places_summary.html", context, request=request),
        status=status,
    )


def _form(request, settings, member, data=None) -> RegistrationForm:
    user = request.user if request.user.is_authenticated else None
    initial = {}
    if member is not None:
        initial = {"name": member.display_name, "access_needs": member.access_needs}
    return RegistrationForm(
        data,
        settings=settings,
        signed_in_email=user.email if user else None,
        initial=initial,
    )


def _register(request, page, settings):
    member = _member(request)
    form = _form(request, settings, member, data=request.POST)
    if not request.user.is_authenticated:
        if not ratelimit.hit(
            "event-registration", ratelimit.client_ip(request), django_settings.JOIN_RATE_LIMITS
        ):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "A lot of people are registering from this network right now. Please wait "
                    "a minute and press “Register” again. Your answers are still here."
                ),
            )
            return _panel(request, page, settings, form=form, status=429)
        if form.is_bot:
            return redirect("engagement:event_registered")
    if not form.is_valid():
        return _panel(request, page, settings, form=form, status=400)
    data = form.cleaned_data
    try:
        registration, _created = services.register(
            event=page,
            name=data["name"],
            email=data["email"],
            access_needs=data.get("access_needs", ""),
            dietary_needs=data.get("dietary_needs", ""),
            member=member,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _panel(request, page, settings, form=form, status=400)
    if request.user.is_authenticated:
        return redirect(page.url + saved(request, _said(registration), place=PLACE))
    # A visitor: "check your email" (the same whether or not that address had registered
    # before, so nobody learns who is going), and an offer to join, already filled in.
    request.session[THANKS_SESSION_KEY] = {"event": page.pk, "email": data["email"]}
    if not Member.objects.filter(user__email__iexact=data["email"]).exists():
        remember_for_joining(request.session, display_name=data["name"], email=data["email"])
    return redirect("engagement:event_registered")


def _said(registration: Registration) -> str:
    """What a member reads on the event page once registered."""
    if registration.status == Registration.Status.CONFIRMED:
        return _(
            "You have a place. We have emailed you the details, with a file to add it to your "
            "calendar."
        )
    return _(
        "The event is full, so you are on the waiting list: you are number %(n)d. If a place "
        "comes up, it is yours and we will email you."
    ) % {"n": selectors.waiting_position(registration) or 1}


def _join_url(event_pk) -> str:
    """The join form, through the event's campaign when it has an active one (so joining is
    counted for it), else the plain one."""
    campaigns = Campaign.objects.filter(event_id=event_pk).order_by("-created_at")
    campaign = next((c for c in campaigns if c.is_active()), None)
    if campaign is not None:
        return campaign.get_absolute_url()
    return reverse("engagement:join")


@never_cache
def registered(request):
    """After a visitor registered: check your email; and would you like to join the group?"""
    from cms.models import EventPage

    done = request.session.get(THANKS_SESSION_KEY) or {}
    event = EventPage.objects.live().filter(pk=done.get("event")).first() if done else None
    is_member = request.user.is_authenticated and _member(request) is not None
    context = {
        "event": event,
        "email": done.get("email", "") if isinstance(done, dict) else "",
        "join_url": _join_url(event.pk if event else None) if not is_member else "",
    }
    return render(request, "events/registered.html", context)


def _registration_or_404(token) -> Registration:
    registration = selectors.registration_for_token(token)
    if registration is None:
        raise Http404(_("We could not find this registration. Check the link in your email."))
    return registration


def _no_store(response):
    """Nothing keeps a copy (never_cache adds the rest), and no search engine lists it."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def registration_page(request, token):
    """What the link in every registration email opens: the event, the place (or the waiting
    list), a button to cancel and the calendar file. No signing in: the link is the key."""
    registration = _registration_or_404(token)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "token": token,
        "position": selectors.waiting_position(registration),
        "location": selectors.location_of(event),
        "can_cancel": registration.is_active and not services.has_started(event),
    }
    return _no_store(render(request, "events/registration.html", context))


@never_cache
@require_http_methods(["POST"])
def cancel_registration(request, token):
    registration = _registration_or_404(token)
    page = reverse("engagement:registration", kwargs={"token": token})
    try:
        services.cancel(registration=registration)
    except ValidationError as error:
        return redirect(
            page + saved(request, " ".join(error.messages), place=PLACE, level=messages.ERROR)
        )
    return redirect(
        page
        + saved(
            request,
            _("Done: your registration is cancelled. Thank you for letting us know."),
            place=PLACE,
        )
    )


@never_cache
def registration_calendar(request, token):
    """The event as a calendar file (.ics), for a registration with a place."""
    from engagement.events.calendar import CONTENT_TYPE, FILENAME

    registration = _registration_or_404(token)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404(_("There is no place to add to a calendar."))
    attachment = services.calendar_attachment(registration)
    response = HttpResponse(attachment["content"], content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return _no_store(response)
