"""engagement.selectors: consensus, median, consultation_results and poll_results, checked
against small data sets whose answers are worked out by hand in each test."""

import pytest

from engagement.consultations.selectors import (
    consensus,
    consultation_results,
    median,
    merge_small_groups,
    poll_results,
)
from engagement.models import Consultation, Poll, PollAnswer, Role, Vote
from tests.factories.consultations import (
    ConsultationFactory,
    FeatureFactory,
    PollFactory,
    add_votes,
)
from tests.factories.membership import MemberFactory

SUPPORT = Consultation.Method.SUPPORT
POINTS = Consultation.Method.POINTS
DELPHI = Consultation.Method.DELPHI


# --- The Delphi consensus rule (COMET) -------------------------------------------------------


@pytest.mark.parametrize(
    ("high", "low", "expected"),
    [
        (70, 14.9, "in"),  # exactly 70 % critical and under 15 % not important
        (100, 0, "in"),
        (69.9, 0, "none"),  # just short of 70 %
        (70, 15, "none"),  # 15 % rating 1–3 is too many
        (14.9, 70, "out"),
        (0, 100, "out"),
        (15, 70, "none"),
        (69.9, 69.9, "none"),
        (50, 50, "none"),
    ],
)
def test_consensus_boundaries(high, low, expected):
    assert consensus(high, low) == expected


# --- Median of a distribution ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, None),
        ({4: 1}, 4.0),
        ({1: 1, 5: 1, 9: 1}, 5.0),  # odd: the middle one
        ({9: 1, 1: 1, 5: 1}, 5.0),  # order given does not matter
        ({2: 1, 3: 1}, 2.5),  # even: halfway between the middle two
        ({7: 2, 8: 2}, 7.5),
        ({1: 3, 9: 1}, 1.0),  # 1, 1, 1, 9
        ({1: 2, 9: 2}, 5.0),  # 1, 1, 9, 9
        ({2: 1, 4: 1, 5: 1, 7: 4, 8: 2, 9: 1}, 7.0),  # ten ratings
    ],
)
def test_median(counts, expected):
    assert median(counts) == expected


# --- Support and points: totals, ranks, groups, equal weighting --------------------------------


def rows_by_title(results) -> dict[str, dict]:
    return {row["feature"].title: row for row in results["rows"]}


def members(role, n):
    return [MemberFactory(role=role) for _ in range(n)]


@pytest.fixture
def support_results(db):
    """3 patients, 1 carer and 6 members of the public supporting features 1–4:

    Feature 1: all 3 patients + the carer                        = 4
    Feature 2: all 6 public                                      = 6
    Feature 3: 1 patient + the carer + 2 public                  = 4
    Feature 4: nobody                                            = 0
    """
    consultation = ConsultationFactory(voting_method=SUPPORT, features=4)
    f1, f2, f3, f4 = consultation.features.order_by("sort_order")
    patients = members(Role.PATIENT, 3)
    (carer,) = members(Role.CARER, 1)
    public = members(Role.PUBLIC, 6)
    for p in patients:
        add_votes(consultation, p, {f1: 1})
    add_votes(consultation, patients[0], {f3: 1})
    add_votes(consultation, carer, {f1: 1, f3: 1})
    for i, person in enumerate(public):
        add_votes(consultation, person, {f2: 1, **({f3: 1} if i < 2 else {})})
    return consultation


