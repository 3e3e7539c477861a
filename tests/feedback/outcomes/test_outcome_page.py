"""A "you said, we did" page: what it says the consultation found matches the consultation's own
results (who voted, by stakeholder group; the top features with each group counted equally;
Delphi consensus; the SUS score; questions reworded and dropped), each change is listed with the
feedback behind it and the app version where it landed, and no member is named."""

import pytest
from django.test import Client

from engagement.consultations import selectors
from engagement.models import Consultation, Role
from feedback.models import Item
from tests.conftest import fresh, rows_for_the_scope
from tests.factories.cms import build_site
from tests.factories.consultations import (
    ConsultationFactory,
    FeatureFactory,
    PollFactory,
    add_votes,
)
from tests.factories.feedback import (
    QuestionnaireFactory,
    bulk_prototype_reviews,
    items_of,
    review_all,
)
from tests.factories.membership import MemberFactory
from tests.factories.outcomes import answer, outcome_index, outcome_page, vote_for
from tests.html import soup

pytestmark = pytest.mark.django_db


def findings(response) -> list[str]:
    section = soup(response).find(attrs={"aria-labelledby": "heard-heading"})
    return [li.get_text(" ", strip=True) for li in section.find_all("li")]


def changes(response) -> list:
    section = soup(response).find(attrs={"aria-labelledby": "changed-heading"})
    return section.select("ol > li")


@pytest.fixture(scope="class")
def shared(django_db_setup, django_db_blocker):
    """The site and the votes below, built once for the tests of TestAfterTheVote."""
    with rows_for_the_scope(django_db_blocker):
        tree = build_site()
        yield {"tree": tree, "voting": make_voting(tree)}


def make_voting(site_tree):
    """A support consultation about the prototype: 3 patients, 2 carers, 1 member of the
    public and 1 clinician voted. Raw totals put "Symptom diary" first (4 supports, mostly
    patients); counting each group equally puts "Contact my care team" first (every public
    and professional voter supports it)."""
    consultation = ConsultationFactory(
        title="What should the app do first?",
        summary="Choose the features that matter most.",
        prototype=site_tree["prototype"],
    )
    names = ["Symptom diary", "Contact my care team", "Medicine reminders", "Step counter"]
    features = {}
    for order, name in enumerate(names):
        features[name] = FeatureFactory(consultation=consultation, title=name, sort_order=order)
    people = {
        "patients": [
            MemberFactory(role=Role.PATIENT, display_name=f"Patricia Patient{i}") for i in range(3)
        ],
        "carers": [MemberFactory(role=Role.CARER, display_name=f"Carl Carer{i}") for i in range(2)],
        "public": [MemberFactory(role=Role.PUBLIC, display_name="Polly Public")],
        "professionals": [MemberFactory(role=Role.CLINICIAN, display_name="Dr Clara Clinician")],
    }
    for patient in people["patients"]:
        vote_for(patient, consultation, features["Symptom diary"])
    vote_for(people["patients"][0], consultation, features["Medicine reminders"])
    vote_for(people["carers"][0], consultation, features["Symptom diary"])
    vote_for(people["carers"][1], consultation, features["Step counter"])
    vote_for(people["public"][0], consultation, features["Contact my care team"])
    vote_for(people["professionals"][0], consultation, features["Contact my care team"])
    poll = PollFactory(
        consultation=consultation,
        question="Where would you use the app?",
        choices=["At home", "In hospital"],
    )
    answer(people["patients"][0], poll, "At home")
    answer(people["carers"][0], poll, "At home")
    answer(people["public"][0], poll, "In hospital")
    return {"consultation": consultation, "features": features, "people": people}


