"""Free text from members: plain text only, with a length limit and a clear message."""

import html

import bleach
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TEXT_MAX = 2000  # free-text answers; longer input gets a clear message, never a 500


def clean_text(value: str | None, *, max_length: int = TEXT_MAX) -> str:
    """Plain text only: every tag stripped by bleach, line breaks kept. Output templates
    escape it again and turn line breaks and bare links into safe markup."""
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > max_length:
        raise ValidationError(
            _("Please keep this to %(n)d characters or fewer (you wrote %(m)d).")
            % {"n": max_length, "m": len(value)}
        )
    # bleach returns HTML ("&" becomes "&amp;"), but this is stored as plain text and escaped
    # on output, so undo its escaping; repeat while that reveals more markup ("&lt;b&gt;").
    for _attempt in range(10):
        cleaned = html.unescape(
            bleach.clean(value, tags=set(), attributes={}, strip=True, strip_comments=True)
        )
        if cleaned == value:
            return cleaned
        value = cleaned
    return bleach.clean(value, tags=set(), attributes={}, strip=True, strip_comments=True)
