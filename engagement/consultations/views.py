"""A consultation's page for members: vote, answer polls, see results as its visibility allows."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms import page_cache
from cms.placed_messages import saved
from engagement.common.dates import long_date
from engagement.common.forms import add_service_errors, parse_id
from engagement.consultations.forms import AccessNeedsForm, PollForm, VoteForm
from engagement.consultations.models import Consultation, Poll
from engagement.membership import selectors as membership_selectors

from . import hooks, rules, selectors, services


def consultation_or_404(request, slug) -> Consultation:
    """The consultation at this address; a draft only for those who manage consultations (to
    check it before it opens): to everyone else it does not exist yet."""
    consultations = Consultation.objects.select_related("prototype")
    if not request.user.has_perm(rules.MANAGE):
        consultations = consultations.released()
    return get_object_or_404(consultations, slug=slug)


def _features(consultation):
    return selectors.consultation_parts(consultation).features


def refusal(request, consultation, *, answering: bool):
    """The page saying why this person may not go on, or None when they may. 403 for someone it
    is not for: to open it, managers may always; to answer, only the members it is for. 400 for
    one of those members when it does not take answers now (not open yet, or closed). The
    reason is rules.take_part()'s, word for word, wherever it is shown."""
    decision = rules.decision_for(request.user, consultation)
    if answering:
        if not decision.in_audience:
            status = 403
        elif not decision.may_answer:
            status = 400
        else:
            return None
    elif request.user.has_perm(rules.TAKE_PART, consultation):
        return None
    else:
        status = 403
    return refused_page(request, consultation, decision.reason, status=status)


def refused_page(request, consultation, message: str, *, status: int):
    """The consultation's title and, in place of its content, why the person cannot go on."""
    return render(
        request,
        "consultations/consultation_denied.html",
        {"consultation": consultation, "message": message},
        status=status,
    )


def _consultation_page(
    request,
    consultation,
    *,
    vote_form=None,
    poll_forms=None,
    access_form=None,
    status=200,
    csrf_token=None,
):
    member = membership_selectors.member_for(request.user)
    decision = rules.decision_for(request.user, consultation)
    invitation = (
        consultation.invitations.filter(member=member).first() if decision.in_audience else None
    )
    features = _features(consultation)
    budget = consultation.budget(len(features))
    votes_now = selectors.my_votes(member, consultation) if member else {}
    if vote_form is None:
        initial = selectors.initial_votes(member, consultation, mine=votes_now) if member else {}
        vote_form = VoteForm(
            initial=initial, consultation=consultation, features=features, budget=budget
        )
    polls = selectors.consultation_parts(consultation).polls
    answers = selectors.my_poll_answers(member, consultation) if member else {}
    forms_by_poll = poll_forms or {}
    poll_blocks = []
    for poll in polls:
        form = forms_by_poll.get(poll.pk)
        if form is None:
            mine = answers.get(poll.pk)
            initial = {}
            if mine:
                if poll.kind == Poll.Kind.SINGLE:
                    initial["choice"] = (
                        str(next(iter(mine["choices"]))) if mine["choices"] else "other"
                    )
                else:
                    initial["choice"] = [str(c) for c in mine["choices"]]
                initial["other"] = mine["other"]
            form = PollForm(initial=initial, poll=poll)
        poll_blocks.append({"poll": poll, "form": form, "answered": poll.pk in answers})
    # Delphi round 2 and later: under each feature, the round before's 1–9 scores by
    # stakeholder group (small groups pooled) and the member's own score then.
    before, mine_before = {}, {}
    if (
        consultation.voting_method == Consultation.Method.DELPHI
        and consultation.delphi_round > 1
        and member
    ):
        previous = selectors.consultation_results(
            consultation, vote_round=consultation.delphi_round - 1, protect=True
        )
        before = {row["feature"].pk: {**row, "results": previous} for row in previous["rows"]}
        mine_before = selectors.my_votes(
            member, consultation, vote_round=consultation.delphi_round - 1
        )
    spent = sum(v or 0 for v in votes_now.values())
    screens = []
    if consultation.prototype_id and consultation.prototype.live:
        screens = selectors.consultation_parts(consultation).screens
    context = {
        "consultation": consultation,
        "member": member,
        # Sections from the app above (feedback's questionnaires and prototype review).
        "panels": hooks.panels(request, consultation, member),
        "vote_form": vote_form,
        "features_and_fields": [
            (feature, field, before.get(feature.pk), mine_before.get(feature.pk))
            for feature, field in vote_form.feature_fields()
        ],
        "previous_round": consultation.delphi_round - 1,
        "budget": budget,
        "spent": spent,
        "poll_blocks": poll_blocks,
        "screens": screens,
        "decision": decision,
        "can_vote": decision.may_vote,
        "invitation": invitation,
        "access_form": access_form
        or (
            AccessNeedsForm(initial={"access_needs": invitation.access_needs})
            if invitation
            else None
        ),
        "can_see_results": request.user.has_perm(rules.SEE_RESULTS, consultation),
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, "consultations/consultation.html", context, status=status)


