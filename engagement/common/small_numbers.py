"""Small numbers: a count under the threshold could point at a person, so it is never shown as
a number to anyone who should not be able to tell who answered.

One rule for every report (the group's make-up, results by stakeholder group): counts from 1 to
SMALL_NUMBER_THRESHOLD - 1 read "fewer than N"; 0 stays 0, because "nobody" identifies nobody.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


def threshold() -> int:
    return settings.SMALL_NUMBER_THRESHOLD


def is_small(count: int) -> bool:
    """True when the count is above zero and under the threshold."""
    return 0 < count < threshold()


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: `value` is None when it is suppressed."""

    value: int | None
    label: str


def protect(count: int) -> Shown:
    if is_small(count):
        return Shown(None, _("fewer than %(n)d") % {"n": threshold()})
    return Shown(count, str(count))
