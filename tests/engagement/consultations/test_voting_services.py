"""cast_votes and open_next_delphi_round (engagement.consultations.services): the voting rules,
method by method, and the database constraints that back them up."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.consultations import services
from engagement.models import Consultation, Member, Vote
from tests.factories.consultations import (
    ConsultationFactory,
    FeatureFactory,
    InvitationFactory,
)
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db

SUPPORT = Consultation.Method.SUPPORT
POINTS = Consultation.Method.POINTS
DELPHI = Consultation.Method.DELPHI


def features_of(consultation):
    return list(consultation.features.order_by("sort_order"))


def my_votes(member, consultation, vote_round=1) -> dict[str, int]:
    """{feature title: value} as stored."""
    return dict(
        Vote.objects.filter(member=member, consultation=consultation, round=vote_round)
        .order_by("feature__sort_order")
        .values_list("feature__title", "value")
    )


def vote(member, consultation, values):
    services.cast_votes(member=member, consultation=consultation, values=values)


# --- Support -----------------------------------------------------------------------------------


class TestSupport:
    def test_one_support_per_feature_and_withdrawable(self, member):
        consultation = ConsultationFactory(voting_method=SUPPORT, features=3)
        f1, f2, f3 = features_of(consultation)

        vote(member, consultation, {f1.pk: 1, f2.pk: 1})
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 2": 1}

        vote(member, consultation, {f1.pk: 0, f3.pk: 1})
        assert my_votes(member, consultation) == {"Feature 2": 1, "Feature 3": 1}

        vote(member, consultation, {f2.pk: None})
        assert my_votes(member, consultation) == {"Feature 3": 1}

    def test_supporting_the_same_feature_twice_counts_once(self, member):
        consultation = ConsultationFactory(voting_method=SUPPORT, features=2)
        f1, _ = features_of(consultation)

        vote(member, consultation, {f1.pk: 1})
        vote(member, consultation, {f1.pk: 1})

        assert Vote.objects.filter(feature=f1).count() == 1
        assert my_votes(member, consultation) == {"Feature 1": 1}

    def test_more_than_one_support_on_a_feature_is_refused(self, member):
        consultation = ConsultationFactory(voting_method=SUPPORT, features=1)
        (f1,) = features_of(consultation)

        with pytest.raises(ValidationError, match="support a feature once"):
            vote(member, consultation, {f1.pk: 2})
        assert my_votes(member, consultation) == {}


# --- Points ------------------------------------------------------------------------------------


class TestPoints:
    def test_default_budget_is_a_quarter_of_the_features_rounded_up(self, member):
        consultation = ConsultationFactory(voting_method=POINTS, features=5)
        f1, f2, f3, *_ = features_of(consultation)
        assert consultation.budget() == 2

        vote(member, consultation, {f1.pk: 1, f2.pk: 1})
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 2": 1}

        with pytest.raises(ValidationError) as error:
            vote(member, consultation, {f3.pk: 1})
        assert error.value.messages == [
            "You have 2 points to spend. These choices add up to 3. "
            "Take some points away and try again."
        ]
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 2": 1}

    def test_explicit_budget(self, member):
        consultation = ConsultationFactory(voting_method=POINTS, points_budget=10, features=5)
        f1, f2, *_ = features_of(consultation)

        vote(member, consultation, {f1.pk: 7, f2.pk: 3})
        assert my_votes(member, consultation) == {"Feature 1": 7, "Feature 2": 3}

        with pytest.raises(ValidationError, match="You have 10 points to spend"):
            vote(member, consultation, {f2.pk: 4})

    def test_over_budget_request_saves_nothing_at_all(self, member):
        consultation = ConsultationFactory(voting_method=POINTS, points_budget=5, features=3)
        f1, f2, f3 = features_of(consultation)
        vote(member, consultation, {f1.pk: 2, f2.pk: 2})

        # Lowering f1 and raising f2 together would add up to 1 + 5 = 6 > 5: neither changes.
        with pytest.raises(ValidationError, match="add up to 6"):
            vote(member, consultation, {f1.pk: 1, f2.pk: 5})
        assert my_votes(member, consultation) == {"Feature 1": 2, "Feature 2": 2}

        # And a new feature in the same refused request is not added either.
        with pytest.raises(ValidationError, match="add up to 7"):
            vote(member, consultation, {f1.pk: 0, f2.pk: 4, f3.pk: 3})
        assert my_votes(member, consultation) == {"Feature 1": 2, "Feature 2": 2}

    def test_negative_points_are_refused(self, member):
        consultation = ConsultationFactory(voting_method=POINTS, points_budget=5, features=2)
        f1, f2 = features_of(consultation)

        # -1 on one feature must not "buy" extra points for another.
        with pytest.raises(ValidationError, match="Points cannot be negative"):
            vote(member, consultation, {f1.pk: -1, f2.pk: 6})
        assert my_votes(member, consultation) == {}

    def test_points_freed_on_one_feature_can_be_spent_on_another(self, member):
        consultation = ConsultationFactory(voting_method=POINTS, points_budget=3, features=3)
        f1, f2, f3 = features_of(consultation)
        vote(member, consultation, {f1.pk: 3})
        with pytest.raises(ValidationError):
            vote(member, consultation, {f2.pk: 2})

        vote(member, consultation, {f1.pk: 1})
        vote(member, consultation, {f2.pk: 2})
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 2": 2}

        # Moving points in one request: the total after the change is what counts.
        vote(member, consultation, {f2.pk: 0, f3.pk: 2})
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 3": 2}

    def test_budgets_are_per_member(self, member):
        consultation = ConsultationFactory(voting_method=POINTS, points_budget=2, features=2)
        f1, _ = features_of(consultation)
        other = MemberFactory()

        vote(member, consultation, {f1.pk: 2})
        vote(other, consultation, {f1.pk: 2})

        assert my_votes(member, consultation) == {"Feature 1": 2}
        assert my_votes(other, consultation) == {"Feature 1": 2}


# --- Delphi ------------------------------------------------------------------------------------


class TestDelphi:
    @pytest.mark.parametrize("rating", [1, 5, 9])
    def test_ratings_one_to_nine_are_stored(self, member, rating):
        consultation = ConsultationFactory(voting_method=DELPHI, features=1)
        (f1,) = features_of(consultation)

        vote(member, consultation, {f1.pk: rating})

        assert my_votes(member, consultation) == {"Feature 1": rating}
        assert Vote.objects.get(member=member).kind == Vote.Kind.RATING

    @pytest.mark.parametrize("rating", [10, 99])
    def test_ratings_above_nine_are_refused(self, member, rating):
        consultation = ConsultationFactory(voting_method=DELPHI, features=1)
        (f1,) = features_of(consultation)
        vote(member, consultation, {f1.pk: 4})

        with pytest.raises(ValidationError, match="rating from 1 to 9"):
            vote(member, consultation, {f1.pk: rating})
        assert my_votes(member, consultation) == {"Feature 1": 4}

    def test_none_removes_a_rating(self, member):
        consultation = ConsultationFactory(voting_method=DELPHI, features=2)
        f1, f2 = features_of(consultation)
        vote(member, consultation, {f1.pk: 8, f2.pk: 2})

        vote(member, consultation, {f1.pk: None})

        assert my_votes(member, consultation) == {"Feature 2": 2}

    def test_unable_to_score_is_kept_as_an_answer(self, member):
        consultation = ConsultationFactory(voting_method=DELPHI, features=2)
        f1, f2 = features_of(consultation)
        vote(member, consultation, {f1.pk: 8, f2.pk: 2})

        vote(member, consultation, {f1.pk: Vote.UNABLE_TO_SCORE})

        assert my_votes(member, consultation) == {"Feature 1": 0, "Feature 2": 2}

    def test_round_two_stores_new_rows_and_keeps_round_one(self, member):
        consultation = ConsultationFactory(voting_method=DELPHI, features=2)
        f1, f2 = features_of(consultation)
        vote(member, consultation, {f1.pk: 3, f2.pk: 9})

        services.open_next_delphi_round(consultation=consultation)
        vote(member, consultation, {f1.pk: 7})

        assert my_votes(member, consultation, vote_round=1) == {"Feature 1": 3, "Feature 2": 9}
        assert my_votes(member, consultation, vote_round=2) == {"Feature 1": 7}
        consultation.refresh_from_db()
        assert consultation.delphi_round == 2

    def test_rounds_open_one_after_another_only_for_delphi_while_open(self, member):
        delphi = ConsultationFactory(voting_method=DELPHI, features=1)
        (f1,) = features_of(delphi)
        with pytest.raises(ValidationError, match="Nobody has answered round 1 yet"):
            services.open_next_delphi_round(consultation=delphi)
        for expected in (2, 3):
            vote(member, delphi, {f1.pk: 5})
            assert services.open_next_delphi_round(consultation=delphi).delphi_round == expected

        with pytest.raises(ValidationError, match="Only Delphi"):
            services.open_next_delphi_round(consultation=ConsultationFactory(voting_method=POINTS))

        closed = ConsultationFactory(voting_method=DELPHI, closed=True)
        with pytest.raises(ValidationError, match="closed"):
            services.open_next_delphi_round(consultation=closed)
        closed.refresh_from_db()
        assert closed.delphi_round == 1

    def test_only_those_who_finished_the_round_before_are_asked(self, member):
        """COMET Handbook: only those who completed a round are asked in the next. Finished
        means answered every feature, "unable to score" counting as an answer."""
        consultation = ConsultationFactory(voting_method=DELPHI, features=2)
        f1, f2 = features_of(consultation)
        finished, half, late = MemberFactory(), MemberFactory(), MemberFactory()
        vote(finished, consultation, {f1.pk: 7, f2.pk: Vote.UNABLE_TO_SCORE})
        vote(half, consultation, {f1.pk: 4})
        services.open_next_delphi_round(consultation=consultation)

        vote(finished, consultation, {f1.pk: 8})
        for outsider in (half, late):
            with pytest.raises(ValidationError, match="Round 2 is for the people who scored"):
                vote(outsider, consultation, {f1.pk: 8})
        assert Vote.objects.filter(round=2).count() == 1

    def test_a_manager_may_let_everyone_into_later_rounds(self, member):
        consultation = ConsultationFactory(
            voting_method=DELPHI, features=2, delphi_open_to_all_rounds=True
        )
        f1, _ = features_of(consultation)
        vote(MemberFactory(), consultation, {f1.pk: 7})
        services.open_next_delphi_round(consultation=consultation)

        vote(member, consultation, {f1.pk: 8})

        assert my_votes(member, consultation, vote_round=2) == {"Feature 1": 8}

    def test_rounds_past_two_are_allowed_by_the_database(self, member):
        consultation = ConsultationFactory(voting_method=DELPHI, features=1)
        Consultation.objects.filter(pk=consultation.pk).update(delphi_round=7)
        (f1,) = features_of(consultation)
        Vote.objects.create(
            consultation=consultation, feature=f1, member=member, kind="rating", value=5, round=7
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Consultation.objects.filter(pk=consultation.pk).update(delphi_round=0)
        with pytest.raises(IntegrityError), transaction.atomic():
            Vote.objects.filter(member=member).update(round=0)


class TestConsensusRule:
    def test_the_comet_default(self):
        assert ConsultationFactory(voting_method=DELPHI).consensus_rule() == (70, 15)

    @pytest.mark.parametrize(
        ("agree", "against", "field", "message"),
        [
            (50, 10, "delphi_consensus_critical", "more than 50%"),
            (70, 70, "delphi_consensus_not_important", "less than the share"),
            (101, 15, "delphi_consensus_critical", "less than or equal to 100"),
            (70, 0, "delphi_consensus_not_important", "greater than or equal to 1"),
        ],
    )
    def test_a_rule_that_makes_no_sense_is_refused(self, agree, against, field, message):
        consultation = ConsultationFactory(voting_method=DELPHI, draft=True)
        consultation.delphi_consensus_critical = agree
        consultation.delphi_consensus_not_important = against
        with pytest.raises(ValidationError) as error:
            consultation.full_clean()
        assert message in " ".join(error.value.message_dict[field])

    def test_editable_before_it_opens_and_locked_after(self):
        consultation = ConsultationFactory(voting_method=DELPHI, draft=True, features=1)
        consultation.delphi_consensus_critical = 80
        consultation.full_clean()
        consultation.save()

        services.open_now(consultation=consultation)
        consultation.refresh_from_db()
        consultation.delphi_consensus_critical = 75
        with pytest.raises(ValidationError) as error:
            consultation.full_clean()
        assert "fixed when it opened" in " ".join(
            error.value.message_dict["delphi_consensus_critical"]
        )


class TestPointsBudgetFixedWhenItOpens:
    def test_adding_a_feature_to_an_open_consultation_does_not_change_the_budget(self, member):
        """A quarter of 4 features is 1 point; a fifth feature would make it 2, but the
        budget was fixed when the consultation was opened."""
        consultation = ConsultationFactory(voting_method=POINTS, features=4, draft=True)
        services.open_now(consultation=consultation)
        consultation.refresh_from_db()
        assert consultation.fixed_points_budget == 1

        FeatureFactory(consultation=consultation, title="Feature 5", sort_order=5)
        f1, f2 = features_of(consultation)[:2]

        assert consultation.budget() == 1
        with pytest.raises(ValidationError, match="You have 1 points to spend"):
            vote(member, consultation, {f1.pk: 1, f2.pk: 1})

    def test_back_to_draft_works_it_out_again(self):
        consultation = ConsultationFactory(
            voting_method=POINTS,
            features=4,
            draft=True,
            upcoming=True,
        )
        services.release(consultation=consultation)
        services.unschedule(consultation=consultation)
        consultation.refresh_from_db()
        assert consultation.fixed_points_budget is None
        FeatureFactory(consultation=consultation, title="Feature 5", sort_order=5)
        assert consultation.budget() == 2

    def test_the_budget_cannot_be_edited_once_it_is_open(self):
        consultation = ConsultationFactory(voting_method=POINTS, points_budget=3, features=4)
        consultation.points_budget = 5
        with pytest.raises(ValidationError) as error:
            consultation.full_clean()
        assert "fixed when it opened" in str(error.value.message_dict["points_budget"])


# --- When, who and what ------------------------------------------------------------------------


class TestOpenWindow:
    def test_votes_can_be_changed_until_close_and_not_after(self, member):
        consultation = ConsultationFactory(
            voting_method=POINTS,
            points_budget=3,
            opens_at=timezone.now() - datetime.timedelta(days=1),
            closes_at=timezone.now() + datetime.timedelta(hours=1),
            features=2,
        )
        f1, f2 = features_of(consultation)
        vote(member, consultation, {f1.pk: 3})
        vote(member, consultation, {f1.pk: 1, f2.pk: 2})
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 2": 2}

        after_close = consultation.closes_at + datetime.timedelta(seconds=1)
        with (
            mock.patch("django.utils.timezone.now", return_value=after_close),
            pytest.raises(ValidationError) as error,
        ):
            vote(member, consultation, {f1.pk: 0, f2.pk: 3})
        closed_on = timezone.localtime(consultation.closes_at).strftime("%-d %B %Y")
        assert error.value.messages == [
            f"This consultation closed on {closed_on}, so answers can no longer be changed."
        ]
        assert my_votes(member, consultation) == {"Feature 1": 1, "Feature 2": 2}

    def test_the_closing_moment_itself_is_closed(self, member):
        consultation = ConsultationFactory(features=1)
        (f1,) = features_of(consultation)
        with (
            mock.patch("django.utils.timezone.now", return_value=consultation.closes_at),
            pytest.raises(ValidationError, match="closed on"),
        ):
            vote(member, consultation, {f1.pk: 1})
        assert my_votes(member, consultation) == {}

    def test_a_consultation_that_has_not_opened_refuses_votes(self, member):
        consultation = ConsultationFactory(upcoming=True, features=1)
        (f1,) = features_of(consultation)

        with pytest.raises(ValidationError, match="has not opened yet"):
            vote(member, consultation, {f1.pk: 1})
        assert my_votes(member, consultation) == {}


class TestWhoCanVote:
    def test_invited_only_refuses_an_uninvited_member_and_accepts_an_invited_one(self, member):
        consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
        (f1,) = features_of(consultation)

        with pytest.raises(ValidationError, match="invited members only"):
            vote(member, consultation, {f1.pk: 1})
        assert my_votes(member, consultation) == {}

        InvitationFactory(consultation=consultation, member=member)
        vote(member, consultation, {f1.pk: 1})
        assert my_votes(member, consultation) == {"Feature 1": 1}

    @pytest.mark.parametrize(
        "status, reason",
        [
            (Member.Status.PENDING, "confirm your email address first"),
            (Member.Status.PAUSED, "Your membership is paused"),
            (Member.Status.WITHDRAWN, "You have left the stakeholder group"),
        ],
    )
    def test_members_who_are_not_active_are_refused(self, status, reason):
        extra = {"user": None} if status == Member.Status.WITHDRAWN else {}
        member = MemberFactory(status=status, **extra)
        consultation = ConsultationFactory(features=1)
        (f1,) = features_of(consultation)

        with pytest.raises(ValidationError, match=reason):
            vote(member, consultation, {f1.pk: 1})
        assert my_votes(member, consultation) == {}

    def test_a_paused_member_is_refused_even_when_invited(self):
        member = MemberFactory(status=Member.Status.PAUSED)
        consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
        InvitationFactory(consultation=consultation, member=member)
        (f1,) = features_of(consultation)

        with pytest.raises(ValidationError, match="Your membership is paused"):
            vote(member, consultation, {f1.pk: 1})
        assert Vote.objects.count() == 0


class TestFeatureBelongsToConsultation:
    def test_a_feature_of_another_consultation_is_refused_and_nothing_saved(self, member):
        consultation = ConsultationFactory(features=1)
        (mine,) = features_of(consultation)
        elsewhere = FeatureFactory(consultation=ConsultationFactory())

        with pytest.raises(ValidationError) as error:
            vote(member, consultation, {mine.pk: 1, elsewhere.pk: 1})
        assert error.value.messages == ["That feature is not part of this consultation."]
        assert Vote.objects.count() == 0


# --- The database as the last line of defence --------------------------------------------------


class TestDatabaseConstraints:
    def _vote(self, member, feature, **kwargs):
        return Vote(consultation=feature.consultation, feature=feature, member=member, **kwargs)

    @pytest.mark.parametrize(
        ("kind", "value"),
        [("rating", 10), ("support", 0), ("support", 2), ("points", 0)],
    )
    def test_a_value_that_does_not_fit_its_kind_cannot_be_stored(self, member, kind, value):
        feature = FeatureFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            self._vote(member, feature, kind=kind, value=value).save()
        assert Vote.objects.count() == 0

    def test_round_zero_cannot_be_stored(self, member):
        feature = FeatureFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            self._vote(member, feature, kind="rating", value=5, round=0).save()

    def test_unable_to_score_is_a_rating_of_0(self, member):
        feature = FeatureFactory()
        self._vote(member, feature, kind="rating", value=Vote.UNABLE_TO_SCORE).save()
        assert Vote.objects.get().value == 0

    def test_two_votes_by_one_member_on_one_feature_in_one_round_cannot_be_stored(self, member):
        feature = FeatureFactory()
        self._vote(member, feature, kind="rating", value=5).save()

        with pytest.raises(IntegrityError), transaction.atomic():
            self._vote(member, feature, kind="rating", value=6).save()

        # The same feature in round 2 is a different row and is allowed.
        self._vote(member, feature, kind="rating", value=6, round=2).save()
        assert sorted(Vote.objects.values_list("round", "value")) == [(1, 5), (2, 6)]
