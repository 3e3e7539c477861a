"""An event as an iCalendar file (RFC 5545), for the confirmation email and the registration
page: one VEVENT with UID, DTSTAMP, DTSTART and DTEND in UTC, SUMMARY, LOCATION, DESCRIPTION
and URL; text escaped (3.3.11), lines ending CRLF and folded at 75 octets (3.1), never inside
a UTF-8 character."""

import datetime

from django.utils import timezone

PRODID = "-//PPIE Hub//Event registrations//EN"
LINE_OCTETS = 75
CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
FILENAME = "event.ics"


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(plain, escaped)
    return value


def utc(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC ("form #2"): 20261203T101500Z."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """One content line, folded: no physical line longer than 75 octets, each continuation
    starting with a space; a multi-byte character is never split."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # the space counts
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def event_calendar(
    *,
    uid: str,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    location: str = "",
    description: str = "",
    url: str = "",
    stamp: datetime.datetime | None = None,
) -> str:
    """The .ics text of one event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(stamp or timezone.now())}",
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(end)}",
        f"SUMMARY:{escape_text(title)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
