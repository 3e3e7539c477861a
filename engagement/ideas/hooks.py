"""Where ideas ask the app above (feedback's "you said, we did" pages) what came of them:
dependencies point one way (engagement <- feedback), so this Wagtail hook is the way up.

"idea_outcomes": fn(feature_ids) -> iterable of Outcome: each change on a live outcome page
    that was made because of one of those features (features that came from members' ideas),
    in one query however many.
"""

from dataclasses import dataclass

from wagtail import hooks

OUTCOMES = "idea_outcomes"


@dataclass(frozen=True)
class Outcome:
    feature_id: int
    change: str  # what we changed
    page_title: str  # the "you said, we did" page it is on
    url: str


def outcomes(feature_ids) -> dict[int, list[Outcome]]:
    """Feature id -> the changes made because of it, on live outcome pages."""
    ids = sorted(set(feature_ids))
    found: dict[int, list[Outcome]] = {}
    if not ids:
        return found
    for fn in hooks.get_hooks(OUTCOMES):
        for outcome in fn(ids):
            found.setdefault(outcome.feature_id, []).append(outcome)
    return found
