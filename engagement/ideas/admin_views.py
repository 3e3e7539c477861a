"""The review page of one idea in the manager workspace: what the member wrote, and the three
decisions (accept into a consultation as a feature, join with a similar idea, decline with a
reason the member is emailed), each a form on the page that shows its errors beside its fields."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import EditView, InspectView

from engagement.common.forms import add_service_errors, parse_id
from engagement.ideas.forms import AcceptForm, DeclineForm, MergeForm
from engagement.ideas.models import Idea

from . import services

DECISIONS = {"accept": AcceptForm, "merge": MergeForm, "decline": DeclineForm}


class ReviewView(InspectView):
    template_name = "ideas/admin/review.html"
    page_title = gettext_lazy("Review")
    http_method_names = ["get", "post"]

    def get_object(self, queryset=None):
        pk = parse_id(self.pk)
        idea = (
            Idea.objects.select_related(
                "member", "consultation", "merged_into", "feature__consultation"
            )
            .filter(pk=pk)
            .first()
            if pk
            else None
        )
        if idea is None:
            raise Http404(_("There is no such idea."))
        return idea

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.fields = self.get_fields()  # Wagtail asks before the idea is read

    def get_fields(self):
        fields = ["title", "description", "kind", "consultation", "member", "created_at", "status"]
        if not hasattr(self, "object"):
            return fields
        if self.object.status != Idea.Status.NEW:
            fields += ["decided_at", "decided_by"]
        if self.object.status == Idea.Status.DECLINED:
            fields.append("decline_reason")
        if self.object.status == Idea.Status.MERGED:
            fields.append("merged_into")
        return fields

    def forms(self, decision: str | None = None, data=None) -> dict:
        idea = self.object
        made = {}
        for name, form_class in DECISIONS.items():
            kwargs = {"prefix": name}
            if name == "merge":
                kwargs["idea"] = idea
            if name == "accept":
                kwargs["initial"] = {
                    "consultation": idea.consultation_id,
                    "title": idea.title,
                    "description": idea.description,
                }
            made[name] = form_class(data if name == decision else None, **kwargs)
        return made

    def get_context_data(self, **kwargs):
        idea = self.object
        try:
            feature = idea.feature
        except Idea.feature.RelatedObjectDoesNotExist:
            feature = None
        return {
            **super().get_context_data(**kwargs),
            "idea": idea,
            "feature": feature,
            "can_review": self.user_has_permission("change") and idea.status == Idea.Status.NEW,
            "decision_forms": kwargs.get("decision_forms") or self.forms(),
            "joined": list(idea.merged_ideas.order_by("created_at")),
        }

    def post(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        decision = request.POST.get("decision")
        if decision not in DECISIONS:
            messages.error(request, _("Choose one of the decisions on the page."))
            return redirect(self.request.path)
        if self.object.status != Idea.Status.NEW:  # decided meanwhile (another tab)
            messages.error(
                request,
                _("This idea has been decided already: %(s)s.")
                % {"s": self.object.get_status_display()},
            )
            return redirect(self.request.path)
        forms = self.forms(decision, request.POST)
        form = forms[decision]
        if form.is_valid():
            try:
                message = self.decide(decision, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(reverse("ideas:index"))
        context = self.get_context_data(decision_forms=forms, open_decision=decision)
        return self.render_to_response(context, status=400)

    def decide(self, decision: str, data: dict) -> str:
        idea, user = self.object, self.request.user
        if decision == "accept":
            feature = services.accept_idea(
                idea=idea,
                consultation=data["consultation"],
                title=data["title"],
                description=data["description"],
                by=user,
            )
            return _("“%(i)s” is now the feature “%(f)s” in “%(c)s”.") % {
                "i": idea,
                "f": feature.title,
                "c": feature.consultation.title,
            }
        if decision == "merge":
            services.merge_idea(idea=idea, into=data["into"], by=user)
            return _("“%(i)s” is joined with “%(t)s”.") % {"i": idea, "t": data["into"]}
        emailed = services.decline_idea(idea=idea, reason=data["reason"], by=user)
        if emailed:
            return _("“%(i)s” is declined, and %(m)s is emailed the reason.") % {
                "i": idea,
                "m": idea.member,
            }
        return _(
            "“%(i)s” is declined. %(m)s asked not to be emailed: please tell them the reason "
            "(they can also read it on their page)."
        ) % {"i": idea, "m": idea.member}


class NoEditView(EditView):
    """Members' words are theirs: the edit link opens the review page instead."""

    def dispatch(self, request, *args, **kwargs):
        pk = parse_id(kwargs.get("pk"))
        if pk is None:
            raise Http404
        return redirect(reverse("ideas:inspect", args=[pk]))
