"""Manager workspace views for a consultation: results, anonymised votes, totals export,
invitations, reminders, Delphi rounds and assisted entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView

from cms.site_url import absolute
from engagement.common.admin import ObjectActionView, ObjectPageView
from engagement.common.dates import long_date
from engagement.common.exports import FormulaSafeExportMixin
from engagement.common.forms import add_service_errors, parse_id
from engagement.common.tasks import render_templated
from engagement.consultations.forms import (
    InviteForm,
    ReminderScheduleForm,
    ReopenForm,
    VoteForm,
)
from engagement.consultations.models import Consultation, Vote
from engagement.membership.models import Member, StakeholderGroup

from . import hooks, selectors, services


class ConsultationPageView(ObjectPageView):
    """A page about one consultation (the URL's pk), for those who may view consultations."""

    model = Consultation

    @property
    def consultation(self) -> Consultation:
        return self.object

    def overview_url(self) -> str:
        return reverse("consultations:inspect", args=[self.consultation.pk])


class VotesReportView(FormulaSafeExportMixin, ReportView):
    """Every vote, anonymised (a per-consultation pseudonym), with CSV/XLSX export."""

    permission_required = "view"
    header_icon = "table"
    page_title = _("Anonymised votes")
    paginate_by = 100

    @cached_property
    def consultation(self) -> Consultation:
        return get_object_or_404(Consultation, pk=self.kwargs["pk"])

    list_export = [
        "participant",
        "stakeholder_group",
        "feature.title",
        "kind",
        "value",
        "round",
        "assisted_label",
        "updated_at",
    ]
    export_headings = {
        "participant": _("Participant (pseudonym)"),
        "stakeholder_group": _("Stakeholder group"),
        "feature.title": _("Feature"),
        "kind": _("Kind"),
        "value": _("Value"),
        "round": _("Round"),
        "assisted_label": _("Entered by a manager"),
        "updated_at": _("Last changed"),
    }
    columns = [
        Column("participant", label=_("Participant")),
        Column("stakeholder_group", label=_("Stakeholder group")),
        Column("feature", label=_("Feature"), accessor="feature.title"),
        Column("value", label=_("Value")),
        Column("round", label=_("Round")),
        Column("assisted_label", label=_("Assisted")),
        Column("updated_at", label=_("Last changed")),
    ]

    export_sheet = gettext_lazy("Votes")
    export_notes = {
        "participant": gettext_lazy(
            "A pseudonym per person and consultation: never their name, email or member number."
        ),
        "stakeholder_group": gettext_lazy(
            "From the person's role: patients; carers; the public (including “other”); "
            "professionals (clinicians, researchers, industry, charities)."
        ),
        "value": gettext_lazy(
            "1 for a support; the points given; or the 1–9 rating (Delphi), 0 meaning "
            "“unable to score”."
        ),
        "assisted_label": gettext_lazy("Yes when a PPIE manager entered the vote for them."),
    }

    def get_export_title(self) -> str:
        return _("Anonymised votes: %(t)s") % {"t": self.consultation.title}

    def get_filename(self):
        return f"votes-{self.consultation.slug}"

    def get_index_url(self):
        return reverse("consultations:votes", args=[self.consultation.pk])

    def get_index_results_url(self):
        return self.get_index_url()

    @property
    def title(self):
        return _("Anonymised votes: %(t)s") % {"t": self.consultation.title}

    def get_queryset(self):
        return (
            Vote.objects.filter(consultation=self.consultation)
            .select_related("feature", "member")
            .order_by("member_id", "feature__sort_order", "round")
        )

    def decorate_paginated_queryset(self, object_list):
        for vote in object_list:
            _decorate_vote(vote, self.consultation)
        return object_list

    def to_row_dict(self, item):
        _decorate_vote(item, self.consultation)
        return super().to_row_dict(item)


def _decorate_vote(vote, consultation) -> None:
    vote.participant = selectors.anonymous_id(consultation.pk, vote.member_id)
    vote.stakeholder_group = str(StakeholderGroup(vote.member.stakeholder_group).label)
    vote.assisted_label = _("yes") if vote.assisted_by_id else _("no")


class TotalsExportView(FormulaSafeExportMixin, SpreadsheetExportMixin, ConsultationPageView):
    """Per-feature totals (and per group) as CSV or XLSX."""

    def get(self, request, pk):
        fmt = request.GET.get("export")
        if fmt not in self.FORMATS:
            raise Http404
        from engagement.consultations.views import chosen_round

        equal = request.GET.get("weights") == "equal"
        results = selectors.consultation_results(
            self.consultation,
            equal_weights=equal,
            vote_round=chosen_round(request, self.consultation),
        )
        rows = []
        for row in results["rows"]:
            out = {
                "rank": row["rank"],
                "feature": row["feature"].title,
                "voters": row["voters"],
                "total": row["total"],
                "weighted": round(row["weighted"], 4),
            }
            if results["delphi"]:
                out.update(
                    round=results["round"],
                    unable=row["unable"],
                    median=row["median"],
                    high_pct=round(row["high_pct"], 1),
                    low_pct=round(row["low_pct"], 1),
                    consensus=str(row["consensus_label"]),
                    groups_mean_high_pct=round(row["groups_mean_high_pct"], 1),
                )
            for group in row["groups"]:
                out[f"{group['key']}_total"] = group["total"]
                out[f"{group['key']}_voters"] = group["voters"]
                if results["delphi"]:
                    out[f"{group['key']}_unable"] = group["unable"]
                    out[f"{group['key']}_high_pct"] = round(group["high_pct"], 1)
                    out[f"{group['key']}_low_pct"] = round(group["low_pct"], 1)
                    out[f"{group['key']}_consensus"] = str(group["consensus_label"])
            rows.append(out)
        self.list_export = list(rows[0].keys()) if rows else ["rank", "feature"]
        self.export_headings = {
            key: self.HEADINGS.get(key, key.replace("_", " ").capitalize())
            for key in self.list_export
        }
        self.export_filename = f"totals-{self.consultation.slug}"
        self.equal = equal
        return self.as_spreadsheet(rows, fmt)

    HEADINGS = {
        "weighted": gettext_lazy("Per person, each group counted equally"),
        "groups_mean_high_pct": gettext_lazy("Average of the groups' % scoring 7-9"),
    }
    export_sheet = gettext_lazy("Totals")
    export_notes = {
        "rank": gettext_lazy(
            "1 for the highest score; features with the same score share a rank; empty when "
            "nobody has voted."
        ),
        "total": gettext_lazy("Supports or points added up (Delphi: the ratings added up)."),
        "voters": gettext_lazy("How many people voted on the feature."),
        "weighted": gettext_lazy(
            "The average per person within each stakeholder group, then the mean of those "
            "averages over the groups that voted: each group counts the same, whatever its size."
        ),
        "round": gettext_lazy("The Delphi round these figures are from."),
        "unable": gettext_lazy(
            "How many chose “unable to score”: not counted in the voters or the percentages."
        ),
        "median": gettext_lazy("The middle rating (1–9) of those who rated it."),
        "high_pct": gettext_lazy("The share of those who scored it who gave 7 to 9 (critical)."),
        "low_pct": gettext_lazy(
            "The share of those who scored it who gave 1 to 3 (not important)."
        ),
        "consensus": gettext_lazy(
            "The consultation's rule, fixed before round 1 (COMET default: agreed critical when "
            "at least 70% scored 7–9 and under 15% scored 1–3; agreed not important the "
            "reverse; otherwise not agreed), for everyone together; *_consensus for each group."
        ),
        "groups_mean_high_pct": gettext_lazy(
            "Average of the groups' percentages scoring 7–9, each group weighted the same: "
            "not part of the consensus rule."
        ),
    }

    def get_export_title(self) -> str:
        return _("Totals per feature: %(t)s") % {"t": self.consultation.title}

    def get_export_filters(self) -> list[str]:
        if self.equal:
            return [_("Ranked with each stakeholder group counted equally")]
        return [_("Ranked with each person counted the same")]


class AttritionExportView(FormulaSafeExportMixin, SpreadsheetExportMixin, ConsultationPageView):
    """Delphi attrition, per round and stakeholder group, as CSV or XLSX (managers: every
    group, exact counts)."""

    def get(self, request, pk):
        fmt = request.GET.get("export")
        if fmt not in self.FORMATS:
            raise Http404
        rows = [
            {
                "round": r["round"],
                "group": str(g["label"]),
                "took_part": g["took_part"],
                "finished": g["finished"],
                "asked": g["asked"],
                "continued": g["continued"],
                "dropped": g["dropped"],
            }
            for r in selectors.delphi_attrition(self.consultation)
            for g in r["groups"]
        ]
        self.list_export = [
            "round",
            "group",
            "took_part",
            "finished",
            "asked",
            "continued",
            "dropped",
        ]
        self.export_headings = {
            "round": _("Round"),
            "group": _("Stakeholder group"),
            "took_part": _("Took part"),
            "finished": _("Answered every feature"),
            "asked": _("Answered every feature in the round before"),
            "continued": _("Of those, answered every feature in this round"),
            "dropped": _("Of those, did not (drop-out)"),
        }
        self.export_filename = f"attrition-{self.consultation.slug}"
        return self.as_spreadsheet(rows, fmt)

    export_sheet = gettext_lazy("Attrition")
    export_notes = {
        "took_part": gettext_lazy("Answered at least one feature in the round."),
        "finished": gettext_lazy(
            "Gave a score, or chose “unable to score”, for every feature in the round."
        ),
        "dropped": gettext_lazy(
            "Answered every feature in the round before but not in this one (yet, while the "
            "round is open). Empty for round 1."
        ),
    }

    def get_export_title(self) -> str:
        return _("Delphi attrition per round and group: %(t)s") % {"t": self.consultation.title}


class ResultsView(ConsultationPageView):
    """The results as members see them (with every group), polls, and the downloads."""

    template_name = "consultations/admin/consultation_results.html"

    def get_context_data(self, **kwargs):
        from engagement.consultations.views import chosen_round, results_context

        equal = self.request.GET.get("weights") == "equal"
        results = selectors.consultation_results(
            self.consultation,
            equal_weights=equal,
            vote_round=chosen_round(self.request, self.consultation),
        )
        return {
            **super().get_context_data(**kwargs),
            **results_context(results),
            "attrition": (
                selectors.delphi_attrition(self.consultation, features=len(results["rows"]))
                if results["delphi"]
                else None
            ),
            "polls": selectors.poll_results(self.consultation),
            "rate": selectors.response_rate(self.consultation),
            "consultation": self.consultation,
            "can_manage": self.user_can("change"),
        }


class OverviewView(InspectView):
    """The one place of a consultation: its status and the actions its status allows, the
    checklist before it opens, what members are asked, invitations and reminders, results and
    exports, and its outcome page (feedback's part, through the consultation_parts hook)."""

    template_name = "consultations/admin/overview.html"
    page_title = gettext_lazy("Overview")

    def get_context_data(self, **kwargs):
        consultation = self.object
        parts = hooks.parts(consultation)
        checks = selectors.readiness(consultation)
        return {
            **super().get_context_data(**kwargs),
            "consultation": consultation,
            "status": consultation.status(),
            "Status": Consultation.Status,
            "opens_later": consultation.opens_at > timezone.now(),
            "checks": checks,
            "blocked": any(c.blocking and not c.ok for c in checks),
            "features": (features := list(consultation.features.all())),
            "budget": consultation.budget(len(features)),
            "polls": list(consultation.polls.prefetch_related("choices")),
            "parts_html": [part.admin_html for part in parts if part.admin_html],
            "invitations": selectors.invitations_overview(consultation),
            "rate": selectors.response_rate(consultation),
            "invite_form": InviteForm(consultation=consultation),
            "reminder_form": ReminderScheduleForm(
                initial={"days_before": consultation.reminder_days_before}
            ),
            "can_manage": self.user_has_permission("change"),
        }


class ConsultationActionView(ObjectActionView):
    """A button of the overview page: does one thing (after a confirmation page where
    `template_name` is set), then back to the overview."""

    model = Consultation

    def get_success_url(self) -> str:
        return reverse("consultations:inspect", args=[self.object.pk])

    def get(self, request, *args, **kwargs):
        if not self.template_name:
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)


