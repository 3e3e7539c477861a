"""Reads about ideas: a member's own ideas with what became of each (for their ideas page, /me/
and their data page), in a constant number of queries however many they have."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.ideas import hooks
from engagement.ideas.models import Idea
from engagement.membership.hooks import Entry, Field, Section, iso


@dataclass
class IdeaState:
    """One of a member's ideas and what became of it, in words for them. Another member's words
    are never shown: an idea theirs was joined with is described by what the team did with it."""

    idea: Idea
    status: str  # Idea.Status of the idea, or of the one it was joined with
    label: str  # what the status list shows, e.g. "Taken forward"
    feature: object = None  # the feature it became (theirs, or the one it was joined with)
    consultation: object = None  # the consultation of that feature
    outcomes: list = field(default_factory=list)  # hooks.Outcome: changes it led to

    @property
    def changed(self) -> bool:
        return bool(self.outcomes)


def _feature_of(idea: Idea):
    try:
        return idea.feature
    except Idea.feature.RelatedObjectDoesNotExist:
        return None


def member_ideas(member, *, limit: int | None = None) -> list[IdeaState]:
    """The member's ideas, newest first, each with its state (2 queries: the ideas with their
    features and what they were joined with, and the changes they led to)."""
    queryset = (
        Idea.objects.filter(member=member)
        .select_related(
            "consultation",
            "feature__consultation",
            "merged_into__feature__consultation",
        )
        .order_by("-created_at", "-pk")
    )
    ideas = list(queryset[:limit] if limit else queryset)
    states = []
    for idea in ideas:
        followed = idea.merged_into if idea.status == Idea.Status.MERGED else None
        source = followed or idea
        feature = _feature_of(source) if source.status == Idea.Status.ACCEPTED else None
        if idea.status == Idea.Status.MERGED and followed is None:
            label = _("Joined with a similar idea")  # that one was removed since
        elif followed is not None and followed.status == Idea.Status.ACCEPTED:
            label = _("Joined with a similar idea, which was taken forward")
        elif followed is not None and followed.status == Idea.Status.DECLINED:
            label = _("Joined with a similar idea, which was not taken forward")
        elif followed is not None:
            label = _("Joined with a similar idea, which is waiting for the team")
        else:
            label = idea.get_status_display()
        states.append(
            IdeaState(
                idea=idea,
                status=idea.status,
                label=label,
                feature=feature,
                consultation=feature.consultation if feature else None,
            )
        )
    found = hooks.outcomes(s.feature.pk for s in states if s.feature is not None)
    for state in states:
        if state.feature is not None:
            state.outcomes = found.get(state.feature.pk, [])
            if state.outcomes:
                state.label = _("It led to a change")
    return states


def limit_reached(member, *, now=None) -> bool:
    from engagement.ideas.services import ideas_in_last_day

    return ideas_in_last_day(member, now=now or timezone.now()) >= settings.IDEAS_PER_DAY


def member_data(member) -> list[Section]:
    """Every idea the member put forward, with what became of it (2 queries)."""
    entries = []
    for state in member_ideas(member):
        idea = state.idea
        entries.append(
            Entry(
                str(idea),
                [
                    Field("kind", _("Kind"), idea.get_kind_display()),
                    Field("title", _("Your idea"), idea.title),
                    Field("description", _("In a few lines"), idea.description),
                    Field(
                        "suggested_for",
                        _("For the consultation"),
                        idea.consultation.title if idea.consultation_id else None,
                    ),
                    Field("suggested_at", _("Suggested"), iso(idea.created_at)),
                    Field("status", _("What happened"), str(state.label)),
                    Field("decided_at", _("Decided"), iso(idea.decided_at)),
                    Field("reason", _("Why it was not taken forward"), idea.decline_reason),
                    Field(
                        "feature",
                        _("The feature it became"),
                        state.feature.title if state.feature else None,
                    ),
                    Field(
                        "changes",
                        _("What we changed because of it"),
                        [o.change for o in state.outcomes],
                    ),
                ],
            )
        )
    return [Section("ideas", _("Ideas you suggested"), 55, entries)]
