"""Manager workspace views for a consultation: results, anonymised votes, totals export,
invitations, reminders, Delphi rounds and assisted entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView

from engagement.common.admin import ObjectActionView, ObjectPageView
from engagement.common.exports import FormulaSafeExportMixin
from engagement.common.forms import add_service_errors, parse_id
from engagement.consultations.forms import InviteForm, VoteForm
from engagement.consultations.models import Consultation, Vote
from engagement.membership.models import Member, StakeholderGroup

from . import selectors, services


class ConsultationPageView(ObjectPageView):
    """A page about one consultation (the URL's pk), for those who may view consultations."""

    model = Consultation

    @property
    def consultation(self) -> Consultation:
        return self.object

    def results_url(self) -> str:
        return reverse("consultations:results", args=[self.consultation.pk])


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
        equal = request.GET.get("weights") == "equal"
        results = selectors.consultation_results(self.consultation, equal_weights=equal)
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
                    median=row["median"],
                    high_pct=round(row["high_pct"], 1),
                    low_pct=round(row["low_pct"], 1),
                    consensus=str(row["consensus_label"]),
                )
            for group in row["groups"]:
                out[f"{group['key']}_total"] = group["total"]
                out[f"{group['key']}_voters"] = group["voters"]
            rows.append(out)
        self.list_export = list(rows[0].keys()) if rows else ["rank", "feature"]
        self.export_headings = {key: key.replace("_", " ").capitalize() for key in self.list_export}
        self.export_filename = f"totals-{self.consultation.slug}"
        return self.as_spreadsheet(rows, fmt)


class ResultsView(ConsultationPageView):
    template_name = "consultations/admin/consultation_results.html"

    def get_context_data(self, **kwargs):
        from engagement.consultations.views import results_context

        equal = self.request.GET.get("weights") == "equal"
        results = selectors.consultation_results(self.consultation, equal_weights=equal)
        return {
            **super().get_context_data(**kwargs),
            **results_context(results),
            "polls": selectors.poll_results(self.consultation),
            "rate": selectors.response_rate(self.consultation),
            "invite_form": InviteForm(),
            "consultation": self.consultation,
            "can_manage": self.user_can("change"),
        }


class ConsultationActionView(ObjectActionView):
    """A button on the results page: does one thing, then back to the results."""

    model = Consultation

    def get_success_url(self) -> str:
        return reverse("consultations:results", args=[self.object.pk])


class InviteView(ConsultationActionView):
    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, " ".join(form.non_field_errors()) or _("Check the invitation form.")
            )
            return redirect(self.get_success_url())
        self.form = form
        return super().post(request, *args, **kwargs)

    def act(self) -> str:
        count = services.invite_members(
            request=self.request, consultation=self.object, members=self.form.members()
        )
        return _("%(n)d member(s) invited.") % {"n": count}


class RemindView(ConsultationActionView):
    def act(self) -> str:
        count = services.send_reminders(request=self.request, consultation=self.object)
        return _("%(n)d reminder(s) sent.") % {"n": count}


class RoundTwoView(ConsultationActionView):
    def act(self) -> str:
        services.open_delphi_round_two(consultation=self.object)
        return _("Round 2 is open. Members now see the round 1 results.")


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
            return redirect(self.results_url())
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
                return redirect(self.results_url())
        return self.render_to_response(self.get_context_data(vote_form=form), status=400)
