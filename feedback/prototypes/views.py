"""A member's review of an app prototype, one step at a time: the screens, then the ten SUS
statements on two steps of five. Every step saves what it shows, so a member can stop after
any step and come back to their answers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.placed_messages import saved
from engagement.common.forms import add_service_errors
from engagement.consultations.views import consultation_or_404, refusal, refused_page
from engagement.membership.selectors import member_for
from feedback.prototypes.forms import PrototypeReviewForm
from feedback.prototypes.models import SUS_INSTRUCTIONS, SUS_STEPS, PrototypeReview

from . import services


def review_steps(screens: list) -> list[dict]:
    """The steps of a review: the screens (when the version has any), then the statements in
    groups of five. Each step: its screens and its statement numbers."""
    steps = [{"screens": screens, "numbers": []}] if screens else []
    steps += [{"screens": [], "numbers": list(numbers)} for numbers in SUS_STEPS]
    return steps


def step_url(consultation, step: int) -> str:
    if step == 1:
        return reverse("feedback:prototype_review", kwargs={"slug": consultation.slug})
    return reverse(
        "feedback:prototype_review_step", kwargs={"slug": consultation.slug, "step": step}
    )


def _initial(review: PrototypeReview | None, step: dict) -> dict:
    """The answers already saved for this step's fields (one query for the screens' rows)."""
    initial = {}
    if review is None:
        return initial
    for number in step["numbers"]:
        value = getattr(review, f"sus_{number}")
        if value:
            initial[f"sus_{number}"] = str(value)
    if step["screens"]:
        for comment in review.screens.all():
            initial[f"screen-{comment.screen_id}-ease"] = str(comment.ease or "")
            initial[f"screen-{comment.screen_id}-comment"] = comment.comment
    return initial


def _missing_error(number: int) -> str:
    return _("Answer statement %(n)d to send your review") % {"n": number}


@login_required
@require_http_methods(["GET", "POST"])
def prototype_review(request, slug, step=1):
    consultation = consultation_or_404(request, slug)
    if refused := refusal(request, consultation, answering=True):
        return refused
    member = member_for(request.user)
    prototype = consultation.prototype
    if prototype is None:
        raise Http404
    screens = list(prototype.screens.select_related("image"))
    steps = review_steps(screens)
    if not 1 <= step <= len(steps):
        raise Http404
    review = PrototypeReview.objects.filter(member=member, prototype=prototype).first()
    if review and review.consultation_id != consultation.pk:
        return refused_page(
            request,
            consultation,
            " ".join(services.reviewed_elsewhere(review).messages),
            status=400,
        )
    last = step == len(steps)
    status = 200
    if request.method == "POST":
        form = PrototypeReviewForm(request.POST, **steps[step - 1])
        submit = last and "submit" in request.POST
        if form.is_valid():
            try:
                review, missing = services.save_prototype_review(
                    member=member,
                    consultation=consultation,
                    screens=form.screens_data(),
                    sus=form.sus_data(),
                    submit=submit,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not missing:
                    if "back" in request.POST and step > 1 and not submit:
                        return redirect(step_url(consultation, step - 1))
                    if submit or "save" in request.POST or last:
                        fragment = saved(
                            request,
                            _("Thank you. Your review is sent.")
                            if submit
                            else _("Your answers are saved."),
                            place="tasks",
                        )
                        return redirect(consultation.get_absolute_url() + fragment)
                    return redirect(step_url(consultation, step + 1))
                # Sending with statements unanswered: show the first step that has one, each
                # missing statement marked (on another step: that step, as saved).
                step = next(i for i, s in enumerate(steps, 1) if set(s["numbers"]) & set(missing))
                if not set(steps[step - 1]["numbers"]) & set(form.numbers):
                    form = PrototypeReviewForm(_initial(review, steps[step - 1]), **steps[step - 1])
                    form.is_valid()
                    last = step == len(steps)
                for number in missing:
                    if f"sus_{number}" in form.fields:
                        form.add_error(f"sus_{number}", _missing_error(number))
        status = 400
    else:
        form = PrototypeReviewForm(initial=_initial(review, steps[step - 1]), **steps[step - 1])
    return render(
        request,
        "prototypes/prototype_review.html",
        {
            "consultation": consultation,
            "prototype": prototype,
            "form": form,
            "review": review,
            "step": step,
            "step_count": len(steps),
            "last": last,
            "action": step_url(consultation, step),
            "sus_instructions": SUS_INSTRUCTIONS,
        },
        status=status,
    )
