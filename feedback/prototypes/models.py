"""Prototype reviews: per-screen ease and comments, and the System Usability Scale (Brooke 1996)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.common.text import TEXT_MAX

# The ten SUS statements (Brooke 1996), with "system" read as "app".
SUS_ITEMS = [
    _("I think that I would like to use this app frequently."),
    _("I found the app unnecessarily complex."),
    _("I thought the app was easy to use."),
    _("I think that I would need the support of a technical person to be able to use this app."),
    _("I found the various functions in this app were well integrated."),
    _("I thought there was too much inconsistency in this app."),
    _("I would imagine that most people would learn to use this app very quickly."),
    _("I found the app very cumbersome to use."),
    _("I felt very confident using the app."),
    _("I needed to learn a lot of things before I could get going with this app."),
]


# How easy a prototype screen looks to use, per screen.
EASE_SCALE = [
    (1, _("Very hard")),
    (2, _("Hard")),
    (3, _("OK")),
    (4, _("Easy")),
    (5, _("Very easy")),
]


SUS_SCALE = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]


# The average SUS score across about 500 studies of many kinds of products and services
# (Sauro 2011, "A practical guide to the System Usability Scale"): not an average for apps.
SUS_BENCHMARK = 68


# Bangor, Kortum and Miller (2009), "Determining what individual SUS scores mean: adding an
# adjective rating scale", J Usability Studies 4(3):114–123, table 3: the mean SUS score of the
# people who called a product each of these words. A score is read as the word whose mean it is
# nearest (so the boundaries are the midpoints between neighbouring means).
SUS_ADJECTIVES = [
    (12.5, _("worst imaginable")),
    (20.3, _("awful")),
    (35.7, _("poor")),
    (50.9, _("OK")),
    (71.4, _("good")),
    (85.5, _("excellent")),
    (90.9, _("best imaginable")),
]


# Brooke (1996): answer straight after use, quickly, and mark the centre point when unsure.
SUS_INSTRUCTIONS = _(
    "Answer each statement straight away: your first thought is what we want. "
    "If you are not sure, choose the middle answer, “Neither agree nor disagree”."
)


# The ten statements on two steps of five, so no page is a long wall of choices.
SUS_STEPS = [range(1, 6), range(6, 11)]


SUS_NUMBERS = range(1, 11)


def _sus_answer(number: int) -> models.PositiveSmallIntegerField:
    """The answer to SUS statement `number`, 1–5 (empty until answered)."""
    return models.PositiveSmallIntegerField(
        _("SUS statement %(n)d") % {"n": number}, null=True, blank=True, choices=SUS_SCALE
    )


class PrototypeReview(models.Model):
    member = models.ForeignKey(
        "engagement.Member", on_delete=models.CASCADE, related_name="prototype_reviews"
    )
    prototype = models.ForeignKey(
        "cms.PrototypePage", on_delete=models.CASCADE, related_name="reviews"
    )
    consultation = models.ForeignKey(
        "engagement.Consultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    sus_score = models.DecimalField(
        _("SUS score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    sus_1 = _sus_answer(1)
    sus_2 = _sus_answer(2)
    sus_3 = _sus_answer(3)
    sus_4 = _sus_answer(4)
    sus_5 = _sus_answer(5)
    sus_6 = _sus_answer(6)
    sus_7 = _sus_answer(7)
    sus_8 = _sus_answer(8)
    sus_9 = _sus_answer(9)
    sus_10 = _sus_answer(10)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("prototype review")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "prototype"], name="one_prototype_review_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(sus_score__isnull=True)
                | models.Q(sus_score__gte=0, sus_score__lte=100),
                name="sus_score_0_to_100",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"sus_{n}__isnull": True})
                    | models.Q(**{f"sus_{n}__gte": 1, f"sus_{n}__lte": 5}),
                    name=f"sus_{n}_1_to_5",
                )
                for n in SUS_NUMBERS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.prototype}"

    def sus_answers(self) -> list[int | None]:
        return [getattr(self, f"sus_{n}") for n in SUS_NUMBERS]


class ScreenComment(models.Model):
    review = models.ForeignKey(PrototypeReview, on_delete=models.CASCADE, related_name="screens")
    screen = models.ForeignKey(
        "cms.PrototypeScreen", on_delete=models.CASCADE, related_name="comments"
    )
    ease = models.PositiveSmallIntegerField(
        _("how easy"),
        null=True,
        blank=True,
        choices=EASE_SCALE,
    )
    comment = models.TextField(_("comment"), max_length=TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("screen comment")
        constraints = [
            models.UniqueConstraint(fields=["review", "screen"], name="one_comment_per_screen"),
            models.CheckConstraint(
                condition=models.Q(ease__isnull=True) | models.Q(ease__gte=1, ease__lte=5),
                name="ease_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} – {self.screen}"
