"""A member's review of an app prototype, one step at a time: the screens, then the ten SUS
statements on two steps of five."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.common.forms import radio_field, text_field
from feedback.prototypes.models import EASE_SCALE, SUS_ITEMS, SUS_SCALE


class PrototypeReviewForm(forms.Form):
    """The fields of one step: the given screens (ease and comment each) and the given SUS
    statement numbers (1–10)."""

    def __init__(self, *args, screens=(), numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.screens = list(screens)
        self.numbers = list(numbers)
        ease = [(str(value), label) for value, label in EASE_SCALE]
        for screen in self.screens:
            self.fields[f"screen-{screen.pk}-ease"] = radio_field(
                _("How easy does this screen look to use?"), ease
            )
            self.fields[f"screen-{screen.pk}-ease"].widget.attrs["class"] = "scale"
            self.fields[f"screen-{screen.pk}-comment"] = text_field(
                _("Anything to change on this screen?"), rows=2
            )
        for number in self.numbers:
            field = radio_field(SUS_ITEMS[number - 1], [(str(v), label) for v, label in SUS_SCALE])
            field.widget.attrs["class"] = "scale"
            self.fields[f"sus_{number}"] = field

    def screen_blocks(self):
        return [
            (s, self[f"screen-{s.pk}-ease"], self[f"screen-{s.pk}-comment"]) for s in self.screens
        ]

    def sus_fields(self):
        return [(n, self[f"sus_{n}"]) for n in self.numbers]

    def screens_data(self) -> dict[int, dict]:
        c = self.cleaned_data
        return {
            s.pk: {
                "ease": int(c[f"screen-{s.pk}-ease"]) if c.get(f"screen-{s.pk}-ease") else None,
                "comment": c.get(f"screen-{s.pk}-comment", ""),
            }
            for s in self.screens
        }

    def sus_data(self) -> dict[int, int | None]:
        c = self.cleaned_data
        return {n: int(c[f"sus_{n}"]) if c.get(f"sus_{n}") else None for n in self.numbers}
