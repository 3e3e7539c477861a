"""Dates in sentences, as people read them: "3 March 2026", in the site's language and time."""

from django.utils import formats, timezone


def long_date(value) -> str:
    """A moment as its local date, e.g. "3 March 2026" (the templates' |date:"j F Y")."""
    return formats.date_format(timezone.localtime(value), "j F Y")