@login_required
def consultation_detail(request, slug):
    def render_page(csrf_token):
        consultation = consultation_or_404(request, slug)
        if refused := refusal(request, consultation, answering=False):
            return refused
        page_cache.changes_at(request, consultation.next_change())
        return _consultation_page(request, consultation, csrf_token=csrf_token)

    # Kept for this person until anything is written, or it opens or closes (cms/page_cache.py).
    return page_cache.personal_page(request, render_page)


@login_required
@require_http_methods(["POST"])
def consultation_vote(request, slug):
    consultation = consultation_or_404(request, slug)
    if refused := refusal(request, consultation, answering=False):
        return refused
    member = membership_selectors.member_for(request.user)
    features = _features(consultation)
    form = VoteForm(
        request.POST,
        consultation=consultation,
        features=features,
        budget=consultation.budget(len(features)),
    )
    decision = rules.decision_for(request.user, consultation)
    if not decision.may_vote:
        form.is_valid()
        form.add_error(None, decision.reason or decision.vote_reason)
    elif form.is_valid():
        try:
            services.cast_votes(member=member, consultation=consultation, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            fragment = saved(
                request,
                _("Your votes are saved. You can change them until %(date)s.")
                % {"date": long_date(consultation.closes_at)},
                place="vote",
            )
            return redirect(consultation.get_absolute_url() + fragment)
    return _consultation_page(request, consultation, vote_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def consultation_poll(request, slug, poll_id):
    consultation = consultation_or_404(request, slug)
    if refused := refusal(request, consultation, answering=False):
        return refused
    poll = get_object_or_404(
        Poll.objects.prefetch_related("choices"), pk=poll_id, consultation=consultation
    )
    member = membership_selectors.member_for(request.user)
    form = PollForm(request.POST, poll=poll)
    decision = rules.decision_for(request.user, consultation)
    if not decision.may_answer:
        form.is_valid()
        form.add_error(None, decision.reason)
    elif form.is_valid():
        choice_ids, other = form.answer()
        try:
            services.answer_poll(member=member, poll=poll, choice_ids=choice_ids, other_text=other)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            fragment = saved(request, _("Your answer is saved."), place=f"poll-{poll.pk}")
            return redirect(consultation.get_absolute_url() + fragment)
    return _consultation_page(request, consultation, poll_forms={poll.pk: form}, status=400)


@login_required
def consultation_results(request, slug):
    """The results, as the consultation's visibility allows: for someone it is for whose
    results are not out yet, a normal page (200) saying when they will be; 403 only for
    someone who may not see them at all. Small stakeholder groups are pooled for members."""
    consultation = consultation_or_404(request, slug)
    if not request.user.has_perm(rules.SEE_RESULTS, consultation):
        if not request.user.has_perm(rules.TAKE_PART, consultation):
            return refusal(request, consultation, answering=False)
        if consultation.results_visibility == Consultation.Visibility.AFTER_CLOSE:
            message = _("Results will be shown here after the consultation closes on %(date)s.") % {
                "date": long_date(consultation.closes_at)
            }
        else:
            message = _(
                "The results of this consultation are not shared on the website. The team "
                "will tell you what they found."
            )
        return refused_page(request, consultation, message, status=200)
    equal = request.GET.get("weights") == "equal"
    results = selectors.consultation_results(
        consultation,
        equal_weights=equal,
        vote_round=chosen_round(request, consultation),
        protect=True,
    )
    return render(
        request,
        "consultations/consultation_results.html",
        {
            **results_context(results),
            "attrition": (
                selectors.delphi_attrition(
                    consultation, protect=True, features=len(results["rows"])
                )
                if results["delphi"]
                else None
            ),
            "polls": selectors.poll_results(consultation),
        },
    )


def chosen_round(request, consultation) -> int | None:
    """?round=N: a Delphi round already opened; None (the current round) for anything else."""
    if consultation.voting_method != Consultation.Method.DELPHI:
        return None
    value = parse_id(request.GET.get("round"))
    if value is None or not 1 <= value <= consultation.delphi_round:
        return None
    return value


def results_context(results: dict) -> dict:
    """Chart data for a consultation's results (public page and admin alike): one bar per
    feature, drawn in HTML so its words stay the page's size on a phone."""
    consultation = results["consultation"]
    if results["delphi"]:
        value = "groups_mean_high_pct" if results["equal_weights"] else "high_pct"
        title = (
            _(
                "Average of the groups' percentages scoring each feature 7 to 9, each group "
                "weighted the same"
            )
            if results["equal_weights"]
            else _("Percentage of people who scored each feature 7 to 9 (critical)")
        )
        bars = bar_rows([(r["feature"].title, r[value]) for r in results["rows"]], percent=True)
    else:
        if results["equal_weights"]:
            title = _(
                "Average per person in each stakeholder group, then the groups averaged, each "
                "group weighted the same"
            )
        elif consultation.voting_method == Consultation.Method.POINTS:
            title = _("Points given to each feature, added up")
        else:
            title = _("Number of people supporting each feature")
        bars = bar_rows([(r["feature"].title, r["score"]) for r in results["rows"]])
    rounds = list(range(1, consultation.delphi_round + 1)) if results["delphi"] else []
    return {**results, "chart": {"title": title, "bars": bars}, "rounds": rounds}


def bar_rows(values: list[tuple[str, float]], *, percent: bool = False) -> list[dict]:
    """Bars for consultations/includes/bar_chart.html: label, the value as words, and its
    length out of 100 (the longest bar full length; percentages out of 100)."""
    peak = 100 if percent else max([v for _, v in values] + [0]) or 1
    return [
        {
            "label": label,
            "value": f"{value:.0f}%" if percent else f"{value:.2f}".rstrip("0").rstrip("."),
            "length": round(100 * value / peak, 1),
        }
        for label, value in values
    ]


@login_required
@require_http_methods(["POST"])
def consultation_access_needs(request, slug):
    """An invited member says what would make taking part easier (shown to the managers)."""
    consultation = consultation_or_404(request, slug)
    if refused := refusal(request, consultation, answering=False):
        return refused
    member = membership_selectors.member_for(request.user)
    form = AccessNeedsForm(request.POST)
    if form.is_valid() and member is not None:
        try:
            services.answer_invitation(
                member=member,
                consultation=consultation,
                access_needs=form.cleaned_data["access_needs"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            fragment = saved(
                request, _("Thank you. The team will see what you wrote."), place="access-needs"
            )
            return redirect(consultation.get_absolute_url() + fragment)
    return _consultation_page(request, consultation, access_form=form, status=400)
