import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from . import ratelimit, rules, selectors, services
from .charts import horizontal_bar_chart
from .dates import long_date
from .forms import ExpensesForm, JoinForm, PaymentChoiceForm, PreferencesForm, add_service_errors
from .models import (
    Campaign,
    Channel,
    ConsentPurpose,
    Consultation,
    InvolvementRecord,
    Member,
    Poll,
)
from .vote_forms import PollForm, VoteForm


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
    campaign, note = _campaign_for(code)
    if kiosk and code is not None:
        request.kiosk = True
    channel = Channel.KIOSK if kiosk else (Channel.QR if campaign else Channel.WEB)
    texts = selectors.current_consent_texts()
    status = 200
    if request.method == "POST":
        form = JoinForm(request.POST, consent_texts=texts, kiosk=kiosk)
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
                return _after_join(campaign, code, kiosk)
    else:
        form = JoinForm(consent_texts=texts, kiosk=kiosk)
        if campaign is not None and not kiosk:
            services.record_campaign_visit(campaign=campaign)
    template = "engagement/kiosk.html" if kiosk else "engagement/join.html"
    context = {"form": form, "campaign": campaign, "note": note, "code": code, "kiosk": kiosk}
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
    return render(request, "engagement/join.html", context)


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
    return render(request, "engagement/join_thanks.html", {"code": code})


@never_cache
def kiosk_thanks(request, code):
    return render(
        request,
        "engagement/kiosk_thanks.html",
        {
            "code": code,
            "return_seconds": settings.KIOSK_RETURN_SECONDS,
            "form_url": reverse("engagement:kiosk", kwargs={"code": code}),
        },
    )


def _member_or_404(request) -> Member:
    member = Member.objects.select_related("campaign", "user").filter(user=request.user).first()
    if member is None or member.status == Member.Status.WITHDRAWN:
        raise Http404(_("You are not a member of the stakeholder group."))
    return member


@login_required
def me(request):
    member = Member.objects.select_related("campaign", "user").filter(user=request.user).first()
    if member is None:
        return render(request, "engagement/me_not_member.html")
    context = {
        "member": member,
        "open_consultations": list(selectors.open_consultations_for(member)),
        "outcomes": list(
            member.outcome_notices.filter(page__live=True)
            .select_related("page")
            .order_by("-sent_at")
        ),
        "involvement": list(member.involvement.select_related("consultation")[:50]),
        "interests": list(member.interests.all()),
        "consents": selectors.current_consents(member),
        "history": member.consents.select_related("text").order_by("-given_at"),
    }
    return render(request, "engagement/me.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    member = _member_or_404(request)
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
            messages.success(request, _("Your changes are saved."))
            return redirect("engagement:me")
    return render(request, "engagement/preferences.html", {"form": form, "member": member})


@login_required
def my_data(request):
    member = _member_or_404(request)
    data = selectors.member_data(member)
    data["downloaded_at"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-ppie-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request):
    member = _member_or_404(request)
    if request.method == "POST":
        logout(request)
        services.withdraw_member(member=member)
        return redirect("engagement:withdrawn")
    return render(request, "engagement/withdraw.html", {"member": member})


def withdrawn(request):
    return render(request, "engagement/withdrawn.html")


# --- Consultations ---------------------------------------------------------------------------


def _consultation_or_404(slug) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("prototype"), slug=slug)


def _features(consultation):
    return list(
        consultation.features.select_related("image", "screen__image").order_by("sort_order", "pk")
    )


def _cannot_take_part_message(request) -> str:
    """Why this person may not take part (TAKE_PART was refused): say what is actually wrong."""
    member = rules.member_for(request.user)
    if member is None:
        return _("Only members of the stakeholder group can take part.")
    if member.status == Member.Status.PENDING:
        return _("Please confirm your email address first, using the link we sent you.")
    if member.status != Member.Status.ACTIVE:
        return _("Your membership is paused, so you cannot take part at the moment.")
    return _("This consultation is for invited members only.")


def _deny(request, consultation, message):
    return render(
        request,
        "engagement/consultation_denied.html",
        {"consultation": consultation, "message": message},
        status=403,
    )


