"""What membership asks the other slices and apps for, about one member: everything each holds
about them (for /me/data/ and its download) and erasing the free text that could identify them
(when they leave, and when free text passes its retention period). Membership imports none of
them: each registers its functions under these hook names in its own admin or wagtail_hooks
module (the pattern of engagement/consultations/hooks.py), so dependencies keep pointing one way.

"member_data": fn(member) -> list of Section: what that slice holds about the member, in a
    constant number of queries however much they hold.
"erase_free_text": fn(*, member_ids=None, consultation_ids=None) -> int: blank the free text
    (comments, "other" answers, suggested wording) written by those members, or written in
    those consultations; returns the number of rows changed. Ratings and choices stay.
"member_leaving": fn(*, member, name, email) -> None: the member is leaving, and their name and
    email are about to be erased; keep apart what the law says must be kept (finance), and let
    go of what names them elsewhere (event registrations: places still to come are given up).
"erase_equality_answers": fn(*, member_ids) -> int: delete those members' equality monitoring
    answers (they took that agreement back, or left).
"""

from dataclasses import dataclass, field
from typing import Any

from wagtail import hooks

MEMBER_DATA = "member_data"
ERASE_FREE_TEXT = "erase_free_text"
ERASE_EQUALITY = "erase_equality_answers"
MEMBER_LEAVING = "member_leaving"


@dataclass(frozen=True)
class Field:
    key: str  # the name in the JSON download
    label: str  # what the page shows
    value: Any  # str, int, bool, None or a list of str; dates as ISO strings


@dataclass
class Entry:
    """One thing held: a vote, a review, a payment record."""

    title: str
    fields: list[Field] = field(default_factory=list)
    download_url: str = ""  # a file of theirs (a receipt) they can download
    download_label: str = ""
    parts: list["Entry"] = field(default_factory=list)  # e.g. the answers of one review

    def as_json(self) -> dict:
        data: dict[str, Any] = {"title": self.title}
        data.update({f.key: f.value for f in self.fields})
        if self.download_url:
            data["download"] = self.download_url
        if self.parts:
            data["parts"] = [part.as_json() for part in self.parts]
        return data


@dataclass
class Section:
    key: str  # the JSON key, e.g. "votes"
    title: str  # the heading on the page
    order: int  # where it comes on the page
    entries: list[Entry] = field(default_factory=list)
    intro: str = ""
    single: bool = False  # one entry (the profile): an object in the JSON, not a list

    def as_json(self):
        if self.single:
            return self.entries[0].as_json() if self.entries else {}
        return [entry.as_json() for entry in self.entries]


def member_data(member) -> list[Section]:
    sections: list[Section] = []
    for fn in hooks.get_hooks(MEMBER_DATA):
        sections.extend(fn(member))
    return sorted(sections, key=lambda s: (s.order, s.key))


def erase_free_text(*, member_ids=None, consultation_ids=None) -> int:
    return sum(
        fn(member_ids=member_ids, consultation_ids=consultation_ids)
        for fn in hooks.get_hooks(ERASE_FREE_TEXT)
    )


def member_leaving(*, member, name: str, email: str) -> None:
    for fn in hooks.get_hooks(MEMBER_LEAVING):
        fn(member=member, name=name, email=email)


def erase_equality(*, member_ids) -> int:
    return sum(fn(member_ids=member_ids) for fn in hooks.get_hooks(ERASE_EQUALITY))


def iso(value) -> str | None:
    return value.isoformat() if value else None