class TestAfterTheVote:
    """The outcome page of the support consultation in `make_voting` (built once for the class)."""

    @pytest.fixture
    def site_tree(self, shared, db):
        return fresh(shared["tree"])

    @pytest.fixture
    def voting(self, shared, db):
        return fresh(shared["voting"])

    def test_findings_say_who_voted_by_stakeholder_group_and_the_fairly_weighted_top_features(
        self, site_tree, voting, settings
    ):
        settings.SMALL_NUMBER_THRESHOLD = 1  # every group shown, to check the arithmetic
        consultation = voting["consultation"]
        page = outcome_page(outcome_index(site_tree["home"]), consultation)

        lines = findings(Client().get(page.url))

        assert (
            "7 people voted on the app's features "
            "(patients: 3, carers: 2, public: 1, professionals: 1)." in lines
        )
        # Equal weighting: Contact my care team (public 1.0, professionals 1.0 → 0.5) beats
        # Symptom diary (patients 1.0, carers 0.5 → 0.375), then Step counter (carers 0.5 → 0.125).
        assert (
            "Top features, each stakeholder group counted equally: "
            "Contact my care team; Symptom diary; Step counter." in lines
        )
        # ... the same order the consultation's results give with equal weights, not the raw totals.
        fair = selectors.consultation_results(consultation, equal_weights=True)["rows"]
        raw = selectors.consultation_results(consultation)["rows"]
        assert [r["feature"].title for r in fair[:3]] == [
            "Contact my care team",
            "Symptom diary",
            "Step counter",
        ]
        assert raw[0]["feature"].title == "Symptom diary"
        assert "“Where would you use the app?” – most said “At home” (67% of 3)." in lines

    def test_groups_too_small_to_show_are_not_named(self, site_tree, voting):
        """The page is public: with fewer than 5 people in every group (patients 3, carers 2,
        public 1, professionals 1) no group is shown, so the lone professional's vote cannot be
        read off it, and "each group counted equally" is not claimed of one pooled group."""
        page = outcome_page(outcome_index(site_tree["home"]), voting["consultation"])

        lines = findings(Client().get(page.url))

        assert "7 people voted on the app's features." in lines
        assert not any("professionals" in line or "carers" in line for line in lines)
        assert not any("counted equally" in line for line in lines)
        assert any(line.startswith("Top features: ") for line in lines)

    def test_the_findings_follow_the_votes_when_they_change(self, site_tree, voting, settings):
        """The page reads the results live: a vote counted after publishing shows on the page."""
        settings.SMALL_NUMBER_THRESHOLD = 1
        consultation = voting["consultation"]
        page = outcome_page(outcome_index(site_tree["home"]), consultation)
        late = MemberFactory(role=Role.RESEARCHER)
        vote_for(late, consultation, voting["features"]["Medicine reminders"])

        lines = findings(Client().get(page.url))

        assert (
            "8 people voted on the app's features "
            "(patients: 3, carers: 2, public: 1, professionals: 2)." in lines
        )

    def test_findings_give_the_sus_score_when_the_prototype_was_reviewed(self, site_tree, voting):
        """SUS answers for scores 75, 100 and 50, twice each (Brooke 1996 scoring, tests/feedback/
        prototypes/test_sus.py): a mean of 75; deviations 0, ±25 four times, so sd = √(2500 / 5)
        = 22.36 and the 95 % interval is 75 ± t(5) × 22.36 / √6 = 75 ± 2.571 × 9.129 = 75 ± 23.5,
        51.5 to 98.5. 75 is nearest Bangor, Kortum and Miller's (2009) mean for "good" (71.4;
        "excellent" is 85.5)."""
        bulk_prototype_reviews(
            site_tree["prototype"],
            6,
            scores=[[4, 2, 4, 2, 4, 2, 4, 2, 4, 2], [5, 1, 5, 1, 5, 1, 5, 1, 5, 1], [3] * 10],
            consultation=voting["consultation"],
        )
        page = outcome_page(outcome_index(site_tree["home"]), voting["consultation"])

        lines = findings(Client().get(page.url))

        assert (
            "6 people rated how easy the app is to use, with the ten statements of the System "
            "Usability Scale. Their average score was 75 out of 100 (with this many people, the "
            "true average is probably between 52 and 98)." in lines
        )
        assert (
            "For comparison, the average score across about 500 studies of many kinds of "
            "products is 68 (Sauro 2011)." in lines
        )
        assert (
            "In a study of many products, people who called a product “good” gave it 71.4 on "
            "average, the nearest to this score (Bangor, Kortum and Miller 2009)." in lines
        )
        assert not any("average for apps" in line for line in lines)

    def test_reviews_sent_in_another_consultation_are_not_this_ones(self, site_tree, voting):
        """The issue's demo case: the same prototype version in two consultations, the reviews
        all sent in the other one. This consultation reports no SUS; the other reports them."""
        other = ConsultationFactory(prototype=site_tree["prototype"], slug="other")
        bulk_prototype_reviews(site_tree["prototype"], 10, consultation=other)
        index = outcome_index(site_tree["home"])
        mine = outcome_page(index, voting["consultation"])
        theirs = outcome_page(index, other, slug="other-outcome")

        assert not any("rated how easy" in line for line in findings(Client().get(mine.url)))
        assert any(
            line.startswith("10 people rated how easy")
            for line in findings(Client().get(theirs.url))
        )

    def test_no_sus_line_without_submitted_prototype_reviews(self, site_tree, voting):
        page = outcome_page(outcome_index(site_tree["home"]), voting["consultation"])

        lines = findings(Client().get(page.url))

        assert not any("rated how easy" in line for line in lines)

    def test_findings_count_the_questions_reworded_and_dropped(self, site_tree, voting):
        consultation = voting["consultation"]
        questionnaire = QuestionnaireFactory(
            consultation=consultation, title="Recovery after CAR-T", items=6
        )
        review_all(voting["people"]["patients"][0], questionnaire)
        review_all(voting["people"]["carers"][0], questionnaire)
        review_all(voting["people"]["public"][0], questionnaire, submit=False)  # not sent
        decisions = ["revise", "revise", "drop", "keep", "keep", ""]
        for item, decision in zip(items_of(questionnaire), decisions, strict=True):
            Item.objects.filter(pk=item.pk).update(
                decision=decision, revised_wording="New words" if decision == "revise" else ""
            )
        page = outcome_page(outcome_index(site_tree["home"]), consultation)

        lines = findings(Client().get(page.url))

        assert "2 people checked the questions of “Recovery after CAR-T (v1)”." in lines
        assert "Because of this, 2 questions were reworded and 1 dropped." in lines

    def test_each_change_lists_the_feedback_behind_it_and_the_app_version(self, site_tree, voting):
        consultation = voting["consultation"]
        features = voting["features"]
        prototype = site_tree["prototype"]
        screen = prototype.screens.get(title="Home screen")
        questionnaire = QuestionnaireFactory(
            consultation=consultation, items=["How tired are you?"]
        )
        item = items_of(questionnaire)[0]
        page = outcome_page(
            outcome_index(site_tree["home"]),
            consultation,
            changes=[
                {
                    "title": "The symptom diary is on the home screen",
                    "description": "Two taps to record how you feel.",
                    "app_version": prototype,
                    "features": [features["Symptom diary"], features["Medicine reminders"]],
                    "items": [item],
                    "screens": [screen],
                    "quote": "I want to note my symptoms quickly.",
                },
                {
                    "title": "A button to call your care team",
                    "features": [features["Contact my care team"]],
                },
            ],
        )

        response = Client().get(page.url)

        assert response.status_code == 200
        first, second = changes(response)
        assert first.h3.get_text(strip=True) == "The symptom diary is on the home screen"
        because = [li.get_text(" ", strip=True) for li in first.select("ul > li")]
        assert because == [
            "your votes on “Symptom diary”",
            "your votes on “Medicine reminders”",
            "your feedback on the question “How tired are you?”",
            "your comments on the “Home screen” screen",
        ]
        assert "Two taps to record how you feel." in first.get_text()
        assert "I want to note my symptoms quickly." in first.blockquote.get_text()
        version_link = first.find("a", string="PRO-CAR-T app v0.3")
        assert version_link is not None
        assert version_link["href"] == prototype.url
        assert Client().get(version_link["href"]).status_code == 200

        assert second.h3.get_text(strip=True) == "A button to call your care team"
        assert [li.get_text(" ", strip=True) for li in second.select("ul > li")] == [
            "your votes on “Contact my care team”"
        ]
        assert second.find("a") is None  # no app version yet, so no link

    def test_a_page_without_changes_says_the_work_goes_on(self, site_tree, voting):
        page = outcome_page(outcome_index(site_tree["home"]), voting["consultation"])

        response = Client().get(page.url)

        assert changes(response) == []
        assert "We are still working on the changes." in soup(response).get_text()

    def test_no_member_is_named_anywhere_on_the_page(self, site_tree, voting):
        consultation = voting["consultation"]
        bulk_prototype_reviews(site_tree["prototype"], 2, consultation=consultation)
        questionnaire = QuestionnaireFactory(consultation=consultation, items=2)
        review_all(voting["people"]["patients"][1], questionnaire)
        page = outcome_page(
            outcome_index(site_tree["home"]),
            consultation,
            changes=[{"title": "Bigger text", "features": list(voting["features"].values())}],
        )
        everyone = [m for group in voting["people"].values() for m in group]

        text = Client().get(page.url).content.decode()

        assert "7 people voted" in text  # the findings are there...
        for member in everyone:  # ... but nobody's name or email
            assert member.display_name not in text
            assert member.user.email not in text
            assert member.user.first_name not in text
        assert "Reviewer " not in text and "@example.org" not in text

    def test_the_index_lists_published_outcomes_only(self, site_tree, voting):
        index = outcome_index(site_tree["home"])
        live = outcome_page(index, voting["consultation"], title="What the app does first")
        outcome_page(
            index, ConsultationFactory(), title="Still a draft", slug="draft-outcome", publish=False
        )

        response = Client().get(index.url)

        titles = [a.get_text(strip=True) for a in soup(response).select(".card__title a")]
        assert titles == ["What the app does first"]
        assert soup(response).select_one(".card__title a")["href"] == live.url


