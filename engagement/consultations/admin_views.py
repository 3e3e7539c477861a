"""Manager workspace views for a consultation: results, anonymised votes, totals export,
invitations, reminders, Delphi rounds and assisted entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView

from engagement.common.exports import neutralise
from engagement.common.forms import add_service_errors, parse_id
from engagement.consultations.forms import InviteForm, VoteForm
from engagement.consultations.models import Consultation, Vote
from engagement.membership.models import Member, StakeholderGroup

from . import selectors, services


class ConsultationAdminMixin:
    """Shared lookup and permission check for per-consultation admin views."""

    permission = "engagement.change_consultation"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.consultation = get_object_or_404(Consultation, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class VotesReportView(ConsultationAdminMixin, ReportView):
    """Every vote, anonymised (a per-consultation pseudonym), with CSV/XLSX export."""

    permission = "engagement.view_vote"
    header_icon = "table"
    page_title = _("Anonymised votes")
    paginate_by = 100
    index_url_name = "engagement_admin:consultation_votes"
    index_results_url_name = "engagement_admin:consultation_votes"
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
        return reverse(self.index_url_name, args=[self.consultation.pk])

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

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {k: neutralise(v) for k, v in row_dict.items()})

    def to_row_dict(self, item):
        _decorate_vote(item, self.consultation)
        return super().to_row_dict(item)


def _decorate_vote(vote, consultation) -> None:
    vote.participant = selectors.anonymous_id(consultation.pk, vote.member_id)
    vote.stakeholder_group = str(StakeholderGroup(vote.member.stakeholder_group).label)
    vote.assisted_label = _("yes") if vote.assisted_by_id else _("no")


class TotalsExportView(ConsultationAdminMixin, SpreadsheetExportMixin, View):
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

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {k: neutralise(v) for k, v in row_dict.items()})


class ResultsView(ConsultationAdminMixin, TemplateView):
    permission = "engagement.view_consultation"
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
            "can_manage": self.request.user.has_perm("engagement.change_consultation"),
        }


def _back_to_results(consultation):
    return redirect("engagement_admin:consultation_results", pk=consultation.pk)


@require_POST
def consultation_invite(request, pk):
    if not request.user.has_perm("engagement.change_consultation"):
        raise PermissionDenied
    consultation = get_object_or_404(Consultation, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            count = services.invite_members(
                request=request, consultation=consultation, members=form.members()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(n)d member(s) invited.") % {"n": count})
    else:
        messages.error(
            request, " ".join(form.non_field_errors()) or _("Check the invitation form.")
        )
    return _back_to_results(consultation)


@require_POST
def consultation_remind(request, pk):
    if not request.user.has_perm("engagement.change_consultation"):
        raise PermissionDenied
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        count = services.send_reminders(request=request, consultation=consultation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)d reminder(s) sent.") % {"n": count})
    return _back_to_results(consultation)


@require_POST
def consultation_round_two(request, pk):
    if not request.user.has_perm("engagement.change_consultation"):
        raise PermissionDenied
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        services.open_delphi_round_two(consultation=consultation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Round 2 is open. Members now see the round 1 results."))
    return _back_to_results(consultation)


class AssistedEntryView(ConsultationAdminMixin, TemplateView):
    """A manager enters a member's votes and poll answers from a phone call or paper form."""

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
            return _back_to_results(self.consultation)
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
                return _back_to_results(self.consultation)
        return self.render_to_response(self.get_context_data(vote_form=form), status=400)
