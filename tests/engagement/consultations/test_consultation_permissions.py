"""Who may take part, vote and see results: each rule per role, by name and through the pages a
person would use, with the bad requests a browser (or someone poking at it) can send."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from engagement.consultations import rules
from engagement.models import Consultation, Member, PollAnswer, Vote
from tests.factories.consultations import (
    ConsultationFactory,
    InvitationFactory,
    PollFactory,
)
from tests.factories.membership import ManagerFactory, MemberFactory, UserFactory
from tests.html import field, field_value, labelled, saved_message, soup, words

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pending", "uninvited", "invited", "manager"]
LIVE = Consultation.Visibility.LIVE
AFTER_CLOSE = Consultation.Visibility.AFTER_CLOSE
MANAGERS = Consultation.Visibility.MANAGERS


def invited_only(**kwargs):
    kwargs.setdefault("features", 2)
    return ConsultationFactory(audience=Consultation.Audience.INVITED, **kwargs)


def person(role: str, consultation: Consultation):
    """The user for a role (AnonymousUser for "anonymous")."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "manager":
        return ManagerFactory()
    if role == "pending":
        member = MemberFactory(pending=True)
        # Even an invitation does not let a member who never confirmed their email take part.
        InvitationFactory(consultation=consultation, member=member)
        return member.user
    member = MemberFactory()
    if role == "invited":
        InvitationFactory(consultation=consultation, member=member)
    return member.user


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user.is_authenticated:
        client.force_login(user)
    return client


def vote_data(consultation) -> dict[str, str]:
    """Support every feature (the form posts "on" for a ticked box)."""
    return {f"feature-{f.pk}": "on" for f in consultation.features.all()}


# --- The rules by name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", False), ("pending", False), ("uninvited", False), ("invited", True)]
    + [("manager", True)],
)
def test_take_part(role, expected):
    consultation = invited_only()
    assert person(role, consultation).has_perm(rules.TAKE_PART, consultation) is expected


def test_take_part_in_an_open_to_all_consultation_needs_only_an_active_member():
    consultation = ConsultationFactory()
    assert MemberFactory().user.has_perm(rules.TAKE_PART, consultation)
    assert not MemberFactory(status=Member.Status.PAUSED).user.has_perm(
        rules.TAKE_PART, consultation
    )


WHEN = {"open": {}, "closed": {"closed": True}, "upcoming": {"upcoming": True}}


@pytest.mark.parametrize(
    ("role", "when", "expected"),
    [(role, "open", role == "invited") for role in ROLES]
    + [(role, "closed", False) for role in ROLES]
    + [(role, "upcoming", False) for role in ROLES],
)
def test_vote(role, when, expected):
    consultation = invited_only(**WHEN[when])
    assert person(role, consultation).has_perm(rules.VOTE, consultation) is expected


SEE_RESULTS_MATRIX = [
    # visibility, closed?, roles that see them
    (LIVE, False, {"invited", "manager"}),
    (LIVE, True, {"invited", "manager"}),
    (AFTER_CLOSE, False, {"manager"}),
    (AFTER_CLOSE, True, {"invited", "manager"}),
    (MANAGERS, False, {"manager"}),
    (MANAGERS, True, {"manager"}),
]


@pytest.mark.parametrize(
    ("visibility", "closed", "role", "expected"),
    [(v, c, role, role in who) for v, c, who in SEE_RESULTS_MATRIX for role in ROLES],
)
def test_see_results(visibility, closed, role, expected):
    consultation = invited_only(results_visibility=visibility, closed=closed)
    assert person(role, consultation).has_perm(rules.SEE_RESULTS, consultation) is expected


# --- The consultation page ---------------------------------------------------------------------


CANNOT_TAKE_PART = {
    "pending": "Please confirm your email address first, using the link we sent you.",
    "uninvited": "This consultation is for invited members only.",
    "paused": "Your membership is paused, so you cannot take part at the moment.",
    "not a member": "Only members of the stakeholder group can take part.",
}