@pytest.mark.django_db
class TestSupportResults:
    def test_totals_voters_and_ranks_with_a_tie(self, support_results):
        results = consultation_results(support_results)
        rows = rows_by_title(results)

        assert [row["feature"].title for row in results["rows"]] == [
            "Feature 2",
            "Feature 1",
            "Feature 3",
            "Feature 4",
        ]
        assert {t: (r["rank"], r["total"], r["voters"]) for t, r in rows.items()} == {
            "Feature 2": (1, 6, 6),
            "Feature 1": (2, 4, 4),
            "Feature 3": (2, 4, 4),  # tied with feature 1: the same rank
            "Feature 4": (4, 0, 0),  # the next rank skips the shared one
        }
        assert results["participants"] == 10

    def test_totals_by_stakeholder_group(self, support_results):
        results = consultation_results(support_results)
        rows = rows_by_title(results)

        def by_group(title):
            return {g["key"]: g["total"] for g in rows[title]["groups"]}

        assert by_group("Feature 1") == {
            "patients": 3,
            "carers": 1,
            "public": 0,
            "professionals": 0,
        }
        assert by_group("Feature 2") == {
            "patients": 0,
            "carers": 0,
            "public": 6,
            "professionals": 0,
        }
        assert by_group("Feature 3") == {
            "patients": 1,
            "carers": 1,
            "public": 2,
            "professionals": 0,
        }
        assert {g["key"]: g["participants"] for g in results["groups"]} == {
            "patients": 3,
            "carers": 1,
            "public": 6,
            "professionals": 0,
        }

    def test_equal_group_weighting_stops_the_biggest_group_dominating(self, support_results):
        # Per person in each group that took part (professionals took no part, so they do not
        # count), then the mean over the three groups:
        #   Feature 1: patients 3/3, carers 1/1, public 0/6 -> (1 + 1 + 0) / 3     = 2/3
        #   Feature 2: patients 0/3, carers 0/1, public 6/6 -> (0 + 0 + 1) / 3     = 1/3
        #   Feature 3: patients 1/3, carers 1/1, public 2/6 -> (1/3 + 1 + 1/3) / 3 = 5/9
        #   Feature 4: 0
        results = consultation_results(support_results, equal_weights=True)
        rows = rows_by_title(results)

        assert [row["feature"].title for row in results["rows"]] == [
            "Feature 1",
            "Feature 3",
            "Feature 2",
            "Feature 4",
        ]
        assert rows["Feature 1"]["score"] == pytest.approx(2 / 3)
        assert rows["Feature 3"]["score"] == pytest.approx(5 / 9)
        assert rows["Feature 2"]["score"] == pytest.approx(1 / 3)
        assert rows["Feature 4"]["score"] == 0
        assert [rows[t]["rank"] for t in ("Feature 1", "Feature 3", "Feature 2", "Feature 4")] == [
            1,
            2,
            3,
            4,
        ]
        # Raw totals are still there, unchanged by the weighting.
        assert rows["Feature 2"]["total"] == 6
        per_person = {g["key"]: g["per_person"] for g in rows["Feature 3"]["groups"]}
        assert per_person == pytest.approx(
            {"patients": 1 / 3, "carers": 1.0, "public": 1 / 3, "professionals": 0.0}
        )

    def test_no_votes_gives_zeros_and_no_ranks(self, db):
        """With nobody voting nothing is first: the features are unranked, not all ranked 1."""
        consultation = ConsultationFactory(voting_method=SUPPORT, features=3)
        results = consultation_results(consultation, equal_weights=True)

        assert results["participants"] == 0
        assert [(r["rank"], r["total"], r["score"]) for r in results["rows"]] == [
            (None, 0, 0.0)
        ] * 3


@pytest.mark.django_db
def test_points_totals_add_up_the_points():
    consultation = ConsultationFactory(voting_method=POINTS, points_budget=5, features=3)
    f1, f2, f3 = consultation.features.order_by("sort_order")
    patient, carer = MemberFactory(role=Role.PATIENT), MemberFactory(role=Role.CARER)
    clinician = MemberFactory(role=Role.CLINICIAN)
    add_votes(consultation, patient, {f1: 4, f2: 1})
    add_votes(consultation, carer, {f2: 5})
    add_votes(consultation, clinician, {f1: 2, f3: 3})

    rows = rows_by_title(consultation_results(consultation))

    # f1 = 4 + 2 = 6, f2 = 1 + 5 = 6 (tie), f3 = 3
    assert {t: (r["rank"], r["total"], r["voters"]) for t, r in rows.items()} == {
        "Feature 1": (1, 6, 2),
        "Feature 2": (1, 6, 2),
        "Feature 3": (3, 3, 1),
    }
    assert {g["key"]: g["total"] for g in rows["Feature 1"]["groups"]}["professionals"] == 2


