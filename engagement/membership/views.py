"""Joining the stakeholder group (web, QR campaign, kiosk) and a member's own pages under /me/."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms import page_cache
from cms.placed_messages import saved
from engagement.common.forms import add_service_errors
from engagement.consultations import selectors as consultations_selectors
from engagement.ideas import rules as ideas_rules
from engagement.ideas import selectors as ideas_selectors
from engagement.involvement import selectors as involvement_selectors
from engagement.involvement.models import InvolvementRecord
from engagement.membership.forms import (
    PREFILL_SESSION_KEY,
    JoinForm,
    NewAgreementsForm,
    PreferencesForm,
    join_prefill,
)
from engagement.membership.models import Campaign, Channel, ConsentPurpose, Member

from . import ratelimit, selectors, services


def _campaign_for(code: str | None) -> tuple[Campaign | None, str | None]:
    """(campaign, note): unknown or inactive codes still let people join, unattributed."""
    if code is None:
        return None, None
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        return None, _(
            "We could not find the event or leaflet this link came from, but you can still join."
        )
    if not campaign.is_active():
        return None, _("This sign-up link is no longer in use, but you can still join here.")
    return campaign, None


def _join(request, code: str | None, *, kiosk: bool):
    if not kiosk and request.user.is_authenticated:
        return _join_signed_in(request, code)
    if kiosk and code is not None:
        request.kiosk = True  # keeps nothing in the browser (config/adapters.py)
    if request.method != "POST":
        if code is not None and not kiosk:
            services.record_campaign_visit(code=code)
        # The same page for every visitor without a session but for the CSRF token: from the
        # cache when it can be (cms/page_cache.py), before any other database work.
        return page_cache.form_page(
            request, lambda csrf_token: _join_page(request, code, kiosk, csrf_token=csrf_token)
        )
    campaign, _note = _campaign_for(code)
    channel = Channel.KIOSK if kiosk else (Channel.QR if campaign else Channel.WEB)
    form = JoinForm(request.POST, consent_texts=selectors.current_consent_texts(), kiosk=kiosk)
    status = 200
    if not ratelimit.hit("join", ratelimit.client_ip(request), settings.JOIN_RATE_LIMITS):
        form.is_valid()
        form.add_error(
            None,
            _(
                "A lot of people are joining from this network right now. Please wait a "
                "minute and press “Join” again. Your answers are still here."
            ),
        )
        status = 429
    elif form.is_bot:
        return _after_join(campaign, code, kiosk)
    elif form.is_valid():
        try:
            services.sign_up(
                request=request, data=form.to_data(), campaign=campaign, channel=channel
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(PREFILL_SESSION_KEY, None)
            return _after_join(campaign, code, kiosk)
    return _join_page(request, code, kiosk, form=form, status=status)


def _join_page(request, code, kiosk, *, form=None, status=200, csrf_token=None):
    """The join (or kiosk) form page; csrf_token None: the visitor's own token."""
    campaign, note = _campaign_for(code)
    if form is None:
        # Filled in from an event registration made in this browser (a session, so never a
        # stored page); a kiosk is shared by strangers: it never starts with anyone's details.
        initial = {} if kiosk else join_prefill(request.session)
        form = JoinForm(
            consent_texts=selectors.current_consent_texts(), kiosk=kiosk, initial=initial
        )
    template = "membership/kiosk.html" if kiosk else "membership/join.html"
    context = {"form": form, "campaign": campaign, "note": note, "code": code, "kiosk": kiosk}
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, template, context, status=status)