class TestConsultationPage:
    def test_anonymous_is_sent_to_sign_in(self):
        consultation = invited_only()
        response = Client().get(consultation.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={consultation.get_absolute_url()}"

    @pytest.mark.parametrize("role", ["pending", "uninvited"])
    def test_members_who_cannot_take_part_get_a_friendly_403(self, role):
        consultation = invited_only(title="Alerts in the app")
        response = client_for(person(role, consultation)).get(consultation.get_absolute_url())

        assert response.status_code == 403
        html = response.content.decode()
        assert "Alerts in the app" in html
        assert CANNOT_TAKE_PART[role] in html
        assert 'href="/me/"' in html
        assert "Save my votes" not in html
        assert "Feature 1" not in html

    @pytest.mark.parametrize("who", ["paused", "not a member"])
    def test_open_to_all_says_why_someone_cannot_take_part(self, who):
        consultation = ConsultationFactory(features=1)
        paused = who == "paused"
        client = client_for(
            MemberFactory(status=Member.Status.PAUSED).user if paused else UserFactory()
        )

        page = client.get(consultation.get_absolute_url())
        vote = client.post(f"/consultations/{consultation.slug}/vote/", vote_data(consultation))

        for response in (page, vote):
            assert response.status_code == 403
            assert CANNOT_TAKE_PART[who] in response.content.decode()
        assert Vote.objects.count() == 0

    def test_an_invited_member_sees_the_features_and_can_vote(self):
        consultation = invited_only(title="Alerts in the app")
        response = client_for(person("invited", consultation)).get(consultation.get_absolute_url())

        assert response.status_code == 200
        html = response.content.decode()
        assert "Feature 1" in html and "Feature 2" in html
        assert "Save my votes" in html

    def test_a_manager_sees_the_page_without_a_vote_button(self):
        consultation = invited_only(title="Alerts in the app")
        response = client_for(person("manager", consultation)).get(consultation.get_absolute_url())

        assert response.status_code == 200
        html = response.content.decode()
        assert "Feature 1" in html
        assert "Save my votes" not in html

    def test_an_unknown_consultation_is_a_404(self):
        response = client_for(MemberFactory().user).get("/consultations/no-such-thing/")
        assert response.status_code == 404


# --- Voting through the page -------------------------------------------------------------------


class TestVotePost:
    def url(self, consultation):
        return f"/consultations/{consultation.slug}/vote/"

    def test_anonymous_is_sent_to_sign_in_and_nothing_is_saved(self):
        consultation = invited_only()
        response = Client().post(self.url(consultation), vote_data(consultation))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert Vote.objects.count() == 0

    @pytest.mark.parametrize("role", ["pending", "uninvited"])
    def test_members_who_cannot_take_part_are_refused(self, role):
        consultation = invited_only()
        response = client_for(person(role, consultation)).post(
            self.url(consultation), vote_data(consultation)
        )
        assert response.status_code == 403
        assert CANNOT_TAKE_PART[role] in response.content.decode()
        assert Vote.objects.count() == 0

    def test_an_invited_member_votes_and_is_told_until_when_they_can_change_it(self):
        consultation = invited_only()
        user = person("invited", consultation)
        client = client_for(user)

        response = client.post(self.url(consultation), vote_data(consultation), follow=True)

        # Back to the votes, opening on the confirmation beside them (not at the page's top).
        assert response.redirect_chain == [(consultation.get_absolute_url() + "#vote-saved", 302)]
        message = saved_message(response, "vote")
        assert message.startswith("Your votes are saved. You can change them until")
        assert labelled(response, "vote-heading").find(id="vote-saved") is not None
        assert Vote.objects.filter(member=user.member).count() == 2

    def test_a_manager_without_a_member_profile_cannot_vote(self):
        consultation = invited_only()
        response = client_for(person("manager", consultation)).post(
            self.url(consultation), vote_data(consultation)
        )
        assert response.status_code == 400
        assert "Only members of the stakeholder group can take part." in response.content.decode()
        assert Vote.objects.count() == 0

    def test_closed_consultation_says_when_it_closed_and_saves_nothing(self):
        consultation = invited_only(closed=True)
        response = client_for(person("invited", consultation)).post(
            self.url(consultation), vote_data(consultation)
        )

        assert response.status_code == 400
        closed_on = f"{timezone.localtime(consultation.closes_at):%-d %B %Y}"
        html = response.content.decode()
        assert f"This consultation closed on {closed_on}" in html
        assert Vote.objects.count() == 0

    def test_a_consultation_not_yet_open_saves_nothing(self):
        consultation = invited_only(upcoming=True)
        response = client_for(person("invited", consultation)).post(
            self.url(consultation), vote_data(consultation)
        )
        assert response.status_code == 400
        assert "This consultation has not opened yet." in response.content.decode()
        assert Vote.objects.count() == 0

    def test_a_missing_csrf_token_gets_the_friendly_page_and_saves_nothing(self):
        consultation = ConsultationFactory(features=2)
        client = client_for(MemberFactory().user, enforce_csrf_checks=True)

        response = client.post(self.url(consultation), vote_data(consultation))

        assert response.status_code == 403
        html = response.content.decode()
        assert "Your form had expired" in html
        assert "Nothing was saved from that form." in html
        assert Vote.objects.count() == 0

    def test_the_page_form_carries_a_csrf_token_that_works(self):
        consultation = ConsultationFactory(features=2)
        client = client_for(MemberFactory().user, enforce_csrf_checks=True)
        page = client.get(consultation.get_absolute_url())
        token = page.context["csrf_token"]

        response = client.post(
            self.url(consultation), {**vote_data(consultation), "csrfmiddlewaretoken": token}
        )

        assert response.status_code == 302
        assert Vote.objects.count() == 2

    def test_a_forged_feature_field_is_refused_and_nothing_saved(self):
        consultation = ConsultationFactory(features=2)
        client = client_for(MemberFactory().user)

        response = client.post(
            self.url(consultation), {**vote_data(consultation), "feature-999999": "on"}
        )

        assert response.status_code == 400
        assert "That feature is not part of this consultation." in response.content.decode()
        assert Vote.objects.count() == 0

    def test_non_numeric_points_get_an_error_next_to_that_feature(self):
        consultation = ConsultationFactory(
            voting_method=Consultation.Method.POINTS, points_budget=5, features=2
        )
        f1, f2 = consultation.features.order_by("sort_order")
        client = client_for(MemberFactory().user)

        response = client.post(
            self.url(consultation), {f"feature-{f1.pk}": "abc", f"feature-{f2.pk}": "3"}
        )

        assert response.status_code == 400
        html = response.content.decode()
        first = _feature_block(html, f1.pk)
        second = _feature_block(html, f2.pk)
        error = first.find(id=f"id_feature-{f1.pk}-error")
        assert "Enter a whole number, like 2" in words(error)
        assert field(first, f"feature-{f1.pk}")["aria-invalid"] == "true"
        assert not second.select(".error-message")
        assert field_value(second, f"feature-{f2.pk}") == "3"  # the other answer is still there
        assert Vote.objects.count() == 0

    def test_a_delphi_rating_of_ten_gets_an_error_next_to_that_feature(self):
        consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=2)
        f1, f2 = consultation.features.order_by("sort_order")
        response = client_for(MemberFactory().user).post(
            self.url(consultation), {f"feature-{f1.pk}": "10", f"feature-{f2.pk}": "7"}
        )

        assert response.status_code == 400
        html = response.content.decode()
        assert "Choose a rating from 1 to 9" in words(_feature_block(html, f1.pk))
        assert field_value(html, f"feature-{f2.pk}") == "7"
        assert Vote.objects.count() == 0

    def test_points_over_budget_are_explained_and_nothing_saved(self):
        consultation = ConsultationFactory(
            voting_method=Consultation.Method.POINTS, points_budget=3, features=2
        )
        f1, f2 = consultation.features.order_by("sort_order")
        response = client_for(MemberFactory().user).post(
            self.url(consultation), {f"feature-{f1.pk}": "2", f"feature-{f2.pk}": "2"}
        )
        assert response.status_code == 400
        assert "You have 3 points to spend. These choices add up to 4." in (
            response.content.decode()
        )
        assert Vote.objects.count() == 0

    def test_the_reason_opens_the_page_above_the_screens_and_features(self):
        """On a phone the page opens at the top: the problem must be said there, not a long
        scroll down by the Save button."""
        consultation = ConsultationFactory(
            voting_method=Consultation.Method.POINTS, points_budget=3, features=2
        )
        f1, f2 = consultation.features.order_by("sort_order")
        response = client_for(MemberFactory().user).post(
            self.url(consultation), {f"feature-{f1.pk}": "2", f"feature-{f2.pk}": "2"}
        )
        html = response.content.decode()

        assert "<title>Error: " in html
        assert html.index('class="error-summary"') < html.index('id="vote"')
        assert html.index("These choices add up to 4.") < html.index('id="vote"')


