"""The calendar file sent with a place: valid RFC 5545, read here as a calendar program reads
it (lines end CRLF, none longer than 75 octets, continuation lines start with a space and are
joined back before reading; TEXT values escaped)."""

import datetime

import pytest
from django.core import mail

from engagement.events import calendar
from tests.factories.events import event_with_places, register

CRLF = "\r\n"


def unfolded(text: str) -> list[str]:
    assert text.endswith(CRLF)
    physical = text[: -len(CRLF)].split(CRLF)
    for line in physical:
        assert "\n" not in line and "\r" not in line, f"a bare line break in {line!r}"
        assert len(line.encode("utf-8")) <= 75, f"{len(line.encode())} octets: {line!r}"
    lines: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def properties(text: str) -> dict[str, str]:
    found = {}
    for line in unfolded(text):
        name, _, value = line.partition(":")
        found.setdefault(name, value)
    return found


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            assert value[i] not in ";,", f"an unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


START = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
END = START + datetime.timedelta(hours=5, minutes=30)


def test_an_event_as_rfc_5545():
    title = "Café day; for patients, carers – and ☕ lovers " * 3
    text = calendar.event_calendar(
        uid="event-7@ppie.example.org",
        title=title,
        start=START,
        end=END,
        location="Riverside Centre, 25 River Road; Midtown",
        description="Line one\nLine two, with a \\ backslash",
        url="https://ppie.example.org/events/day/",
        stamp=datetime.datetime(2026, 6, 1, 8, 30, tzinfo=datetime.UTC),
    )
    lines = unfolded(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert lines.count("BEGIN:VEVENT") == 1
    props = properties(text)
    assert props["PRODID"]
    assert props["UID"] == "event-7@ppie.example.org"
    assert props["DTSTAMP"] == "20260601T083000Z"
    assert props["DTSTART"] == "20260701T090000Z"  # 10:00 BST is 09:00 UTC
    assert props["DTEND"] == "20260701T143000Z"
    assert unescape(props["SUMMARY"]) == title
    assert unescape(props["LOCATION"]) == "Riverside Centre, 25 River Road; Midtown"
    assert unescape(props["DESCRIPTION"]) == "Line one\nLine two, with a \\ backslash"
    assert props["URL"] == "https://ppie.example.org/events/day/"
    # The long title was folded, and never inside a character.
    assert text.count("\r\n ") >= 2
    text.encode("utf-8").decode("utf-8")


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = calendar.fold(line)
    for physical in folded.split(CRLF):
        assert len(physical.encode("utf-8")) <= 75
    assert "".join(p[1:] if i else p for i, p in enumerate(folded.split(CRLF))) == line


@pytest.mark.django_db
def test_the_confirmation_email_carries_the_event(site_tree, django_capture_on_commit_callbacks):
    settings = event_with_places(site_tree)
    event = settings.event
    event.address = "25 River Road\nMidtown"
    event.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, "Ann")

    [email] = mail.outbox
    [(filename, content, mimetype)] = email.attachments
    assert (filename, mimetype) == ("event.ics", "text/calendar; charset=utf-8; method=PUBLISH")
    props = properties(content)
    utc = datetime.UTC
    assert props["DTSTART"] == event.start.astimezone(utc).strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"] == event.end.astimezone(utc).strftime("%Y%m%dT%H%M%SZ")
    assert unescape(props["SUMMARY"]) == event.title
    assert unescape(props["LOCATION"]) == "Town Hall, 25 River Road, Midtown"
    assert props["UID"].startswith(f"event-{event.pk}@")
    assert f"/registrations/{registration.pk}:" in unescape(props["DESCRIPTION"])
    # What the email says is what the calendar file says.
    assert event.title in email.body
