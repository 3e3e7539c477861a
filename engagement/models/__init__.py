"""The engagement app's models, one module per slice; re-exported here so that the app label,
migrations and content types stay as they were (Django looks for `engagement.models`)."""

from engagement.consultations.models import *  # noqa: F403
from engagement.equality.models import *  # noqa: F403
from engagement.events.models import *  # noqa: F403
from engagement.ideas.models import *  # noqa: F403
from engagement.involvement.models import *  # noqa: F403
from engagement.membership.models import *  # noqa: F403
