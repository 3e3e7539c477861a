"""A consultation's parts are kept in the shared cache (selectors.consultation_parts): saving or
deleting one, or the consultation (its prototype), starts a new page-cache version."""

from cms import page_cache
from engagement.consultations.models import Consultation, Feature, Poll, PollChoice

page_cache.invalidate_on_change(Consultation, Feature, Poll, PollChoice)
