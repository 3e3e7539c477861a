from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engagement.common.forms import add_service_errors
from engagement.consultations import rules as consultations_rules
from engagement.consultations.models import Consultation
from engagement.membership import selectors as membership_selectors

from . import services
from .forms import ItemReviewForm, OverallForm, PrototypeReviewForm
from .models import PrototypeReview, Questionnaire, QuestionnaireReview


class _Refused(Exception):
    """Raised by _context with the page to show instead."""

    def __init__(self, response):
        self.response = response


def _context(request, slug, pk=None, *, answering=True):
    """(consultation, questionnaire, member) after the permission check. When answering (every
    page but the printable copy), also only while the consultation takes answers: a closed one
    says so at once rather than after the member has filled in a whole page."""
    consultation = get_object_or_404(Consultation.objects.select_related("prototype"), slug=slug)
    questionnaire = None
    if pk is not None:
        questionnaire = get_object_or_404(Questionnaire, pk=pk, consultation=consultation)
    member = membership_selectors.member_for(request.user)
    if member is None or not request.user.has_perm(consultations_rules.TAKE_PART, consultation):
        raise _Refused(_denied(request, slug))
    if answering:
        try:
            services.check_can_respond(member=member, consultation=consultation)
        except ValidationError as error:
            raise _Refused(_closed(request, consultation, error)) from error
    return consultation, questionnaire, member


def _denied(request, consultation_slug):
    consultation = get_object_or_404(Consultation, slug=consultation_slug)
    return render(
        request,
        "consultations/consultation_denied.html",
        {
            "consultation": consultation,
            "message": _("This is for members taking part in the consultation."),
        },
        status=403,
    )


def _closed(request, consultation, error, status=400):
    return render(
        request,
        "consultations/consultation_denied.html",
        {"consultation": consultation, "message": " ".join(error.messages)},
        status=status,
    )


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
    try:
        consultation, questionnaire, member = _context(request, slug, pk)
    except _Refused as refused:
        return refused.response
    review = QuestionnaireReview.objects.filter(member=member, questionnaire=questionnaire).first()
    if review is None:
        try:
            review = services.start_review(member=member, questionnaire=questionnaire)
        except ValidationError as error:
            return _closed(request, consultation, error)
    count = questionnaire.items.count()
    if review.position > count:
        return redirect(_overall_url(consultation, questionnaire))
    return redirect(_item_url(consultation, questionnaire, review.position))


@login_required
@require_http_methods(["GET", "POST"])
def item_review(request, slug, pk, number):
    try:
        consultation, questionnaire, member = _context(request, slug, pk)
    except _Refused as refused:
        return refused.response
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
        "feedback/item_review.html",
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
    try:
        consultation, questionnaire, member = _context(request, slug, pk)
    except _Refused as refused:
        return refused.response
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
        "feedback/overall.html",
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
    try:
        consultation, questionnaire, member = _context(request, slug, pk)
    except _Refused as refused:
        return refused.response
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
            if already:
                messages.info(request, _("You had already sent this. Your changes are saved."))
            else:
                messages.success(request, _("Thank you. Your review is sent."))
            return redirect(consultation.get_absolute_url())
    items = list(questionnaire.items.all())
    answered = set(review.answers.values_list("item_id", flat=True))
    return render(
        request,
        "feedback/check.html",
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
    try:
        consultation, questionnaire, _member = _context(request, slug, pk, answering=False)
    except _Refused as refused:
        return refused.response
    return render(
        request,
        "feedback/print.html",
        {
            "consultation": consultation,
            "questionnaire": questionnaire,
            "items": list(questionnaire.items.all()),
            "form": ItemReviewForm(recall_period=questionnaire.recall_period),
            "overall_form": OverallForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def prototype_review(request, slug):
    try:
        consultation, _q, member = _context(request, slug)
    except _Refused as refused:
        return refused.response
    prototype = consultation.prototype
    if prototype is None:
        raise Http404
    screens = list(prototype.screens.select_related("image"))
    review = PrototypeReview.objects.filter(member=member, prototype=prototype).first()
    if review and review.consultation_id != consultation.pk:
        return _closed(request, consultation, services.reviewed_elsewhere(review))
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
                    messages.success(
                        request,
                        _("Thank you. Your review is sent.")
                        if submit
                        else _("Your answers are saved."),
                    )
                    return redirect(consultation.get_absolute_url())
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
        "feedback/prototype_review.html",
        {"consultation": consultation, "prototype": prototype, "form": form, "review": review},
        status=status,
    )