def test_delphi_findings_list_the_features_agreed_as_critical(site_tree, settings):
    """The COMET Handbook's default rule (Williamson et al. 2017): 70 % or more score 7-9 and
    under 15 % score 1-3. Feature 1: 6 of 6 score 7-9 (100 %), none 1-3."""
    settings.SMALL_NUMBER_THRESHOLD = 1  # the groups named, to check the counts
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=3)
    first, second, third = consultation.features.order_by("sort_order")
    # Feature 1: everyone rates 8 → consensus in. Feature 2: split → no consensus.
    # Feature 3: mostly 2 → consensus out (not "agreed as critical").
    ratings = {
        Role.PATIENT: [(8, 8, 2)] * 3,
        Role.CARER: [(9, 3, 1)] * 2,
        Role.CLINICIAN: [(7, 5, 2)],
    }
    for role, rows in ratings.items():
        for a, b, c in rows:
            add_votes(consultation, MemberFactory(role=role), {first: a, second: b, third: c})
    page = outcome_page(outcome_index(site_tree["home"]), consultation)

    lines = findings(Client().get(page.url))

    results = selectors.consultation_results(consultation, equal_weights=True)
    agreed = [r["feature"].title for r in results["rows"] if r["consensus"] == "in"]
    assert agreed == ["Feature 1"]
    assert (
        "Agreed as critical (70% or more scored it 7 to 9 and under 15% scored it 1 to 3): "
        "Feature 1." in lines
    )
    assert not any("Feature 3" in line and "Agreed" in line for line in lines)
    assert "6 people voted on the app's features (patients: 3, carers: 2, professionals: 1)." in (
        lines
    )


