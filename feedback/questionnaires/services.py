"""Every write with a rule for questionnaire reviews: save-as-you-go item answers, the overall
questions, sending once, the item-tracking matrix and building the next version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.common.text import TEXT_MAX, clean_text
from engagement.consultations.services import check_can_respond, mark_responded
from engagement.involvement.models import ActivityType
from engagement.involvement.services import record_response
from engagement.membership.models import Member
from feedback.questionnaires.models import (
    Item,
    ItemFeedback,
    Questionnaire,
    QuestionnaireReview,
)

ITEM_TEXT_FIELDS = ["own_words", "unclear_words", "suggested_rewording", "comment"]


ITEM_CHOICE_FIELDS = ["recall_fit", "options_fit", "upsetting"]


def _check_open(*, member: Member, questionnaire: Questionnaire, assisted_by=None) -> None:
    if questionnaire.consultation is None:
        raise ValidationError(_("This questionnaire is not open for review."))
    check_can_respond(
        member=member, consultation=questionnaire.consultation, assisted_by=assisted_by
    )


@transaction.atomic
def start_review(
    *, member: Member, questionnaire: Questionnaire, assisted_by=None
) -> QuestionnaireReview:
    """The member's review of this questionnaire, created on first visit (resumable)."""
    _check_open(member=member, questionnaire=questionnaire, assisted_by=assisted_by)
    review, _created = QuestionnaireReview.objects.get_or_create(
        member=member, questionnaire=questionnaire, defaults={"assisted_by": assisted_by}
    )
    return review


@transaction.atomic
def save_item_feedback(
    *, review: QuestionnaireReview, item: Item, data: dict, assisted_by=None
) -> ItemFeedback:
    """Store one screen's answers at once (save as you go). Editable until the consultation
    closes, also after submitting."""
    review = (
        QuestionnaireReview.objects.select_for_update(of=("self",))
        .select_related("questionnaire__consultation", "member")
        .get(pk=review.pk)
    )
    _check_open(member=review.member, questionnaire=review.questionnaire, assisted_by=assisted_by)
    if item.questionnaire_id != review.questionnaire_id:
        raise ValidationError(_("That question is not part of this questionnaire."))
    relevance = data.get("relevance")
    if relevance in (None, ""):
        raise ValidationError({"relevance": _("Choose how relevant this question is")})
    try:
        relevance = int(relevance)
    except (TypeError, ValueError) as error:
        raise ValidationError({"relevance": _("Choose one of the options shown")}) from error
    if not 1 <= relevance <= 4:
        raise ValidationError({"relevance": _("Choose one of the options shown")})
    values = {"relevance": relevance, "would_skip": bool(data.get("would_skip"))}
    for name in ITEM_TEXT_FIELDS:
        limit = 500 if name == "unclear_words" else TEXT_MAX
        try:
            values[name] = clean_text(data.get(name), max_length=limit)
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from error
    for name in ITEM_CHOICE_FIELDS:
        value = data.get(name) or ""
        valid = {c for c, _label in ItemFeedback._meta.get_field(name).choices}
        if value and value not in valid:
            raise ValidationError({name: _("Choose one of the options shown")})
        values[name] = value
    feedback, _created = ItemFeedback.objects.update_or_create(
        review=review, item=item, defaults=values
    )
    items = list(review.questionnaire.items.values_list("pk", flat=True))
    position = items.index(item.pk) + 2  # the next screen (overall questions after the last)
    if position > review.position:
        review.position = position
    if assisted_by is not None:
        review.assisted_by = assisted_by
    review.save(update_fields=["position", "assisted_by", "updated_at"])
    return feedback


@transaction.atomic
def save_overall(
    *, review: QuestionnaireReview, data: dict, assisted_by=None
) -> QuestionnaireReview:
    review = (
        QuestionnaireReview.objects.select_for_update(of=("self",))
        .select_related("questionnaire__consultation", "member")
        .get(pk=review.pk)
    )
    _check_open(member=review.member, questionnaire=review.questionnaire, assisted_by=assisted_by)
    for name, choices in [
        ("instructions_clear", QuestionnaireReview.Clear),
        ("length_burden", QuestionnaireReview.Length),
    ]:
        value = data.get(name) or ""
        if value and value not in choices.values:
            raise ValidationError({name: _("Choose one of the options shown")})
        setattr(review, name, value)
    for name in ["missing_topics", "overall_comment"]:
        try:
            setattr(review, name, clean_text(data.get(name)))
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from error
    review.save()
    return review


@transaction.atomic
def submit_review(*, review: QuestionnaireReview, assisted_by=None) -> QuestionnaireReview:
    """Submit once: every item needs its relevance answer. A second submit changes nothing."""
    review = (
        QuestionnaireReview.objects.select_for_update(of=("self",))
        .select_related("questionnaire__consultation", "member")
        .get(pk=review.pk)
    )
    _check_open(member=review.member, questionnaire=review.questionnaire, assisted_by=assisted_by)
    if review.submitted_at:
        return review
    answered = set(review.answers.values_list("item_id", flat=True))
    missing = [i for i in review.questionnaire.items.all() if i.pk not in answered]
    if missing:
        raise ValidationError(
            _("Please answer “how relevant” for every question first. Missing: %(n)d.")
            % {"n": len(missing)}
        )
    review.submitted_at = timezone.now()
    review.save(update_fields=["submitted_at", "updated_at"])
    consultation = review.questionnaire.consultation
    mark_responded(member=review.member, consultation=consultation)
    record_response(
        member=review.member,
        consultation=consultation,
        activity_type=ActivityType.QUESTIONNAIRE_REVIEW,
    )
    return review