# --- Delphi ------------------------------------------------------------------------------------


@pytest.fixture
def delphi_results(db):
    """4 patients and 6 public rate three features 1–9 (round 1):

    Feature 1  patients 9 8 7 5   public 7 7 8 7 2 4   -> 7/10 rate 7–9, 1/10 rate 1–3: in
    Feature 2  patients 1 2 3 1   public 2 3 1 2 8 5   -> 8/10 rate 1–3, 1/10 rate 7–9: out
    Feature 3  patients 9 9 1 1   public 5 5 5 5 5 5   -> 2/10 and 2/10: no consensus
    """
    consultation = ConsultationFactory(voting_method=DELPHI, features=3)
    f1, f2, f3 = consultation.features.order_by("sort_order")
    ratings = {
        Role.PATIENT: [(9, 1, 9), (8, 2, 9), (7, 3, 1), (5, 1, 1)],
        Role.PUBLIC: [(7, 2, 5), (7, 3, 5), (8, 1, 5), (7, 2, 5), (2, 8, 5), (4, 5, 5)],
    }
    for role, people in ratings.items():
        for a, b, c in people:
            add_votes(consultation, MemberFactory(role=role), {f1: a, f2: b, f3: c})
    return consultation


@pytest.mark.django_db
class TestDelphiResults:
    def test_percentages_medians_and_consensus_per_feature(self, delphi_results):
        results = consultation_results(delphi_results)
        rows = rows_by_title(results)

        summary = {
            title: (
                r["rank"],
                r["voters"],
                r["median"],
                pytest.approx(r["high_pct"]),
                pytest.approx(r["low_pct"]),
                r["consensus"],
            )
            for title, r in rows.items()
        }
        assert summary == {
            # sorted 2 4 5 7 7 | 7 7 8 8 9 -> median 7; exactly 70 % is enough
            "Feature 1": (1, 10, 7.0, 70.0, 10.0, "in"),
            # sorted 1 1 5 5 5 | 5 5 5 9 9 -> median 5
            "Feature 3": (2, 10, 5.0, 20.0, 20.0, "none"),
            # sorted 1 1 1 2 2 | 2 3 3 5 8 -> median 2
            "Feature 2": (3, 10, 2.0, 10.0, 80.0, "out"),
        }
        assert str(rows["Feature 1"]["consensus_label"]) == "Agreed: critical"
        assert rows["Feature 1"]["distribution"] == [0, 1, 0, 1, 1, 0, 4, 2, 1]

    def test_percentages_and_medians_per_group(self, delphi_results):
        rows = rows_by_title(consultation_results(delphi_results))

        def group(title, key):
            g = next(g for g in rows[title]["groups"] if g["key"] == key)
            return g["voters"], g["median"], g["high_pct"], g["low_pct"]

        # Patients on feature 1: 5 7 8 9 -> median 7.5, 3/4 critical
        assert group("Feature 1", "patients") == (4, 7.5, 75.0, 0.0)
        # Public on feature 1: 2 4 7 7 7 8 -> median 7, 4/6 critical, 1/6 not important
        assert group("Feature 1", "public") == pytest.approx((6, 7.0, 200 / 3, 100 / 6))
        # Patients on feature 3 split 9 9 1 1 -> median 5; the public all said 5
        assert group("Feature 3", "patients") == (4, 5.0, 50.0, 50.0)
        assert group("Feature 3", "public") == (6, 5.0, 0.0, 0.0)
        # Groups with nobody in them have no median
        assert group("Feature 1", "carers") == (0, None, 0.0, 0.0)

    def test_equal_weights_average_the_group_percentages(self, delphi_results):
        rows = rows_by_title(consultation_results(delphi_results, equal_weights=True))

        # Feature 1: (75 + 66.7) / 2 = 70.8 % critical: the figure the ranking uses, labelled
        # as the average of the groups' percentages; consensus stays COMET's, of everyone.
        assert rows["Feature 1"]["groups_mean_high_pct"] == pytest.approx((75 + 200 / 3) / 2)
        assert rows["Feature 1"]["score"] == pytest.approx((75 + 200 / 3) / 2)
        assert rows["Feature 1"]["high_pct"] == pytest.approx(70.0)
        assert rows["Feature 1"]["consensus"] == "in"
        # Feature 3: patients 50 % critical, public 0 % -> 25 %
        assert rows["Feature 3"]["groups_mean_high_pct"] == pytest.approx(25.0)

    def test_consensus_per_group(self, delphi_results):
        rows = rows_by_title(consultation_results(delphi_results))

        def verdicts(title):
            return {g["key"]: g["consensus"] for g in rows[title]["groups"] if g["voters"]}

        # Feature 1: patients 3/4 = 75 % critical, 0 % not important -> in; public 4/6 = 66.7 %
        # critical -> not agreed, though everyone together (70 %) is in.
        assert verdicts("Feature 1") == {"patients": "in", "public": "none"}
        # Feature 2: patients 4/4 not important, 0 critical -> out; public 4/6 = 66.7 % -> none
        assert verdicts("Feature 2") == {"patients": "out", "public": "none"}

    def test_round_two_results_are_separate_from_round_one(self, delphi_results):
        delphi_results.delphi_round = 2
        delphi_results.save()
        f1 = delphi_results.features.get(title="Feature 1")
        add_votes(delphi_results, MemberFactory(role=Role.CARER), {f1: 2}, vote_round=2)

        round_two = consultation_results(delphi_results)
        round_one = consultation_results(delphi_results, vote_round=1)

        assert round_two["round"] == 2
        assert round_two["participants"] == 1
        assert rows_by_title(round_two)["Feature 1"]["median"] == 2.0
        assert rows_by_title(round_two)["Feature 2"]["median"] is None
        assert round_one["participants"] == 10
        assert rows_by_title(round_one)["Feature 1"]["median"] == 7.0


