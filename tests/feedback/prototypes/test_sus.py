"""The numbers behind the prototype analysis: the System Usability Scale score (Brooke 1996:
odd items r − 1, even items 5 − r, sum × 2.5) and the 95 % confidence interval of a mean
(Student's t), checked against sums done by hand."""

import itertools
import math

import pytest

from feedback.prototypes.selectors import mean_ci, sus_summary, t_critical
from feedback.prototypes.services import sus_score


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # odd items 1 − 1 = 0 each, even items 5 − 1 = 4 each: 5 × 4 = 20 → 20 × 2.5
        ([1] * 10, 50.0),
        # odd items 5 − 1 = 4 each, even items 5 − 5 = 0 each: 20 → 50
        ([5] * 10, 50.0),
        # the best possible: agree with every positive (odd), disagree with every negative
        ([5, 1] * 5, 100.0),
        # the worst possible
        ([1, 5] * 5, 0.0),
        # neutral throughout: odd 2 each, even 2 each: 20 → 50
        ([3] * 10, 50.0),
        # mixed: odd answers 4, 5, 3, 4, 5 → 3 + 4 + 2 + 3 + 4 = 16;
        #        even answers 2, 1, 2, 3, 1 → 3 + 4 + 3 + 2 + 4 = 16; 32 × 2.5 = 80
        ([4, 2, 5, 1, 3, 2, 4, 3, 5, 1], 80.0),
        # odd answers 2, 3, 2, 4, 1 → 1 + 2 + 1 + 3 + 0 = 7;
        #        even answers 4, 5, 3, 2, 4 → 1 + 0 + 2 + 3 + 1 = 7; 14 × 2.5 = 35
        ([2, 4, 3, 5, 2, 3, 4, 2, 1, 4], 35.0),
        # one step away from the best on item 1 only: 39 × 2.5
        ([4, 1, 5, 1, 5, 1, 5, 1, 5, 1], 97.5),
    ],
)
def test_sus_score_matches_the_hand_computation(answers, expected):
    assert sus_score(answers) == expected


def test_each_statement_counts_in_the_right_direction():
    """Agreeing more with an odd (positive) statement raises the score by 2.5, with an even
    (negative) one lowers it by 2.5."""
    base = [3] * 10
    for number in range(1, 11):
        answers = list(base)
        answers[number - 1] = 4
        change = sus_score(answers) - sus_score(base)
        assert change == (2.5 if number % 2 else -2.5), number


@pytest.mark.parametrize(
    "answers",
    [
        [3] * 9,  # nine answers
        [3] * 11,
        [3, 3, 3, 3, 6, 3, 3, 3, 3, 3],  # a 6
        [3, 3, 3, 0, 3, 3, 3, 3, 3, 3],  # a 0
        [3, 3, 3, 3, 3, 3, 3, 3, 3, None],  # one not answered
        [],
    ],
)
def test_sus_score_refuses_invalid_answers(answers):
    with pytest.raises(ValueError, match="ten answers from 1 to 5"):
        sus_score(answers)


# --- Student's t and the confidence interval -------------------------------------------------


@pytest.mark.parametrize(
    ("df", "published"),
    [(1, 12.706), (2, 4.303), (4, 2.776), (10, 2.228), (30, 2.042), (31, 2.040), (40, 2.021),
     (60, 2.000), (100, 1.984), (1000, 1.962)],
)  # fmt: skip
def test_t_critical_matches_the_published_table(df, published):
    assert t_critical(df) == pytest.approx(published, abs=0.002)


def test_t_critical_falls_as_the_sample_grows_and_tends_to_z():
    values = [t_critical(df) for df in range(1, 200)]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert t_critical(100_000) == pytest.approx(1.95996, abs=0.0001)


def test_t_critical_needs_one_degree_of_freedom():
    with pytest.raises(ValueError):
        t_critical(0)


def test_mean_ci_against_a_hand_computation():
    """n = 5: mean 80; squared deviations 100 + 25 + 0 + 25 + 100 = 250, sd = √(250 / 4);
    t(0.975, 4) = 2.776 from the table; half-width = 2.776 × sd / √5 ≈ 9.815."""
    result = mean_ci([70, 75, 80, 85, 90])

    sd = math.sqrt(250 / 4)
    half = 2.776 * sd / math.sqrt(5)
    assert result["n"] == 5
    assert result["mean"] == pytest.approx(80)
    assert result["sd"] == pytest.approx(sd)
    assert result["low"] == pytest.approx(80 - half)
    assert result["high"] == pytest.approx(80 + half)
    assert result["low"] == pytest.approx(70.185, abs=0.001)
    assert result["high"] == pytest.approx(89.815, abs=0.001)


def test_mean_ci_of_sus_scores_from_answers():
    """Three reviews scoring 100, 50 and 75: mean 75, sd 25, t(0.975, 2) = 4.303."""
    scores = [sus_score([5, 1] * 5), sus_score([3] * 10), sus_score([4, 2] * 5)]
    assert scores == [100.0, 50.0, 75.0]
    result = mean_ci(scores)
    half = 4.303 * 25 / math.sqrt(3)
    assert (result["mean"], result["sd"]) == (pytest.approx(75), pytest.approx(25))
    assert (result["low"], result["high"]) == (pytest.approx(75 - half), pytest.approx(75 + half))


def test_mean_ci_with_a_large_sample_uses_t_beyond_the_table():
    """n = 41 (df 40): t = 2.021; values alternate 60 and 80 with a middle 70."""
    values = [60, 80] * 20 + [70]
    result = mean_ci(values)
    mean = 70
    sd = math.sqrt((40 * 100) / 40)
    half = 2.021 * sd / math.sqrt(41)
    assert result["mean"] == pytest.approx(mean)
    assert result["low"] == pytest.approx(mean - half, abs=0.001)
    assert result["high"] == pytest.approx(mean + half, abs=0.001)


