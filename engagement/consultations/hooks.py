"""Where a consultation asks the app above it (feedback: questionnaires, prototype reviews and
outcome pages) for what it cannot know itself. Dependencies point one way (cms <- engagement <-
feedback), so these three Wagtail hooks are the only way up; everything else between the apps is
a plain import.

"consultation_participants": fn(consultation_ids) -> (consultation id, member id) pairs of
    everyone who responded there through that app (sent reviews), in one query however many
    consultations. Used for response rates, reminders, the dashboard and outcome notices.
"consultation_panels": fn(request, consultation, member) -> HTML of a section of the
    consultation's page for members (their feedback tasks and progress), or "".
"consultation_parts": fn(consultation) -> a Part: what that app asks members to do in
    the consultation (activities, with the time each takes, for invitations and payment), what
    must be done before it can open (checks), and a section of the manager's overview page.
"""

from dataclasses import dataclass, field

from wagtail import hooks

PARTICIPANTS = "consultation_participants"
PANELS = "consultation_panels"
PARTS = "consultation_parts"


@dataclass(frozen=True)
class Activity:
    """Something members are asked to do, e.g. vote on 6 features, review a questionnaire."""

    activity_type: str  # an engagement.involvement.models.ActivityType
    label: str  # "Check the questions of “Recovery after CAR-T”"
    minutes: int  # the estimate the involvement log records for it


@dataclass(frozen=True)
class Check:
    """A line of the checklist before opening: done, or what is missing."""

    ok: bool
    message: str  # what is missing (shown while not ok)
    blocking: bool = True  # False: a warning, it can still open
    url: str = ""  # where to put it right
    done: str = ""  # what is in place (shown once ok)


@dataclass
class Part:
    activities: list[Activity] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    admin_html: str = ""  # a section of the manager's overview page


def participant_pairs(consultation_ids: list[int]):
    for fn in hooks.get_hooks(PARTICIPANTS):
        yield from fn(consultation_ids)


def panels(request, consultation, member) -> list[str]:
    return [fn(request, consultation, member) for fn in hooks.get_hooks(PANELS)]


def parts(consultation) -> list[Part]:
    return [fn(consultation) for fn in hooks.get_hooks(PARTS)]