# --- COMET's consensus definition, worked by hand ------------------------------------------------


@pytest.mark.django_db
class TestCometConsensusWorkedExample:
    """COMET Handbook v1.0 (Williamson et al., Trials 2017;18:280), its definition of consensus:
    "in" when 70 % or more of participants score 7 to 9 and fewer than 15 % score 1 to 3;
    "out" the reverse; "unable to score" is not counted. Worked by hand on ten answers to one
    outcome from seven patients and three carers:

        patients  9 8 8 7 7 2 unable        carers  7 6 unable

    Counted: 8 scores (the two "unable" left out): 7–9 = 9 8 8 7 7 7 = 6 of 8 = 75 %;
    1–3 = 2 = 1 of 8 = 12.5 %. 75 ≥ 70 and 12.5 < 15: consensus in.
    Patients: 6 scores, 7–9 = 5 = 83.3 %, 1–3 = 1 = 16.7 %: 16.7 is not under 15, not agreed.
    Carers: 2 scores, 7–9 = 1 = 50 %: not agreed.
    With a rule of 80 / 20 (the manager's, set before round 1) everyone: 75 < 80, not agreed;
    patients: 83.3 ≥ 80 and 16.7 < 20: in."""

    @pytest.fixture
    def consultation(self, db):
        consultation = ConsultationFactory(voting_method=DELPHI, features=1)
        (feature,) = consultation.features.all()
        unable = Vote.UNABLE_TO_SCORE
        for role, scores in {
            Role.PATIENT: [9, 8, 8, 7, 7, 2, unable],
            Role.CARER: [7, 6, unable],
        }.items():
            for score in scores:
                add_votes(consultation, MemberFactory(role=role), {feature: score})
        return consultation

    def test_everyone_and_each_group_with_the_default_rule(self, consultation):
        (row,) = consultation_results(consultation)["rows"]
        groups = {g["key"]: g for g in row["groups"]}

        assert (row["voters"], row["unable"]) == (8, 2)
        assert row["high_pct"] == pytest.approx(75.0)
        assert row["low_pct"] == pytest.approx(12.5)
        assert row["consensus"] == "in"
        assert (groups["patients"]["voters"], groups["patients"]["unable"]) == (6, 1)
        assert groups["patients"]["high_pct"] == pytest.approx(500 / 6)
        assert groups["patients"]["low_pct"] == pytest.approx(100 / 6)
        assert groups["patients"]["consensus"] == "none"
        assert groups["carers"]["high_pct"] == pytest.approx(50.0)
        assert groups["carers"]["consensus"] == "none"
        # The distribution shown to members: "unable" is not a score.
        assert row["distribution"] == [0, 1, 0, 0, 0, 1, 3, 2, 1]

    def test_the_consultations_own_rule(self, consultation):
        consultation.delphi_consensus_critical = 80
        consultation.delphi_consensus_not_important = 20
        (row,) = consultation_results(consultation)["rows"]
        groups = {g["key"]: g for g in row["groups"]}

        assert row["consensus"] == "none"
        assert groups["patients"]["consensus"] == "in"