def _consultation_page(request, consultation, *, vote_form=None, poll_forms=None, status=200):
    member = rules.member_for(request.user)
    features = _features(consultation)
    budget = consultation.budget(len(features))
    if vote_form is None:
        initial = selectors.initial_votes(member, consultation) if member else {}
        vote_form = VoteForm(
            initial=initial, consultation=consultation, features=features, budget=budget
        )
    polls = list(consultation.polls.prefetch_related("choices"))
    answers = selectors.my_poll_answers(member, consultation) if member else {}
    forms_by_poll = poll_forms or {}
    poll_blocks = []
    for poll in polls:
        form = forms_by_poll.get(poll.pk)
        if form is None:
            mine = answers.get(poll.pk)
            initial = {}
            if mine:
                if poll.kind == Poll.Kind.SINGLE:
                    initial["choice"] = (
                        str(next(iter(mine["choices"]))) if mine["choices"] else "other"
                    )
                else:
                    initial["choice"] = [str(c) for c in mine["choices"]]
                initial["other"] = mine["other"]
            form = PollForm(initial=initial, poll=poll)
        poll_blocks.append({"poll": poll, "form": form, "answered": poll.pk in answers})
    # Delphi round 2: under each feature, the group's round-1 ratings and the member's own.
    round_one, mine_before = {}, {}
    if (
        consultation.voting_method == Consultation.Method.DELPHI
        and consultation.delphi_round == 2
        and member
    ):
        round_one = {
            row["feature"].pk: row
            for row in selectors.consultation_results(consultation, vote_round=1)["rows"]
        }
        mine_before = selectors.my_votes(member, consultation, vote_round=1)
    spent = sum(v or 0 for v in selectors.my_votes(member, consultation).values()) if member else 0
    screens = []
    if consultation.prototype_id and consultation.prototype.live:
        screens = list(consultation.prototype.screens.select_related("image"))
    context = {
        "consultation": consultation,
        "member": member,
        # Other apps add sections (e.g. feedback's questionnaires) through this Wagtail hook.
        "panels": [
            fn(request, consultation, member) for fn in hooks.get_hooks("consultation_panels")
        ],
        "vote_form": vote_form,
        "features_and_fields": [
            (feature, field, round_one.get(feature.pk), mine_before.get(feature.pk))
            for feature, field in vote_form.feature_fields()
        ],
        "budget": budget,
        "spent": spent,
        "poll_blocks": poll_blocks,
        "screens": screens,
        "can_vote": request.user.has_perm(rules.VOTE, consultation),
        "can_see_results": request.user.has_perm(rules.SEE_RESULTS, consultation),
    }
    return render(request, "engagement/consultation.html", context, status=status)


@login_required
def consultation_detail(request, slug):
    consultation = _consultation_or_404(slug)
    if not request.user.has_perm(rules.TAKE_PART, consultation):
        return _deny(request, consultation, _cannot_take_part_message(request))
    return _consultation_page(request, consultation)