class ReleaseView(ConsultationActionView):
    """Open a draft now, or schedule it for its opening time (services.release)."""

    def act(self) -> str:
        consultation = services.release(consultation=self.object)
        if consultation.status() == Consultation.Status.SCHEDULED:
            return _("Scheduled: members can take part from %(d)s.") % {
                "d": long_date(consultation.opens_at)
            }
        return _("It is open: members can take part until %(d)s.") % {
            "d": long_date(consultation.closes_at)
        }


class OpenNowView(ConsultationActionView):
    def act(self) -> str:
        consultation = services.open_now(consultation=self.object)
        return _("It is open: members can take part until %(d)s.") % {
            "d": long_date(consultation.closes_at)
        }


class UnscheduleView(ConsultationActionView):
    def act(self) -> str:
        services.unschedule(consultation=self.object)
        return _("It is a draft again: members cannot see it.")


class CloseView(ConsultationActionView):
    """Close early, after a confirmation page."""

    http_method_names = ["get", "post"]
    template_name = "consultations/admin/confirm_close.html"
    page_title = gettext_lazy("Close early")

    def act(self) -> str:
        services.close_now(consultation=self.object)
        return _("It is closed. Every answer given is kept.")


class ReopenView(ConsultationActionView):
    """Reopen until a new closing date, after a page asking for it."""

    http_method_names = ["get", "post"]
    template_name = "consultations/admin/confirm_reopen.html"
    page_title = gettext_lazy("Reopen")

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ReopenForm()
        return {**super().get_context_data(**kwargs), "form": form, "consultation": self.object}

    def post(self, request, *args, **kwargs):
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.reopen(consultation=self.object, closes_at=form.cleaned_data["closes_at"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("It is open again until %(d)s.")
                    % {"d": long_date(form.cleaned_data["closes_at"])},
                )
                return redirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InviteView(ConsultationActionView):
    """Step 1 (preview): who would be invited, how each is contacted, and the email as it will
    read; step 2 (send, from the preview page): the invitations and emails."""

    template_name = "consultations/admin/invite_preview.html"
    page_title = gettext_lazy("Invite members")

    def post(self, request, *args, **kwargs):
        consultation = self.object
        form = InviteForm(request.POST, consultation=consultation)
        if not form.is_valid():
            messages.error(
                request, " ".join(form.non_field_errors()) or _("Check the invitation form.")
            )
            return redirect(self.get_success_url())
        try:
            services.check_can_invite(consultation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.get_success_url())
        members = list(form.members())
        if "send" in request.POST:
            try:
                invitations = services.invite_members(consultation=consultation, members=members)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                emailed = sum(1 for m in members if services.wants_email(m))
                messages.success(
                    request,
                    ngettext(
                        "%(n)d member invited: %(e)d by email, %(c)d to call or text.",
                        "%(n)d members invited: %(e)d by email, %(c)d to call or text.",
                        len(invitations),
                    )
                    % {"n": len(invitations), "e": emailed, "c": len(invitations) - emailed},
                )
            return redirect(self.get_success_url())
        sample = next((m for m in members if services.wants_email(m)), None)
        subject = body = ""
        if sample is not None:
            subject, body = render_templated(
                "consultations/email/invitation",
                {
                    "member": sample,
                    "consultation": consultation,
                    "url": absolute(consultation.get_absolute_url()),
                    **selectors.invitation_context(consultation),
                },
            )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                consultation=consultation,
                by_email=[m for m in members if services.wants_email(m)],
                to_call=[m for m in members if not services.wants_email(m)],
                total=len(members),
                sample=sample,
                subject=subject,
                body=body,
            )
        )


