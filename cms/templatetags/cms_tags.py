import datetime
import html

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _lazy

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """The site's name, main menu (top-level pages marked "show in menus", the section being
    read marked current) and footer links, for the site being served (cms/chrome.py)."""
    from cms.chrome import Chrome
    from cms.chrome import site_chrome as chrome_for

    request = context.get("request")
    return chrome_for(request, context.get("page")) if request else Chrome()


@register.filter
def duration(minutes) -> str:
    """Minutes in words a member reads at a glance: "2 hours 30 minutes", "45 minutes"."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest})
    return " ".join(parts)


@register.inclusion_tag("includes/placed_messages.html", takes_context=True)
def placed_messages(context, *parts):
    """The confirmations a view added for the place named by `parts` joined with "-"
    ("poll", 3 is "poll-3"; cms.placed_messages.saved), shown here."""
    from django.contrib.messages import get_messages

    from cms.placed_messages import place_of

    place = "-".join(str(part) for part in parts)
    request = context.get("request")
    found = [m for m in get_messages(request) if place_of(m) == place] if request else []
    return {"place": place, "placed": found}


@register.filter
def unplaced(messages) -> list:
    """The messages no form on the page shows beside itself: for the list at the top."""
    from cms.placed_messages import place_of

    return [m for m in messages if place_of(m) is None]


# What each page type is for, when its editor wrote no search description and it has no
# summary or introduction of its own to use.
DEFAULT_DESCRIPTIONS = {
    "HomePage": _lazy(
        "Help a research team design an app for people having CAR-T cell therapy: look at the "
        "app, tell us what you think and see what we changed."
    ),
    "NewsIndexPage": _lazy("News from the team designing an app for people having CAR-T therapy."),
    "NewsPage": _lazy("News from the team designing an app for people having CAR-T therapy."),
    "PrototypeIndexPage": _lazy(
        "Look at the app for people having CAR-T therapy while it is being designed."
    ),
    "PrototypePage": _lazy(
        "The screens of an app for people having CAR-T therapy, while it is being designed."
    ),
    "EventIndexPage": _lazy("Events where you can meet the team and help design the app."),
    "EventPage": _lazy("An event where you can meet the team and help design the app."),
    "OutcomeIndexPage": _lazy("What we changed in the app because of what people told us."),
    "OutcomePage": _lazy("What we changed in the app because of what people told us."),
}
SITE_DESCRIPTION = _lazy("Help a research team design an app for people having CAR-T cell therapy.")
DESCRIPTION_LENGTH = 160


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    """The page's <meta name="description">: the search description its editor wrote, else
    its own summary or introduction, else what pages of its type are for; on pages that are
    not Wagtail pages (and have no description block of their own) what the site is for."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    page = context.get("page")
    if page is None or not hasattr(page, "search_description"):
        return str(SITE_DESCRIPTION)
    if page.search_description:
        return page.search_description
    for field in ("summary", "intro"):
        text = " ".join(html.unescape(strip_tags(str(getattr(page, field, "") or ""))).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return str(DEFAULT_DESCRIPTIONS.get(type(page).__name__, SITE_DESCRIPTION))


@register.filter
def held_value(value) -> str:
    """A value from a member's data page, as words: dates in full, yes/no, lists joined, and
    "–" for nothing held."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join("–" if v is None else str(v) for v in value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return formats.date_format(parsed.date(), "j F Y")
        return formats.date_format(timezone.localtime(parsed), "j F Y, H:i")
    return str(value)


@register.filter
def may_manage(user) -> bool:
    """The header's "Manage" link: cms.roles.may_use_admin."""
    from cms.roles import may_use_admin

    return may_use_admin(user)
