"""A member's own equality monitoring page: answer, change or delete (from /me/ and after
joining)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engagement.common.forms import add_service_errors
from engagement.equality.forms import EqualityForm
from engagement.equality.models import QUESTIONS, EqualityAnswers
from engagement.membership import selectors as membership_selectors
from engagement.membership.models import ConsentPurpose
from engagement.membership.views import member_or_404

from . import services


@login_required
@require_http_methods(["GET", "POST"])
def equality(request):
    member = member_or_404(request)
    answers = EqualityAnswers.objects.filter(member=member).first()
    agreed = membership_selectors.has_consent(member, ConsentPurpose.EQUALITY)
    text = membership_selectors.current_consent_texts().get(ConsentPurpose.EQUALITY)
    initial = {name: getattr(answers, name) for name, _q, _c in QUESTIONS} if answers else {}
    form = EqualityForm(
        request.POST or None, initial=initial, consent_text=None if agreed else text
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_answers(member=member, answers=form.answers())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your answers are saved."))
                return redirect("engagement:me")
        status = 400
    return render(
        request,
        "equality/equality.html",
        {"form": form, "answers": answers, "text": text, "agreed": agreed},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_equality(request):
    member = member_or_404(request)
    if request.method == "POST":
        services.erase_answers(member_ids=[member.pk])
        messages.success(request, _("Your equality monitoring answers are deleted."))
        return redirect("engagement:me")
    return render(request, "equality/delete.html", {})