class RemindView(ConsultationActionView):
    def act(self) -> str:
        reminded = services.send_reminders(consultation=self.object)
        if not reminded:
            return _("Nobody was emailed: everyone invited has answered or been reminded once.")
        return ngettext("%(n)d reminder emailed.", "%(n)d reminders emailed.", len(reminded)) % {
            "n": len(reminded)
        }


class ScheduleRemindersView(ConsultationActionView):
    def post(self, request, *args, **kwargs):
        form = ReminderScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(self.get_success_url())
        days = form.cleaned_data["days_before"]
        try:
            consultation = services.schedule_reminders(consultation=self.object, days_before=days)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if days is None:
                messages.success(request, _("No reminder is scheduled."))
            else:
                messages.success(
                    request,
                    _("Reminders will go to those who have not answered on %(d)s.")
                    % {"d": long_date(consultation.reminder_due_at())},
                )
        return redirect(self.get_success_url())


class NextRoundView(ConsultationActionView):
    """Open the next Delphi round (services.open_next_delphi_round)."""

    def act(self) -> str:
        consultation = services.open_next_delphi_round(consultation=self.object)
        r = consultation.delphi_round
        if consultation.delphi_open_to_all_rounds:
            who = _("Every member it is for can take part.")
        else:
            who = _("Only those who answered every feature in round %(p)d can take part.") % {
                "p": r - 1
            }
        return _(
            "Round %(r)d is open. Members now see their own round %(p)d scores beside the "
            "round %(p)d scores of each group. %(who)s"
        ) % {"r": r, "p": r - 1, "who": who}


