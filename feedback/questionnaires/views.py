"""A member's item-by-item review of a draft questionnaire: resumable, saved as they go."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.placed_messages import saved
from engagement.common.forms import add_service_errors
from engagement.consultations.views import consultation_or_404, refusal, refused_page
from engagement.membership.selectors import member_for
from feedback.questionnaires.forms import ItemReviewForm, OverallForm
from feedback.questionnaires.models import Questionnaire, QuestionnaireReview

from . import services


def _context(request, slug, pk=None, *, answering=True):
    """(consultation, questionnaire, member, refused): `refused` is the page to show instead
    when this person may not go on (engagement.consultations.views.refusal: take_part()'s
    reason). When answering (every page but the printable copy), only while the consultation
    takes answers: a closed one says so at once, not after a whole page is filled in."""
    consultation = consultation_or_404(request, slug)
    questionnaire = None
    if pk is not None:
        questionnaire = get_object_or_404(Questionnaire, pk=pk, consultation=consultation)
    member = member_for(request.user)
    # The printable copy (not answering) is for members too: a manager has the admin's.
    refused = refusal(request, consultation, answering=answering or member is None)
    return consultation, questionnaire, member, refused


def _item_url(consultation, questionnaire, number):
    return reverse(
        "feedback:item",
        kwargs={"slug": consultation.slug, "pk": questionnaire.pk, "number": number},
    )


def _nav(items, answered) -> list[dict]:
    """The list of questions to jump back to, each marked answered or not (`answered`: any
    container of the item ids answered)."""
    return [
        {"number": i, "item": it, "answered": it.pk in answered}
        for i, it in enumerate(items, start=1)
    ]


def _overall_url(consultation, questionnaire):
    return reverse("feedback:overall", kwargs={"slug": consultation.slug, "pk": questionnaire.pk})


@login_required
def questionnaire_start(request, slug, pk):
    """Resume where the member stopped (days later too)."""
    consultation, questionnaire, member, refused = _context(request, slug, pk)
    if refused:
        return refused
    review = QuestionnaireReview.objects.filter(member=member, questionnaire=questionnaire).first()
    if review is None:
        try:
            review = services.start_review(member=member, questionnaire=questionnaire)
        except ValidationError as error:
            return refused_page(request, consultation, " ".join(error.messages), status=400)
    count = questionnaire.items.count()
    if review.position > count:
        return redirect(_overall_url(consultation, questionnaire))
    return redirect(_item_url(consultation, questionnaire, review.position))


@login_required
@require_http_methods(["GET", "POST"])
def item_review(request, slug, pk, number):
    consultation, questionnaire, member, refused = _context(request, slug, pk)
    if refused:
        return refused
    items = list(questionnaire.items.all())
    if not 1 <= number <= len(items):
        raise Http404
    item = items[number - 1]
    review = QuestionnaireReview.objects.filter(member=member, questionnaire=questionnaire).first()
    answers = {a.item_id: a for a in review.answers.all()} if review else {}
    existing = answers.get(item.pk)
    status = 200
    if request.method == "POST":
        form = ItemReviewForm(request.POST, recall_period=questionnaire.recall_period)
        if form.is_valid():
            try:
                if review is None:
                    review = services.start_review(member=member, questionnaire=questionnaire)
                services.save_item_feedback(review=review, item=item, data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if number < len(items):
                    return redirect(_item_url(consultation, questionnaire, number + 1))
                return redirect(_overall_url(consultation, questionnaire))
        status = 400
    else:
        initial = {}
        if existing:
            initial = {name: getattr(existing, name) for name in ItemReviewForm.base_fields}
            initial["relevance"] = str(existing.relevance)
        form = ItemReviewForm(initial=initial, recall_period=questionnaire.recall_period)
    return render(
        request,
        "questionnaires/item_review.html",
        {
            "consultation": consultation,
            "questionnaire": questionnaire,
            "item": item,
            "number": number,
            "count": len(items),
            "form": form,
            "nav": _nav(items, answers),
            "previous_url": _item_url(consultation, questionnaire, number - 1)
            if number > 1
            else None,
            "submitted": bool(review and review.submitted_at),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def overall(request, slug, pk):
    consultation, questionnaire, member, refused = _context(request, slug, pk)
    if refused:
        return refused
    review = QuestionnaireReview.objects.filter(member=member, questionnaire=questionnaire).first()
    if review is None:
        return redirect("feedback:questionnaire", slug=slug, pk=pk)
    status = 200
    if request.method == "POST":
        form = OverallForm(request.POST)
        if form.is_valid():
            try:
                services.save_overall(review=review, data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("feedback:check", slug=slug, pk=pk)
        status = 400
    else:
        form = OverallForm(
            initial={name: getattr(review, name) for name in OverallForm.base_fields}
        )
    count = questionnaire.items.count()
    return render(
        request,
        "questionnaires/overall.html",
        {
            "consultation": consultation,
            "questionnaire": questionnaire,
            "form": form,
            "count": count,
            "previous_url": _item_url(consultation, questionnaire, count) if count else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_and_submit(request, slug, pk):
    consultation, questionnaire, member, refused = _context(request, slug, pk)
    if refused:
        return refused
    review = QuestionnaireReview.objects.filter(member=member, questionnaire=questionnaire).first()
    if review is None:
        return redirect("feedback:questionnaire", slug=slug, pk=pk)
    error = None
    if request.method == "POST":
        already = bool(review.submitted_at)
        try:
            services.submit_review(review=review)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            fragment = saved(
                request,
                _("You had already sent this. Your changes are saved.")
                if already
                else _("Thank you. Your review is sent."),
                place="tasks",
            )
            return redirect(consultation.get_absolute_url() + fragment)
    items = list(questionnaire.items.all())
    answered = set(review.answers.values_list("item_id", flat=True))
    return render(
        request,
        "questionnaires/check.html",
        {
            "consultation": consultation,
            "questionnaire": questionnaire,
            "review": review,
            "nav": _nav(items, answered),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def print_questionnaire(request, slug, pk):
    consultation, questionnaire, _member, refused = _context(request, slug, pk, answering=False)
    if refused:
        return refused
    return render(
        request,
        "questionnaires/print.html",
        {
            "consultation": consultation,
            "questionnaire": questionnaire,
            "items": list(questionnaire.items.all()),
            "form": ItemReviewForm(recall_period=questionnaire.recall_period),
            "overall_form": OverallForm(),
        },
    )