@transaction.atomic
def save_tracking(*, item: Item, data: dict) -> Item:
    """The manager's item-tracking matrix row: the problems (any number), severity, decision,
    new wording and/or response options, rationale."""
    problems = data.get("problems") or []
    if isinstance(problems, str):
        problems = [problems]
    unknown = set(problems) - set(Item.Problem.values)
    if unknown:
        raise ValidationError({"problems": _("Choose from the problems shown")})
    for code in Item.Problem.values:
        setattr(item, f"problem_{code}", code in problems)
    for name in ["severity", "decision"]:
        value = data.get(name) or ""
        valid = {c for c, _label in Item._meta.get_field(name).choices}
        if value and value not in valid:
            raise ValidationError({name: _("Choose one of the options shown")})
        setattr(item, name, value)
    for name, limit in [("revised_wording", 500), ("revised_options", 2000), ("rationale", 2000)]:
        try:
            setattr(item, name, clean_text(data.get(name), max_length=limit))
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from error
    item.revised_options = "\n".join(
        line.strip() for line in item.revised_options.splitlines() if line.strip()
    )
    if item.decision == Item.Decision.REVISE and not (item.revised_wording or item.revised_options):
        raise ValidationError(
            {
                "revised_wording": _(
                    "Give the new wording or the new response options for a revised item"
                )
            }
        )
    item.save()
    return item


@transaction.atomic
def save_whole_questionnaire(*, questionnaire: Questionnaire, data: dict) -> Questionnaire:
    """The matrix's row for the whole questionnaire: new instructions and recall period for
    the next version (empty: unchanged) and why."""
    fields = {
        "revised_instructions": 3000,
        "revised_recall_period": 100,
        "revision_rationale": 2000,
    }
    for name, limit in fields.items():
        try:
            setattr(questionnaire, name, clean_text(data.get(name), max_length=limit))
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from error
    questionnaire.save(update_fields=list(fields))
    return questionnaire


def save_tracking_matrix(
    *, questionnaire: Questionnaire, rows: dict, whole: dict | None = None
) -> dict:
    """Several matrix rows at once ({item pk: data}) and the whole questionnaire's row, all or
    none: returns the errors by item pk ("whole" for the questionnaire's) and, when there are
    any, saves nothing, so a manager's other rows are not half-saved."""
    errors = {}
    with transaction.atomic():
        for item in questionnaire.items.filter(pk__in=rows):
            try:
                save_tracking(item=item, data=rows[item.pk])
            except ValidationError as error:
                errors[item.pk] = error
        if whole is not None:
            try:
                save_whole_questionnaire(questionnaire=questionnaire, data=whole)
            except ValidationError as error:
                errors["whole"] = error
        if errors:
            transaction.set_rollback(True)
    return errors


@transaction.atomic
def create_next_version(*, questionnaire: Questionnaire) -> Questionnaire:
    """Build version n+1 from the matrix: keep → as it is, revise → its new wording and/or
    response options, drop → left out, each carried item linking to the one it came from;
    then the new items; the new instructions and recall period where the matrix gives them."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if Questionnaire.objects.filter(previous_version=questionnaire).exists():
        raise ValidationError(_("A next version of this questionnaire already exists."))
    items = list(questionnaire.items.all())
    undecided = [i for i in items if not i.decision]
    if undecided:
        raise ValidationError(
            _("Record a decision (keep, revise or drop) for every item first. Missing: %(n)d.")
            % {"n": len(undecided)}
        )
    if Questionnaire.objects.filter(
        title=questionnaire.title, version=questionnaire.version + 1
    ).exists():
        raise ValidationError(
            _("Version %(v)d of this questionnaire already exists.")
            % {"v": questionnaire.version + 1}
        )
    new = Questionnaire.objects.create(
        title=questionnaire.title,
        version=questionnaire.version + 1,
        status=Questionnaire.Status.DRAFT,
        instructions=questionnaire.revised_instructions or questionnaire.instructions,
        recall_period=questionnaire.revised_recall_period or questionnaire.recall_period,
        previous_version=questionnaire,
    )
    order = 0
    for item in items:
        if item.decision == Item.Decision.DROP:
            continue
        revised = item.decision == Item.Decision.REVISE
        Item.objects.create(
            questionnaire=new,
            sort_order=order,
            text=item.revised_wording if revised and item.revised_wording else item.text,
            response_type=item.response_type,
            response_options=(
                item.revised_options if revised and item.revised_options else item.response_options
            ),
            help_text=item.help_text,
            previous_item=item,
        )
        order += 1
    for added in questionnaire.new_items.all():
        Item.objects.create(
            questionnaire=new,
            sort_order=order,
            text=added.text,
            response_type=added.response_type,
            response_options=added.response_options,
            help_text=added.help_text,
        )
        order += 1
    return new
