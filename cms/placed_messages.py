"""Confirmations shown where the member is looking: next to the form they saved, not at the top
of a long page out of view.

A view says where with `saved(request, text, place="vote")`, which returns the fragment to
redirect to ("#vote-saved"). The page puts `{% placed_messages "vote" %}` (cms_tags) next to
that form: the message is rendered there with id "vote-saved", role="status" and tabindex="-1",
so following the fragment scrolls to it and moves keyboard focus onto it (which screen readers
announce), with or without JavaScript. base.html leaves placed messages out of its list at the
top of the page."""

from django.contrib import messages

PLACE_TAG_PREFIX = "place-"


def saved(request, text, *, place: str, level: int = messages.SUCCESS) -> str:
    """Add a confirmation for `place`; the fragment to add to the redirect."""
    messages.add_message(request, level, text, extra_tags=PLACE_TAG_PREFIX + place)
    return f"#{place}-saved"


def place_of(message) -> str | None:
    for tag in (message.extra_tags or "").split():
        if tag.startswith(PLACE_TAG_PREFIX):
            return tag.removeprefix(PLACE_TAG_PREFIX)
    return None