def _feature_block(html: str, feature_id: int):
    """One feature's item on the consultation page, parsed."""
    block = soup(html).find("li", class_="feature", id=f"feature-{feature_id}")
    assert block is not None, f"no feature {feature_id} on the page"
    return block


# --- Answering a poll through the page ---------------------------------------------------------


class TestPollPost:
    def url(self, poll):
        return f"/consultations/{poll.consultation.slug}/polls/{poll.pk}/"

    def data(self, poll, text):
        return {f"poll-{poll.pk}-choice": str(poll.choices.get(text=text).pk)}

    def test_an_invited_member_answers_and_can_change_the_answer(self):
        poll = PollFactory(consultation=invited_only(), choices=["Phone", "Tablet"])
        client = client_for(person("invited", poll.consultation))

        first = client.post(self.url(poll), self.data(poll, "Phone"))
        second = client.post(self.url(poll), self.data(poll, "Tablet"))

        assert first.status_code == second.status_code == 302
        assert list(PollAnswer.objects.values_list("choice__text", flat=True)) == ["Tablet"]

    def test_the_saved_answer_is_confirmed_inside_its_own_poll(self):
        consultation = invited_only()
        poll = PollFactory(consultation=consultation, choices=["Phone", "Tablet"])
        other = PollFactory(consultation=consultation, choices=["Yes", "No"])
        client = client_for(person("invited", consultation))

        response = client.post(self.url(poll), self.data(poll, "Phone"), follow=True)

        saved_at = f"poll-{poll.pk}-saved"
        assert response.redirect_chain == [(consultation.get_absolute_url() + "#" + saved_at, 302)]
        assert saved_message(response, f"poll-{poll.pk}") == "Your answer is saved."
        page = soup(response)
        assert page.find(id=f"poll-{poll.pk}").find(id=saved_at) is not None
        assert page.find(id=f"poll-{other.pk}-saved") is None

    @pytest.mark.parametrize("role", ["pending", "uninvited"])
    def test_members_who_cannot_take_part_are_refused(self, role):
        poll = PollFactory(consultation=invited_only(), choices=["Phone"])
        response = client_for(person(role, poll.consultation)).post(
            self.url(poll), self.data(poll, "Phone")
        )
        assert response.status_code == 403
        assert PollAnswer.objects.count() == 0

    def test_a_poll_of_another_consultation_is_a_404(self):
        poll = PollFactory(choices=["Phone"])
        elsewhere = ConsultationFactory()
        response = client_for(MemberFactory().user).post(
            f"/consultations/{elsewhere.slug}/polls/{poll.pk}/", self.data(poll, "Phone")
        )
        assert response.status_code == 404
        assert PollAnswer.objects.count() == 0

    def test_no_answer_gets_an_error_and_saves_nothing(self):
        poll = PollFactory(choices=["Phone"])
        response = client_for(MemberFactory().user).post(self.url(poll), {})
        assert response.status_code == 400
        assert "Choose an answer" in response.content.decode()
        assert PollAnswer.objects.count() == 0


