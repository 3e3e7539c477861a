"""Optional equality monitoring (NIHR "Being inclusive in public involvement"; ONS 2021 census
questions, GSS harmonised disability questions): one set of answers per member, each question
with "prefer not to say". Ethnic group and health are special category data: kept only with the
member's own explicit agreement (ConsentPurpose.EQUALITY), apart from every response, reported
only in aggregate, never shown beside answers or in response exports."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.membership.models import Member

__all__ = [
    "EqualityAnswers",
    "AgeBand",
    "Sex",
    "GenderSameAsSex",
    "EthnicGroup",
    "LongTermCondition",
    "ActivityLimited",
    "Area",
]

PREFER_NOT = ("prefer_not", _("Prefer not to say"))


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    A18_24 = "18_24", _("18 to 24")
    A25_34 = "25_34", _("25 to 34")
    A35_44 = "35_44", _("35 to 44")
    A45_54 = "45_54", _("45 to 54")
    A55_64 = "55_64", _("55 to 64")
    A65_74 = "65_74", _("65 to 74")
    A75_PLUS = "75_plus", _("75 or over")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = PREFER_NOT


class GenderSameAsSex(models.TextChoices):
    """ONS 2021: is the gender you identify with the same as your sex registered at birth?"""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class EthnicGroup(models.TextChoices):
    """ONS 2021 England and Wales: 5 high-level groups, 19 categories."""

    ASIAN_INDIAN = "asian_indian", _("Asian or Asian British: Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Asian or Asian British: Pakistani")
    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Asian or Asian British: Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Asian or Asian British: Chinese")
    ASIAN_OTHER = "asian_other", _("Asian or Asian British: any other Asian background")
    BLACK_CARIBBEAN = "black_caribbean", _("Black, Black British, Caribbean or African: Caribbean")
    BLACK_AFRICAN = "black_african", _("Black, Black British, Caribbean or African: African")
    BLACK_OTHER = (
        "black_other",
        _(
            "Black, Black British, Caribbean or African: any other Black, Black British or "
            "Caribbean background"
        ),
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_wbc",
        _("Mixed or multiple ethnic groups: White and Black Caribbean"),
    )
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_wba",
        _("Mixed or multiple ethnic groups: White and Black African"),
    )
    MIXED_WHITE_ASIAN = "mixed_wa", _("Mixed or multiple ethnic groups: White and Asian")
    MIXED_OTHER = (
        "mixed_other",
        _("Mixed or multiple ethnic groups: any other Mixed or multiple ethnic background"),
    )
    WHITE_BRITISH = "white_british", _("White: English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white_irish", _("White: Irish")
    WHITE_GYPSY = "white_gypsy", _("White: Gypsy or Irish Traveller")
    WHITE_ROMA = "white_roma", _("White: Roma")
    WHITE_OTHER = "white_other", _("White: any other White background")
    OTHER_ARAB = "other_arab", _("Other ethnic group: Arab")
    OTHER_ANY = "other_any", _("Other ethnic group: any other ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT


class LongTermCondition(models.TextChoices):
    """GSS harmonised: physical or mental health conditions or illnesses lasting or expected to
    last 12 months or more."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class ActivityLimited(models.TextChoices):
    """GSS harmonised: does it reduce your ability to carry out day-to-day activities?"""

    A_LOT = "a_lot", _("Yes, a lot")
    A_LITTLE = "a_little", _("Yes, a little")
    NOT_AT_ALL = "not_at_all", _("Not at all")
    NO_CONDITION = "no_condition", _("I do not have a long-term condition")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Area(models.TextChoices):
    """Where you live: the English regions (ONS) and the other UK nations."""

    NORTH_EAST = "north_east", _("North East England")
    NORTH_WEST = "north_west", _("North West England")
    YORKSHIRE = "yorkshire", _("Yorkshire and The Humber")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    EAST = "east", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East England")
    SOUTH_WEST = "south_west", _("South West England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")
    OUTSIDE_UK = "outside_uk", _("Outside the UK")
    PREFER_NOT_TO_SAY = PREFER_NOT


# The questions, in the order asked: (field name, question, choices).
QUESTIONS = [
    ("age_band", _("What is your age?"), AgeBand),
    ("sex", _("What is your sex?"), Sex),
    (
        "gender_same_as_sex",
        _("Is the gender you identify with the same as your sex registered at birth?"),
        GenderSameAsSex,
    ),
    ("ethnic_group", _("What is your ethnic group?"), EthnicGroup),
    (
        "long_term_condition",
        _(
            "Do you have any physical or mental health conditions or illnesses lasting or "
            "expected to last 12 months or more?"
        ),
        LongTermCondition,
    ),
    (
        "activity_limited",
        _("Does your condition or illness reduce your ability to carry out day-to-day activities?"),
        ActivityLimited,
    ),
    ("area", _("Where do you live?"), Area),
]


def _answer(label, choices):
    return models.CharField(label, max_length=20, choices=choices.choices)


class EqualityAnswers(models.Model):
    """One member's equality monitoring answers: changed or deleted by them at any time, and
    deleted when they take the agreement back or leave."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="equality_answers")
    age_band = _answer(_("age"), AgeBand)
    sex = _answer(_("sex"), Sex)
    gender_same_as_sex = _answer(_("gender the same as sex registered at birth"), GenderSameAsSex)
    ethnic_group = _answer(_("ethnic group"), EthnicGroup)
    long_term_condition = _answer(_("long-term condition"), LongTermCondition)
    activity_limited = _answer(_("day-to-day activities limited"), ActivityLimited)
    area = _answer(_("area"), Area)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("equality monitoring answers")
        verbose_name_plural = _("equality monitoring answers")

    def __str__(self) -> str:
        return f"#{self.pk}"
