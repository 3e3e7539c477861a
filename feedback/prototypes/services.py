"""Every write with a rule for prototype reviews: per-screen answers and the SUS, scored once
all ten statements are answered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.common.text import clean_text
from engagement.consultations.services import check_can_respond, mark_responded
from engagement.involvement.models import ActivityType
from engagement.involvement.services import record_response
from engagement.membership.models import Member
from feedback.prototypes.models import PrototypeReview, ScreenComment


def sus_score(answers: list[int]) -> float:
    """System Usability Scale (Brooke 1996): odd items r − 1, even items 5 − r, sum × 2.5."""
    if len(answers) != 10 or any(a is None or not 1 <= int(a) <= 5 for a in answers):
        raise ValueError("SUS needs ten answers from 1 to 5")
    answers = [int(a) for a in answers]
    total = sum((a - 1) if i % 2 == 0 else (5 - a) for i, a in enumerate(answers))
    return total * 2.5


def reviewed_elsewhere(review: PrototypeReview) -> ValidationError:
    """One review per member and prototype version: a second consultation showing the same
    version points back to the first instead of changing its answers."""
    return ValidationError(
        _(
            "You have already reviewed this version of the app, in “%(title)s”. You can change "
            "that review there while it is open."
        )
        % {"title": review.consultation.title}
    )


@transaction.atomic
def save_prototype_review(
    *,
    member: Member,
    consultation,
    screens: dict[int, dict],
    sus: dict[int, int | None],
    submit: bool,
    assisted_by=None,
) -> tuple[PrototypeReview, list[int]]:
    """Save per-screen ease and comments and the SUS answers given so far (nothing typed is
    lost). With submit, the score is computed when all ten are answered; otherwise the
    numbers of the unanswered statements come back so the page can point at them."""
    check_can_respond(member=member, consultation=consultation, assisted_by=assisted_by)
    prototype = consultation.prototype
    if prototype is None:
        raise ValidationError(_("This consultation has no prototype to review."))
    review, _created = PrototypeReview.objects.select_for_update().get_or_create(
        member=member, prototype=prototype, defaults={"consultation": consultation}
    )
    if review.consultation_id != consultation.pk:
        raise reviewed_elsewhere(review)
    valid_screens = set(prototype.screens.values_list("pk", flat=True))
    if set(screens) - valid_screens:
        raise ValidationError(_("That screen is not part of this prototype."))
    errors = {}
    for number, value in sus.items():
        if not 1 <= number <= 10:
            raise ValidationError(_("There are ten statements."))
        if value is not None and not 1 <= value <= 5:
            errors[f"sus_{number}"] = _("Choose an answer from 1 to 5")
    for screen_id, answer in screens.items():
        ease = answer.get("ease")
        if ease is not None and not 1 <= ease <= 5:
            errors[f"screen-{screen_id}-ease"] = _("Choose from 1 to 5")
    if errors:
        raise ValidationError(errors)
    for number, value in sus.items():
        setattr(review, f"sus_{number}", value)
    for screen_id, answer in screens.items():
        try:
            comment = clean_text(answer.get("comment"))
        except ValidationError as error:
            raise ValidationError({f"screen-{screen_id}-comment": error.messages}) from error
        ScreenComment.objects.update_or_create(
            review=review,
            screen_id=screen_id,
            defaults={"ease": answer.get("ease"), "comment": comment},
        )
    missing = [i for i, a in enumerate(review.sus_answers(), start=1) if a is None]
    if review.submitted_at and missing:
        # Sent reviews are scored, and a score needs all ten answers: one cannot be taken back.
        raise ValidationError(
            {
                f"sus_{number}": _("Your review is sent, so statement %(n)d needs an answer")
                % {"n": number}
                for number in missing
            }
        )
    if (submit or review.submitted_at) and not missing:
        # The score always follows the answers, also when they change after sending.
        review.sus_score = sus_score(review.sus_answers())
        review.submitted_at = review.submitted_at or timezone.now()
    if assisted_by is not None:
        review.assisted_by = assisted_by
    review.save()
    if review.submitted_at:
        mark_responded(member=member, consultation=consultation)
        record_response(
            member=member, consultation=consultation, activity_type=ActivityType.PROTOTYPE_REVIEW
        )
    return review, (missing if submit else [])
