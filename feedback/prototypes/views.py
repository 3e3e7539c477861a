"""A member's review of an app prototype, screen by screen, with the SUS."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.placed_messages import saved
from engagement.common.forms import add_service_errors
from engagement.consultations.views import consultation_or_404, refusal, refused_page
from engagement.membership.selectors import member_for
from feedback.prototypes.forms import PrototypeReviewForm
from feedback.prototypes.models import PrototypeReview

from . import services


@login_required
@require_http_methods(["GET", "POST"])
def prototype_review(request, slug):
    consultation = consultation_or_404(request, slug)
    if refused := refusal(request, consultation, answering=True):
        return refused
    member = member_for(request.user)
    prototype = consultation.prototype
    if prototype is None:
        raise Http404
    screens = list(prototype.screens.select_related("image"))
    review = PrototypeReview.objects.filter(member=member, prototype=prototype).first()
    if review and review.consultation_id != consultation.pk:
        return refused_page(
            request,
            consultation,
            " ".join(services.reviewed_elsewhere(review).messages),
            status=400,
        )
    status = 200
    if request.method == "POST":
        form = PrototypeReviewForm(request.POST, screens=screens)
        submit = "submit" in request.POST
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
                    fragment = saved(
                        request,
                        _("Thank you. Your review is sent.")
                        if submit
                        else _("Your answers are saved."),
                        place="tasks",
                    )
                    return redirect(consultation.get_absolute_url() + fragment)
                for number in missing:
                    form.add_error(
                        f"sus_{number}",
                        _("Answer statement %(n)d to send your review") % {"n": number},
                    )
        status = 400
    else:
        initial = {}
        if review:
            for number, value in enumerate(review.sus_answers(), start=1):
                if value:
                    initial[f"sus_{number}"] = str(value)
            for comment in review.screens.all():
                initial[f"screen-{comment.screen_id}-ease"] = str(comment.ease or "")
                initial[f"screen-{comment.screen_id}-comment"] = comment.comment
        form = PrototypeReviewForm(initial=initial, screens=screens)
    return render(
        request,
        "prototypes/prototype_review.html",
        {"consultation": consultation, "prototype": prototype, "form": form, "review": review},
        status=status,
    )