def test_one_person_is_one_person(site_tree):
    """Findings about a single person read as plain English ("1 person", not "1 people")."""
    consultation = ConsultationFactory(prototype=site_tree["prototype"], features=2)
    member = MemberFactory(role=Role.CARER)
    vote_for(member, consultation, consultation.features.order_by("sort_order").first())
    questionnaire = QuestionnaireFactory(
        consultation=consultation, title="Recovery after CAR-T", items=2
    )
    review_all(member, questionnaire)
    first, second = items_of(questionnaire)
    Item.objects.filter(pk=first.pk).update(decision="revise", revised_wording="New words")
    Item.objects.filter(pk=second.pk).update(decision="drop")
    bulk_prototype_reviews(
        site_tree["prototype"], 1, scores=[[4, 2] * 5], consultation=consultation
    )
    page = outcome_page(outcome_index(site_tree["home"]), consultation)

    lines = findings(Client().get(page.url))

    assert "1 person voted on the app's features." in lines  # not "(carers: 1)": that is them
    assert "1 person checked the questions of “Recovery after CAR-T (v1)”." in lines
    assert "Because of this, 1 question was reworded and 1 dropped." in lines
    # One person's SUS score is theirs: fewer than 5 are not shown (small numbers).
    assert (
        "Fewer than 5 people rated how easy the app is to use, too few to show their score "
        "without it pointing at someone." in lines
    )
    assert not any("out of 100" in line for line in lines)
