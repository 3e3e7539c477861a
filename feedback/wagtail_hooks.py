"""Feedback's manager workspace and what it adds to the stakeholder group's pages: each slice's
viewsets and hooks (imported here, so Wagtail finds them), the participants of a consultation
and the feedback tasks on its page."""

from django.db.models import Count, Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from engagement.consultations import hooks as consultation_hooks
from engagement.ideas import hooks as idea_hooks
from engagement.involvement.models import ESTIMATED_MINUTES, ActivityType
from engagement.membership import hooks as membership_hooks
from feedback import personal_data
from feedback.outcomes import admin as _outcomes_admin  # noqa: F401
from feedback.outcomes.models import OutcomeChange, OutcomeIndexPage
from feedback.prototypes import admin as _prototypes_admin  # noqa: F401
from feedback.prototypes.models import PrototypeReview
from feedback.questionnaires import admin as _questionnaires_admin  # noqa: F401
from feedback.questionnaires.models import Questionnaire, QuestionnaireReview


@hooks.register(consultation_hooks.PARTICIPANTS)
def feedback_participants(consultation_ids):
    """(consultation id, member id) of everyone who sent a questionnaire or prototype review."""
    return (
        QuestionnaireReview.objects.filter(
            questionnaire__consultation_id__in=consultation_ids, submitted_at__isnull=False
        )
        .values_list("questionnaire__consultation_id", "member_id")
        .union(
            PrototypeReview.objects.filter(
                consultation_id__in=consultation_ids, submitted_at__isnull=False
            ).values_list("consultation_id", "member_id")
        )
    )


@hooks.register(consultation_hooks.PANELS)
def consultation_tasks(request, consultation, member):
    """The questionnaires and prototype review of a consultation, with the member's progress."""
    tasks = []
    questionnaires = Questionnaire.objects.filter(consultation=consultation).order_by("pk")
    if member is not None:  # with the member's review of each (one query for both)
        mine = QuestionnaireReview.objects.filter(member=member, questionnaire=OuterRef("pk"))
        questionnaires = questionnaires.annotate(
            started=Exists(mine), sent=Exists(mine.filter(submitted_at__isnull=False))
        )
    for q in questionnaires:
        if not getattr(q, "started", False):
            status = _("Not started")
        elif q.sent:
            status = _("Sent – you can still change it")
        else:
            status = _("Started – carry on where you stopped")
        kwargs = {"slug": consultation.slug, "pk": q.pk}
        tasks.append(
            {
                "title": _("Check the questions: %(t)s") % {"t": q.title},
                "url": reverse("feedback:questionnaire", kwargs=kwargs),
                "print_url": reverse("feedback:print", kwargs=kwargs),
                "status": status,
            }
        )
    if consultation.prototype_id:
        review = (
            PrototypeReview.objects.filter(
                member=member, prototype_id=consultation.prototype_id
            ).first()
            if member
            else None
        )
        if review is None:
            status = _("Not started")
        elif review.consultation_id != consultation.pk:
            # One review per member and prototype version, counted in the consultation it was
            # given in: this one says where, not "Sent" as if it were sent here.
            status = _("Already reviewed in another consultation")
        else:
            status = _("Sent") if review.submitted_at else _("Started")
        tasks.append(
            {
                "title": _("Review the app design: %(t)s") % {"t": consultation.prototype.title},
                "url": reverse("feedback:prototype_review", kwargs={"slug": consultation.slug}),
                "status": status,
            }
        )
    if not tasks:
        return ""
    return render_to_string(
        "feedback/includes/consultation_tasks.html", {"tasks": tasks}, request=request
    )


@hooks.register("load_demo")
def load_demo_feedback(context):
    from feedback import demo

    return demo.build(context)


@hooks.register(consultation_hooks.PARTS)
def consultation_part(consultation):
    """What feedback asks in a consultation (its questionnaires, the prototype review), what
    they still need before it opens, and their section of the manager's overview page."""
    part = consultation_hooks.Part()
    questionnaires = list(
        Questionnaire.objects.filter(consultation=consultation)
        .annotate(item_count=Count("items"))
        .order_by("pk")
    )
    for q in questionnaires:
        part.activities.append(
            consultation_hooks.Activity(
                ActivityType.QUESTIONNAIRE_REVIEW,
                ngettext(
                    "Check the %(n)d question of “%(t)s”",
                    "Check the %(n)d questions of “%(t)s”",
                    q.item_count,
                )
                % {"n": q.item_count, "t": q.title},
                ESTIMATED_MINUTES[ActivityType.QUESTIONNAIRE_REVIEW],
            )
        )
        part.checks.append(
            consultation_hooks.Check(
                q.item_count > 0,
                _("“%(t)s” has no questions yet.") % {"t": q},
                url=reverse("questionnaires:edit", args=[q.pk]),
                done=ngettext(
                    "“%(t)s” has %(n)d question.", "“%(t)s” has %(n)d questions.", q.item_count
                )
                % {"t": q, "n": q.item_count},
            )
        )
    prototype = consultation.prototype
    if prototype is not None:
        part.activities.append(
            consultation_hooks.Activity(
                ActivityType.PROTOTYPE_REVIEW,
                _("Review the app design “%(t)s”") % {"t": prototype.title},
                ESTIMATED_MINUTES[ActivityType.PROTOTYPE_REVIEW],
            )
        )
        part.checks.append(
            consultation_hooks.Check(
                prototype.live,
                _("The prototype page “%(t)s” is not published, so members cannot see it.")
                % {"t": prototype.title},
                url=reverse("wagtailadmin_pages:edit", args=[prototype.pk]),
                done=_("The prototype page “%(t)s” is published.") % {"t": prototype.title},
            )
        )
    outcome = consultation.outcome_pages.order_by("-live", "pk").first()
    index = OutcomeIndexPage.objects.first()
    part.admin_html = render_to_string(
        "feedback/includes/consultation_admin.html",
        {
            "consultation": consultation,
            "questionnaires": questionnaires,
            "prototype": prototype,
            "outcome": outcome,
            "outcome_index": index,
        },
    )
    return part


# A member's data page and download, and erasing their free text when they leave.
hooks.register(membership_hooks.MEMBER_DATA, personal_data.member_data)
hooks.register(membership_hooks.ERASE_FREE_TEXT, personal_data.erase_free_text)


@hooks.register(idea_hooks.OUTCOMES)
def idea_outcomes(feature_ids):
    """The changes on live "you said, we did" pages made because of these features (those that
    came from members' ideas), in one query."""
    links = (
        OutcomeChange.features.through.objects.filter(
            feature_id__in=feature_ids, outcomechange__page__live=True
        )
        .select_related("outcomechange__page")
        .order_by("outcomechange__page__first_published_at", "outcomechange__sort_order")
    )
    return [
        idea_hooks.Outcome(
            feature_id=link.feature_id,
            change=link.outcomechange.title,
            page_title=link.outcomechange.page.title,
            url=link.outcomechange.page.url or "",
        )
        for link in links
    ]