# --- Small numbers: groups members see --------------------------------------------------------


@pytest.mark.parametrize(
    ("participants", "expected"),
    [
        # every group 5 or more: each on its own
        ({"patients": 5, "carers": 5}, {"patients": "patients", "carers": "carers"}),
        # a lone carer and 2 of the public pool to 3, under 5: the smallest group shown on
        # its own (professionals, 6) joins them, making 9
        (
            {"patients": 8, "carers": 1, "public": 2, "professionals": 6},
            {
                "patients": "patients",
                "carers": "other",
                "public": "other",
                "professionals": "other",
            },
        ),
        # a lone carer and 4 public pool to 5: enough by themselves
        (
            {"patients": 8, "carers": 1, "public": 4},
            {"patients": "patients", "carers": "other", "public": "other"},
        ),
        # 7 patients and 1 carer: the carer cannot be pooled to 5 without the patients, so
        # everyone is in one pool (members then see no groups at all)
        ({"patients": 7, "carers": 1}, {"patients": "other", "carers": "other"}),
        # groups nobody in took part in are left out
        ({"patients": 5, "carers": 0}, {"patients": "patients"}),
    ],
)
def test_small_groups_are_pooled(participants, expected):
    assert merge_small_groups(participants) == expected


@pytest.mark.django_db
def test_members_see_small_groups_pooled_and_managers_see_them_apart():
    """Five patients and one carer support a feature: the carer's support, shown apart, would
    be read off by anyone who knows who the carer is. Members see no groups (the carer could
    only be pooled with the patients, which is everyone); managers see both."""
    consultation = ConsultationFactory(voting_method=SUPPORT, features=1)
    (feature,) = consultation.features.all()
    for _ in range(5):
        add_votes(consultation, MemberFactory(role=Role.PATIENT), {feature: 1})
    add_votes(consultation, MemberFactory(role=Role.CARER), {feature: 1})

    members = consultation_results(consultation, protect=True)
    managers = consultation_results(consultation)

    assert members["groups"] == []
    assert members["too_few_for_groups"] is True
    assert members["rows"][0]["groups"] == []
    assert members["rows"][0]["total"] == 6
    carers = next(g for g in managers["rows"][0]["groups"] if g["key"] == "carers")
    assert carers["total"] == 1