def _join_signed_in(request, code: str | None):
    """Signed in (a manager, say) but not a member: the same form, email fixed to the account,
    and a member at once. Already a member: their own page instead."""
    if Member.objects.filter(user=request.user).exists():
        messages.info(request, _("You are already in the stakeholder group."))
        return redirect("engagement:me")
    campaign, note = _campaign_for(code)
    texts = selectors.current_consent_texts()
    form = JoinForm(request.POST or None, consent_texts=texts, signed_in_email=request.user.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_signed_in(
                user=request.user,
                data=form.to_data(),
                campaign=campaign,
                channel=Channel.QR if campaign else Channel.WEB,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Welcome to the stakeholder group."))
            return redirect("engagement:me")
    context = {"form": form, "campaign": campaign, "note": note, "code": code, "kiosk": False}
    return render(request, "membership/join.html", context)


def _after_join(campaign, code, kiosk):
    if kiosk:
        return redirect("engagement:kiosk_thanks", code=code)
    if code:
        return redirect("engagement:join_campaign_thanks", code=code)
    return redirect("engagement:join_thanks")


@require_http_methods(["GET", "POST"])
def join(request, code=None):
    return _join(request, code, kiosk=False)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request, code):
    return _join(request, code, kiosk=True)


def join_thanks(request, code=None):
    return render(request, "membership/join_thanks.html", {"code": code})


@never_cache
def kiosk_thanks(request, code):
    return render(
        request,
        "membership/kiosk_thanks.html",
        {
            "code": code,
            "return_seconds": settings.KIOSK_RETURN_SECONDS,
            "form_url": reverse("engagement:kiosk", kwargs={"code": code}),
            # "Keep this screen" (without JavaScript): the same page with no timer.
            "stay": request.GET.get("stay") == "1",
        },
    )


def member_or_404(request) -> Member:
    member = Member.objects.select_related("campaign", "user").filter(user=request.user).first()
    if member is None or member.status == Member.Status.WITHDRAWN:
        raise Http404(_("You are not a member of the stakeholder group."))
    return member


ME_IDEAS = 5  # the newest on /me/; all of them on /me/ideas/


@login_required
def me(request):
    # Kept for this member until anything is written, or a consultation of theirs opens or
    # closes (cms/page_cache.py).
    return page_cache.personal_page(request, lambda csrf_token: _me_page(request, csrf_token))


def _me_page(request, csrf_token=None):
    member = selectors.member_for(request.user)
    if member is None:
        return render(request, "membership/me_not_member.html")
    open_consultations, change = consultations_selectors.open_consultations_and_next_change(member)
    page_cache.changes_at(request, change)
    context = {
        "member": member,
        "open_consultations": open_consultations,
        "outcomes": list(
            member.outcome_notices.filter(page__live=True)
            .select_related("page")
            .order_by("-sent_at")
        ),
        "ideas": ideas_selectors.member_ideas(member, limit=ME_IDEAS),
        "may_suggest": ideas_rules.suggest(member).may_suggest,
        "involvement": list(member.involvement.select_related("consultation")[:50]),
        "yearly_totals": involvement_selectors.yearly_totals(member=member),
        "interests": list(member.interests.all()),
    }
    context["history"] = selectors.consent_history(member)
    context["consents"] = selectors.current_consents(member, history=context["history"])
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, "membership/me.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    member = member_or_404(request)
    texts = selectors.current_consent_texts()
    initial = {
        "display_name": member.display_name,
        "interests": list(member.interests.all()),
        "access_needs": member.access_needs,
        "contact_preference": member.contact_preference,
        "phone": member.phone,
        "quote_consent": selectors.has_consent(member, ConsentPurpose.QUOTE),
    }
    form = PreferencesForm(
        request.POST or None, initial=initial, quote_text=texts.get(ConsentPurpose.QUOTE)
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.update_preferences(
                member=member,
                display_name=c["display_name"],
                interests=c["interests"],
                access_needs=c["access_needs"].strip(),
                contact_preference=c["contact_preference"],
                phone=c["phone"].strip(),
                quote_consent=c.get("quote_consent", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)  # nothing saved: the service is one transaction
        else:
            fragment = saved(request, _("Your changes are saved."), place="profile")
            return redirect(reverse("engagement:me") + fragment)
    return render(
        request,
        "membership/preferences.html",
        {"form": form, "member": member, "agreements": _agreements(member)},
    )


def _agreements(member: Member) -> list[dict]:
    """Each agreement that can be taken back on its own, with the one in force (or None)."""
    current = selectors.current_consents(member)
    return [
        {
            "purpose": purpose,
            "label": ConsentPurpose(purpose).label,
            "record": current.get(purpose),
            "withdraw_url": reverse("engagement:withdraw_purpose", kwargs={"purpose": purpose}),
        }
        for purpose in services.WITHDRAWABLE
    ]


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_purpose(request, purpose):
    """Take back one agreement: first what changes (services.WITHDRAWAL_EFFECTS), then a button."""
    member = member_or_404(request)
    if purpose not in services.WITHDRAWABLE:
        raise Http404(_("There is no such agreement."))
    record = selectors.current_consents(member).get(purpose)
    if record is None:
        messages.info(request, _("You have not agreed to this, so there is nothing to take back."))
        return redirect("engagement:preferences")
    if request.method == "POST":
        services.withdraw_purpose(member=member, purpose=purpose)
        messages.success(
            request,
            _("Done: you have taken back “%(label)s”.") % {"label": ConsentPurpose(purpose).label},
        )
        return redirect("engagement:preferences")
    return render(
        request,
        "membership/withdraw_purpose.html",
        {
            "member": member,
            "record": record,
            "label": ConsentPurpose(purpose).label,
            "effects": services.WITHDRAWAL_EFFECTS[purpose],
        },
    )


@login_required
def my_data(request):
    """Everything held about the member, as a page they can read and print (Art. 15)."""
    member = member_or_404(request)
    response = render(
        request,
        "membership/my_data.html",
        {
            "member": member,
            "sections": selectors.member_data_sections(member),
            "retention": selectors.retention_facts(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data_json(request):
    """The same, machine-readable (Art. 20)."""
    member = member_or_404(request)
    data = {"downloaded_at": timezone.now().isoformat(), **selectors.member_data(member)}
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="my-ppie-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_receipt(request, pk):
    """A receipt the member uploaded: theirs only (anyone else's is "not found")."""
    member = member_or_404(request)
    record = InvolvementRecord.objects.filter(pk=pk, member=member).exclude(receipt="").first()
    if record is None:
        raise Http404(_("There is no receipt here."))
    try:
        handle = record.receipt.open("rb")
    except FileNotFoundError:
        raise Http404(_("There is no receipt here.")) from None
    response = FileResponse(handle, as_attachment=True)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request):
    member = member_or_404(request)
    if request.method == "POST":
        logout(request)
        services.withdraw_member(member=member)
        return redirect("engagement:withdrawn")
    return render(
        request,
        "membership/withdraw.html",
        {"member": member, "retention": selectors.retention_facts()},
    )


def withdrawn(request):
    return render(request, "membership/withdrawn.html")


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def new_agreements(request):
    """One page for every agreement whose wording changed since the member agreed: agree to
    the new version, or decline (which takes that agreement back)."""
    member = member_or_404(request)
    outdated = selectors.outdated_agreements(member)
    next_url = _safe_next(request, reverse("engagement:me"))
    if not outdated:
        return redirect(next_url)
    form = NewAgreementsForm(request.POST or None, outdated=outdated)
    if request.method == "POST" and form.is_valid():
        leave = False
        for purpose, answer in form.cleaned_data.items():
            if answer == NewAgreementsForm.AGREE:
                services.agree_to_new_version(member=member, purpose=purpose)
            elif purpose == ConsentPurpose.JOIN:
                leave = True  # leaving is its own page, which says what happens
            else:
                services.withdraw_purpose(member=member, purpose=purpose)
        if leave:
            messages.info(
                request,
                _(
                    "Without agreeing to the new wording you cannot stay in the group. Here is "
                    "what leaving means."
                ),
            )
            return redirect("engagement:withdraw")
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect(next_url)
    return render(
        request,
        "membership/new_agreements.html",
        {"form": form, "member": member, "next": next_url},
        status=400 if form.errors else 200,
    )