def test_mean_ci_with_no_or_one_value_has_no_interval():
    assert mean_ci([]) == {"n": 0, "mean": None, "sd": None, "low": None, "high": None}
    assert mean_ci([72.5]) == {"n": 1, "mean": 72.5, "sd": None, "low": None, "high": None}


def test_mean_ci_of_identical_values_is_a_point():
    result = mean_ci([67.5, 67.5, 67.5])
    assert result["low"] == result["high"] == 67.5


# --- The SUS summary a manager sees ------------------------------------------------------------


@pytest.mark.django_db
def test_sus_summary_bands_the_scores_and_compares_with_68(site_tree):
    from tests.factories.feedback import bulk_prototype_reviews

    prototype = site_tree["prototype"]
    # 100, 97.5 twice and 92.5: all well above 68
    high = [[5, 1] * 5, [4, 1, 5, 1, 5, 1, 5, 1, 5, 1], [4, 1, 5, 1, 5, 1, 5, 1, 5, 1],
            [4, 2, 4, 1, 5, 1, 5, 1, 5, 1]]  # fmt: skip
    bulk_prototype_reviews(prototype, 4, scores=high)

    summary = sus_summary(prototype)

    assert summary["n"] == 4
    assert summary["mean"] == pytest.approx((100 + 97.5 + 97.5 + 92.5) / 4)
    bands = dict(summary["bins"])
    assert bands["90–100"] == 4  # a score of 100 falls in the top band, not an eleventh one
    assert sum(bands.values()) == 4
    assert summary["above_benchmark"] == "above"
    assert summary["benchmark"] == 68


@pytest.mark.django_db
def test_sus_summary_says_unclear_when_the_interval_spans_68(site_tree):
    from tests.factories.feedback import bulk_prototype_reviews

    bulk_prototype_reviews(site_tree["prototype"], 4)  # 75, 100, 50, 25: wide interval

    summary = sus_summary(site_tree["prototype"])

    assert summary["mean"] == pytest.approx(62.5)
    assert summary["low"] < 68 < summary["high"]
    assert summary["above_benchmark"] == "unclear"


# --- The adjective scale (Bangor, Kortum and Miller 2009) --------------------------------------


def test_the_adjective_means_are_bangor_kortum_and_millers():
    """Bangor A, Kortum P, Miller J. Determining what individual SUS scores mean: adding an
    adjective rating scale. J Usability Studies 2009;4(3):114–123, table 3 (mean SUS score of
    the people who chose each adjective)."""
    from feedback.prototypes.models import SUS_ADJECTIVES

    assert [(mean, str(word)) for mean, word in SUS_ADJECTIVES] == [
        (12.5, "worst imaginable"),
        (20.3, "awful"),
        (35.7, "poor"),
        (50.9, "OK"),
        (71.4, "good"),
        (85.5, "excellent"),
        (90.9, "best imaginable"),
    ]


@pytest.mark.parametrize(
    ("score", "word"),
    [
        # The boundaries are the midpoints between neighbouring means, worked by hand:
        # (12.5 + 20.3) / 2 = 16.4; (20.3 + 35.7) / 2 = 28.0; (35.7 + 50.9) / 2 = 43.3;
        # (50.9 + 71.4) / 2 = 61.15; (71.4 + 85.5) / 2 = 78.45; (85.5 + 90.9) / 2 = 88.2.
        (0.0, "worst imaginable"),
        (16.3, "worst imaginable"),
        (16.5, "awful"),
        (27.9, "awful"),
        (28.1, "poor"),
        (43.2, "poor"),
        (43.4, "OK"),
        (50.0, "OK"),  # neutral on every statement (Brooke scoring: 20 × 2.5)
        (61.1, "OK"),
        (61.2, "good"),
        (68.0, "good"),  # Sauro's average across about 500 studies reads as "good"
        (78.4, "good"),
        (78.5, "excellent"),
        (80.0, "excellent"),  # [4, 2, 5, 1, 3, 2, 4, 3, 5, 1], scored above
        (88.1, "excellent"),
        (88.3, "best imaginable"),
        (100.0, "best imaginable"),
    ],
)
def test_a_score_reads_as_the_adjective_whose_mean_is_nearest(score, word):
    from feedback.prototypes.selectors import sus_adjective

    assert str(sus_adjective(score)["word"]) == word


def test_no_score_no_adjective():
    from feedback.prototypes.selectors import sus_adjective

    assert sus_adjective(None) is None


@pytest.mark.django_db
def test_sus_summary_of_a_consultation_counts_only_the_reviews_sent_in_it(site_tree):
    """A review belongs to the consultation it was given in: the same version shown in two
    consultations reports each one's own reviews, and the version's summary has them all."""
    from tests.factories.feedback import bulk_prototype_reviews, prototype_consultation

    prototype = site_tree["prototype"]
    first, second = prototype_consultation(prototype), prototype_consultation(prototype)
    bulk_prototype_reviews(prototype, 3, scores=[[5, 1] * 5], consultation=first)  # 100
    bulk_prototype_reviews(prototype, 2, scores=[[3] * 10], consultation=second)  # 50

    assert sus_summary(prototype, consultation=first)["n"] == 3
    assert sus_summary(prototype, consultation=first)["mean"] == 100
    assert sus_summary(prototype, consultation=second)["mean"] == 50
    assert sus_summary(prototype)["n"] == 5
    assert str(sus_summary(prototype, consultation=second)["adjective"]["word"]) == "OK"