@pytest.mark.django_db
def test_equal_weights_for_members_use_the_pooled_groups():
    """Support, 5 patients (all support) and 5 others: 1 carer (supports) and 4 public (none).
    Pooled, "other groups" = 1 of 5 = 0.2 per person; equal weights (1.0 + 0.2) / 2 = 0.6.
    Managers, each group: patients 1, carers 1, public 0 -> (1 + 1 + 0) / 3 = 0.667."""
    consultation = ConsultationFactory(voting_method=SUPPORT, features=1)
    (feature,) = consultation.features.all()
    for _ in range(5):
        add_votes(consultation, MemberFactory(role=Role.PATIENT), {feature: 1})
    add_votes(consultation, MemberFactory(role=Role.CARER), {feature: 1})
    others = [MemberFactory(role=Role.PUBLIC) for _ in range(4)]
    second = FeatureFactory(consultation=consultation, title="Feature 2", sort_order=2)
    for person in others:
        add_votes(consultation, person, {second: 1})

    members = consultation_results(consultation, equal_weights=True, protect=True)
    managers = consultation_results(consultation, equal_weights=True)

    assert [g["key"] for g in members["groups"]] == ["patients", "other"]
    assert members["merged_groups"] == ["Carers", "Public"]
    row = next(r for r in members["rows"] if r["feature"] == feature)
    assert row["weighted"] == pytest.approx(0.6)
    row = next(r for r in managers["rows"] if r["feature"] == feature)
    assert row["weighted"] == pytest.approx(2 / 3)


# --- Polls -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_poll_results_counts_and_percentages_of_the_people_who_answered():
    consultation = ConsultationFactory()
    device = PollFactory(
        consultation=consultation,
        question="Which device?",
        allow_other=True,
        choices=["Phone", "Tablet", "Computer"],
        sort_order=0,
    )
    when = PollFactory(
        consultation=consultation,
        question="When?",
        kind=Poll.Kind.MULTIPLE,
        choices=["Morning", "Evening"],
        sort_order=1,
    )
    unanswered = PollFactory(consultation=consultation, question="Unanswered", sort_order=2)
    people = [MemberFactory() for _ in range(4)]
    phone, tablet = device.choices.get(text="Phone"), device.choices.get(text="Tablet")
    morning, evening = when.choices.get(text="Morning"), when.choices.get(text="Evening")
    PollAnswer.objects.create(poll=device, member=people[0], choice=phone)
    PollAnswer.objects.create(poll=device, member=people[1], choice=phone)
    PollAnswer.objects.create(poll=device, member=people[2], choice=tablet)
    PollAnswer.objects.create(poll=device, member=people[3], other_text="A paper diary")
    PollAnswer.objects.create(poll=when, member=people[0], choice=morning)
    PollAnswer.objects.create(poll=when, member=people[0], choice=evening)
    PollAnswer.objects.create(poll=when, member=people[1], choice=evening)

    results = poll_results(consultation)

    assert [r["poll"].question for r in results] == ["Which device?", "When?", "Unanswered"]
    device_result, when_result, unanswered_result = results
    assert device_result["respondents"] == 4
    assert [(c["choice"].text, c["count"], c["pct"]) for c in device_result["choices"]] == [
        ("Phone", 2, 50.0),
        ("Tablet", 1, 25.0),
        ("Computer", 0, 0.0),
    ]
    assert device_result["other"] == ["A paper diary"]
    # Multiple choice: a percentage of people, so they add up to more than 100.
    assert when_result["respondents"] == 2
    assert [(c["choice"].text, c["count"], c["pct"]) for c in when_result["choices"]] == [
        ("Morning", 1, 50.0),
        ("Evening", 2, 100.0),
    ]
    assert unanswered_result["respondents"] == 0
    assert unanswered_result["choices"] == []
    assert unanswered.pk == unanswered_result["poll"].pk
