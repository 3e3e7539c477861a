from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from feedback.outcomes import admin as _outcomes_admin  # noqa: F401  (its hooks)

from . import admin_views
from .models import PrototypeReview, Questionnaire, QuestionnaireReview


@hooks.register("consultation_participants")
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


@hooks.register("consultation_findings")
def feedback_findings(request, consultation):
    from . import selectors

    lines = []
    for q in Questionnaire.objects.filter(consultation=consultation):
        sent = q.reviews.filter(submitted_at__isnull=False).count()
        if sent:
            lines.append(
                ngettext(
                    "%(n)d person checked the questions of “%(t)s”.",
                    "%(n)d people checked the questions of “%(t)s”.",
                    sent,
                )
                % {"n": sent, "t": q}
            )
        decided = q.items.exclude(decision="").values_list("decision", flat=True)
        revised = sum(1 for d in decided if d == "revise")
        dropped = sum(1 for d in decided if d == "drop")
        if revised or dropped:
            lines.append(
                ngettext(
                    "Because of this, %(r)d question was reworded and %(d)d dropped.",
                    "Because of this, %(r)d questions were reworded and %(d)d dropped.",
                    revised,
                )
                % {"r": revised, "d": dropped}
            )
    if consultation.prototype_id:
        sus = selectors.sus_summary(consultation.prototype)
        if sus["n"]:
            ci = ""
            if sus["low"] is not None:
                ci = _(" (95%% confidence interval %(l).0f to %(h).0f)") % {
                    "l": sus["low"],
                    "h": sus["high"],
                }
            lines.append(
                ngettext(
                    "%(n)d person rated how easy the app is to use: %(m).0f out of 100%(ci)s; "
                    "the average for apps is %(b)d.",
                    "%(n)d people rated how easy the app is to use: %(m).0f out of 100%(ci)s; "
                    "the average for apps is %(b)d.",
                    sus["n"],
                )
                % {"n": sus["n"], "m": sus["mean"], "ci": ci, "b": sus["benchmark"]}
            )
    return lines


@hooks.register("consultation_panels")
def consultation_tasks(request, consultation, member):
    """The questionnaires and prototype review of a consultation, with the member's progress."""
    tasks = []
    questionnaires = list(Questionnaire.objects.filter(consultation=consultation).order_by("pk"))
    reviews = {}
    if member is not None:
        reviews = {
            r.questionnaire_id: r
            for r in QuestionnaireReview.objects.filter(
                member=member, questionnaire__in=questionnaires
            )
        }
    for q in questionnaires:
        review = reviews.get(q.pk)
        if review is None:
            status = _("Not started")
        elif review.submitted_at:
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


# --- Manager workspace ----------------------------------------------------------------------


def analysis_link(questionnaire) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("feedback_admin:questionnaire_analysis", args=[questionnaire.pk]),
        _("Analysis and item-tracking matrix"),
    )


class QuestionnaireViewSet(ModelViewSet):
    name = "questionnaires"
    model = Questionnaire
    icon = "form"
    menu_label = gettext_lazy("Questionnaires")
    menu_order = 195
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = [
        "__str__",
        "status",
        "consultation",
        Column("analysis", label=gettext_lazy("Feedback"), accessor=analysis_link),
    ]
    list_filter = ["status", "consultation"]
    search_fields = ["title"]
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("version"), FieldPanel("status")]),
        FieldPanel("consultation"),
        FieldPanel("recall_period"),
        FieldPanel("instructions"),
        FieldPanel("previous_version"),
        InlinePanel(
            "items",
            heading=gettext_lazy("Items"),
            label=gettext_lazy("Item"),
            panels=[
                FieldPanel("text"),
                FieldRowPanel([FieldPanel("response_type"), FieldPanel("help_text")]),
                FieldPanel("response_options"),
            ],
        ),
    ]


@hooks.register("register_admin_viewset")
def register_questionnaires():
    return QuestionnaireViewSet()


@hooks.register("register_admin_urls")
def register_feedback_admin_urls():
    urls = [
        path(
            "questionnaires/<int:pk>/analysis/",
            admin_views.QuestionnaireAnalysisView.as_view(),
            name="questionnaire_analysis",
        ),
        path(
            "questionnaires/<int:pk>/matrix/",
            admin_views.QuestionnaireMatrixView.as_view(),
            name="questionnaire_matrix",
        ),
        path(
            "questionnaires/<int:pk>/next-version/", admin_views.next_version, name="next_version"
        ),
        path(
            "questionnaires/<int:pk>/responses/",
            admin_views.ResponsesExportView.as_view(),
            name="responses_export",
        ),
        path(
            "questionnaires/<int:pk>/matrix-export/",
            admin_views.MatrixExportView.as_view(),
            name="matrix_export",
        ),
        path("prototypes/", admin_views.PrototypeListView.as_view(), name="prototype_list"),
        path(
            "prototypes/<int:pk>/",
            admin_views.PrototypeAnalysisView.as_view(),
            name="prototype_analysis",
        ),
    ]
    return [path("feedback/", include((urls, "feedback_admin")))]


@hooks.register("register_admin_menu_item")
def prototype_reviews_menu_item():
    return MenuItem(
        gettext_lazy("Prototype reviews"),
        reverse("feedback_admin:prototype_list"),
        icon_name="view",
        order=196,
    )


@hooks.register("load_demo")
def load_demo_feedback(context):
    from . import demo

    return demo.build(context)