@login_required
@require_http_methods(["POST"])
def consultation_vote(request, slug):
    consultation = _consultation_or_404(slug)
    if not request.user.has_perm(rules.TAKE_PART, consultation):
        return _deny(request, consultation, _cannot_take_part_message(request))
    member = rules.member_for(request.user)
    features = _features(consultation)
    form = VoteForm(
        request.POST,
        consultation=consultation,
        features=features,
        budget=consultation.budget(len(features)),
    )
    if member is None:
        form.is_valid()
        form.add_error(None, _("Only members of the stakeholder group can vote."))
    elif form.is_valid():
        try:
            services.cast_votes(member=member, consultation=consultation, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your votes are saved. You can change them until %(date)s.")
                % {"date": long_date(consultation.closes_at)},
            )
            return redirect(consultation.get_absolute_url() + "#vote")
    return _consultation_page(request, consultation, vote_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def consultation_poll(request, slug, poll_id):
    consultation = _consultation_or_404(slug)
    if not request.user.has_perm(rules.TAKE_PART, consultation):
        return _deny(request, consultation, _cannot_take_part_message(request))
    poll = get_object_or_404(
        Poll.objects.prefetch_related("choices"), pk=poll_id, consultation=consultation
    )
    member = rules.member_for(request.user)
    form = PollForm(request.POST, poll=poll)
    if member is None:
        form.is_valid()
        form.add_error(None, _("Only members of the stakeholder group can answer."))
    elif form.is_valid():
        choice_ids, other = form.answer()
        try:
            services.answer_poll(member=member, poll=poll, choice_ids=choice_ids, other_text=other)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect(consultation.get_absolute_url() + f"#poll-{poll.pk}")
    return _consultation_page(request, consultation, poll_forms={poll.pk: form}, status=400)


@login_required
def consultation_results(request, slug):
    consultation = _consultation_or_404(slug)
    if not request.user.has_perm(rules.SEE_RESULTS, consultation):
        if consultation.results_visibility == Consultation.Visibility.AFTER_CLOSE:
            message = _("Results will be shown here after the consultation closes on %(date)s.") % {
                "date": long_date(consultation.closes_at)
            }
        else:
            message = _("The results of this consultation are not shared on the website.")
        return _deny(request, consultation, message)
    equal = request.GET.get("weights") == "equal"
    results = selectors.consultation_results(consultation, equal_weights=equal)
    return render(
        request,
        "engagement/consultation_results.html",
        {
            **results_context(results),
            "polls": selectors.poll_results(consultation),
        },
    )


def results_context(results: dict) -> dict:
    """Chart and table data for a consultation's results (public page and admin alike)."""
    consultation = results["consultation"]
    if results["delphi"]:
        bars = [(r["feature"].title, round(r["high_pct"], 1)) for r in results["rows"]]
        chart = horizontal_bar_chart(
            chart_id="results-chart",
            title=_("Percentage rating each feature 7 to 9 (critical)"),
            description=_("One bar per feature, highest first. The table below has the numbers."),
            bars=bars,
            value_format="{:g}%",
            max_value=100,
        )
    else:
        bars = [(r["feature"].title, round(r["score"], 2)) for r in results["rows"]]
        chart = horizontal_bar_chart(
            chart_id="results-chart",
            title=(
                _("Average per person, each stakeholder group weighted equally")
                if results["equal_weights"]
                else _("Total %(what)s per feature")
                % {
                    "what": _("points")
                    if consultation.voting_method == Consultation.Method.POINTS
                    else _("supports")
                }
            ),
            description=_("One bar per feature, highest first. The table below has the numbers."),
            bars=bars,
        )
    return {**results, "chart": chart}


@login_required
@require_http_methods(["GET", "POST"])
def involvement_record(request, pk):
    """A member chooses how to be paid for one activity and claims expenses."""
    member = _member_or_404(request)
    record = get_object_or_404(InvolvementRecord, pk=pk, member=member)
    payment_form = PaymentChoiceForm(
        initial={"choice": record.payment_choice or None, "reduced_amount": record.reduced_amount},
        prefix="pay",
    )
    expenses_form = ExpensesForm(initial={"amount": record.expenses_claimed}, prefix="exp")
    status = 200
    # Which of the two forms was sent: the payment form always sends its amount box (empty or
    # not), while its radios send nothing when none is ticked.
    paying = any(key.startswith("pay-") for key in request.POST)
    if request.method == "POST":
        try:
            if paying:
                payment_form = PaymentChoiceForm(request.POST, prefix="pay")
                if payment_form.is_valid():
                    services.choose_payment(
                        member=member,
                        record=record,
                        choice=payment_form.cleaned_data["choice"],
                        reduced_amount=payment_form.cleaned_data["reduced_amount"],
                    )
                    messages.success(request, _("Your choice is saved."))
                    return redirect("engagement:me")
            else:
                expenses_form = ExpensesForm(request.POST, request.FILES, prefix="exp")
                if expenses_form.is_valid():
                    services.claim_expenses(
                        member=member,
                        record=record,
                        amount=expenses_form.cleaned_data["amount"],
                        receipt=expenses_form.cleaned_data["receipt"],
                    )
                    messages.success(request, _("Your expenses claim is saved."))
                    return redirect("engagement:me")
        except ValidationError as error:
            form = payment_form if paying else expenses_form
            add_service_errors(form, error)
        status = 400
    return render(
        request,
        "engagement/involvement_record.html",
        {"record": record, "payment_form": payment_form, "expenses_form": expenses_form},
        status=status,
    )
