"""A member's own ideas: the page listing them with what became of each, and the form to put
one forward."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.placed_messages import saved
from engagement.common.forms import add_service_errors, parse_id
from engagement.ideas.forms import IdeaForm
from engagement.membership.views import member_or_404

from . import rules, selectors, services


@login_required
def my_ideas(request):
    member = member_or_404(request)
    return render(
        request,
        "ideas/my_ideas.html",
        {
            "member": member,
            "ideas": selectors.member_ideas(member),
            "decision": rules.suggest(member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggest_idea(request):
    member = member_or_404(request)
    decision = rules.suggest(member)
    posted = request.method == "POST"
    initial = {}
    consultation_id = parse_id(request.GET.get("consultation"))
    if consultation_id:
        initial["consultation"] = consultation_id
    form = IdeaForm(request.POST if posted else None, member=member, initial=initial)
    status = 200
    if posted and decision.may_suggest:
        if form.is_valid():
            try:
                services.suggest_idea(member=member, **form.cleaned_data)
            except services.LimitReached as error:
                form.add_error(None, error)
                status = 429
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                fragment = saved(
                    request,
                    _(
                        "Thank you. Your idea is sent to the team. You can see here what "
                        "happens to it."
                    ),
                    place="ideas",
                )
                return redirect(reverse("engagement:my_ideas") + fragment)
        else:
            status = 400
    elif posted:
        status = 403
    return render(
        request,
        "ideas/suggest.html",
        {
            "form": form,
            "decision": decision,
            "limited": not form.is_bound and selectors.limit_reached(member),
            "limit": settings.IDEAS_PER_DAY,
        },
        status=status,
    )
