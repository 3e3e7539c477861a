"""Where a consultation asks the app above it (feedback: questionnaires and prototype reviews)
for what it cannot know itself. Dependencies point one way (cms <- engagement <- feedback), so
these two Wagtail hooks are the only way up; everything else between the apps is a plain import.

"consultation_participants": fn(consultation_ids) -> (consultation id, member id) pairs of
    everyone who responded there through that app (sent reviews), in one query however many
    consultations. Used for response rates, the dashboard and outcome notices.
"consultation_panels": fn(request, consultation, member) -> HTML of a section of the
    consultation's page (the member's feedback tasks and their progress), or "".
"""

from wagtail import hooks

PARTICIPANTS = "consultation_participants"
PANELS = "consultation_panels"


def participant_pairs(consultation_ids: list[int]):
    for fn in hooks.get_hooks(PARTICIPANTS):
        yield from fn(consultation_ids)


def panels(request, consultation, member) -> list[str]:
    return [fn(request, consultation, member) for fn in hooks.get_hooks(PANELS)]
