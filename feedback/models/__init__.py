"""The feedback app's models, one module per slice; re-exported here so that the app label,
migrations and content types stay as they were (Django looks for `feedback.models`)."""

from feedback.outcomes.models import *  # noqa: F403
from feedback.prototypes.models import *  # noqa: F403
from feedback.questionnaires.models import *  # noqa: F403