class AssistedEntryView(ConsultationPageView):
    """A manager enters a member's votes and poll answers from a phone call or paper form."""

    permission_required = "change"

    template_name = "consultations/admin/assisted_entry.html"

    def get_member(self):
        member_id = parse_id(self.request.GET.get("member") or self.request.POST.get("member"))
        if member_id is None:
            return None
        return Member.objects.filter(pk=member_id, status=Member.Status.ACTIVE).first()

    def get_context_data(self, vote_form=None, **kwargs):
        member = self.get_member()
        features = list(self.consultation.features.all())
        budget = self.consultation.budget(len(features))
        if vote_form is None and member is not None:
            vote_form = VoteForm(
                initial=selectors.initial_votes(member, self.consultation),
                consultation=self.consultation,
                features=features,
                budget=budget,
            )
        return {
            **super().get_context_data(**kwargs),
            "consultation": self.consultation,
            "member": member,
            "members": Member.objects.filter(status=Member.Status.ACTIVE).order_by("display_name")[
                :500
            ],
            "vote_form": vote_form,
            "budget": budget,
        }

    def post(self, request, pk):
        member = self.get_member()
        if member is None:
            messages.error(request, _("Choose an active member first."))
            return redirect(self.overview_url())
        features = list(self.consultation.features.all())
        form = VoteForm(
            request.POST,
            consultation=self.consultation,
            features=features,
            budget=self.consultation.budget(len(features)),
        )
        if form.is_valid():
            try:
                services.cast_votes(
                    member=member,
                    consultation=self.consultation,
                    values=form.values(),
                    assisted_by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Votes saved for %(m)s, marked as assisted.") % {"m": member}
                )
                return redirect(self.overview_url())
        return self.render_to_response(self.get_context_data(vote_form=form), status=400)