# --- The results page --------------------------------------------------------------------------


class TestResultsPage:
    def url(self, consultation):
        return f"/consultations/{consultation.slug}/results/"

    def test_anonymous_is_sent_to_sign_in(self):
        consultation = invited_only()
        response = Client().get(self.url(consultation))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    @pytest.mark.parametrize(
        ("visibility", "closed", "role", "sees", "expected_status"),
        [
            # Someone it is for whose results are not out yet gets a normal page (200) saying
            # so; only those it is not for are refused (403).
            (v, c, role, role in who, 200 if role in who or role == "invited" else 403)
            for v, c, who in SEE_RESULTS_MATRIX
            for role in ROLES
            if role != "anonymous"
        ],
    )
    def test_who_sees_results(self, visibility, closed, role, sees, expected_status):
        consultation = invited_only(results_visibility=visibility, closed=closed)
        response = client_for(person(role, consultation)).get(self.url(consultation))

        assert response.status_code == expected_status
        html = response.content.decode()
        if sees:
            assert f"Results: {consultation.title}" in html
            assert "Supports for each feature" in html
        else:
            assert "Supports for each feature" not in html

    def test_after_close_says_when_results_will_be_shown(self):
        consultation = invited_only(results_visibility=AFTER_CLOSE)
        response = client_for(person("invited", consultation)).get(self.url(consultation))

        assert response.status_code == 200  # a normal page, not a refusal
        closes_on = f"{timezone.localtime(consultation.closes_at):%-d %B %Y}"
        assert (
            f"Results will be shown here after the consultation closes on {closes_on}."
            in response.content.decode()
        )

    def test_managers_only_says_results_are_not_shared(self):
        consultation = invited_only(results_visibility=MANAGERS, closed=True)
        response = client_for(person("invited", consultation)).get(self.url(consultation))

        assert response.status_code == 200
        assert "not shared on the website" in response.content.decode()

    def test_someone_it_is_not_for_is_refused(self):
        consultation = invited_only(results_visibility=AFTER_CLOSE)
        response = client_for(person("uninvited", consultation)).get(self.url(consultation))

        assert response.status_code == 403
        assert "This consultation is for invited members only." in response.content.decode()
        assert "Results will be shown" not in response.content.decode()

    def test_the_consultation_page_links_to_results_only_when_they_can_be_seen(self):
        live = invited_only(results_visibility=LIVE)
        hidden = invited_only(results_visibility=AFTER_CLOSE)
        member = MemberFactory()
        for c in (live, hidden):
            InvitationFactory(consultation=c, member=member)
        client = client_for(member.user)

        assert "See the results so far" in client.get(live.get_absolute_url()).content.decode()
        assert "See the results so far" not in (
            client.get(hidden.get_absolute_url()).content.decode()
        )


@pytest.mark.parametrize("junk", ["²", "٣", "1,²,x"])
def test_ids_written_in_other_digits_are_ignored_not_a_server_error(junk):
    consultation = ConsultationFactory(features=2)
    client = client_for(MemberFactory().user)

    response = client.post(
        f"/consultations/{consultation.slug}/vote/",
        {**vote_data(consultation), "shown": junk},
    )

    assert response.status_code == 302
    assert Vote.objects.count() == 2
