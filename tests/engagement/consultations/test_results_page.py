"""The members' results page: small stakeholder groups pooled, plain words, the consensus rule
stated, attrition per round (engagement.consultations.views.consultation_results)."""

import pytest
from django.test import Client

from engagement.consultations import services
from engagement.models import Consultation, Role, Vote
from tests.factories.consultations import ConsultationFactory
from tests.factories.membership import MemberFactory
from tests.html import captioned, soup, table_rows, words

pytestmark = pytest.mark.django_db


def results(consultation, user):
    client = Client()
    client.force_login(user)
    return client.get(f"/consultations/{consultation.slug}/results/")


@pytest.fixture
def delphi():
    """Six patients score feature 1 with 8 (one of them "unable to score" feature 2, the rest
    2); five of the public 7 and 3; one carer 1 and 9. Round 2: four patients and the carer
    again (all finished round 1).

    Members: the lone carer is pooled with the public as "Other groups" (6 people): feature 1
    scored 7–9 by 5 of 6 = 83 %, 1–3 by 1 of 6 = 17 %: not agreed; patients 100 %: agreed
    critical; everyone 11 of 12 = 92 % and 1 of 12 = 8 %: agreed critical."""
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=2)
    f1, f2 = consultation.features.order_by("sort_order")
    patients = [MemberFactory(role=Role.PATIENT) for _ in range(6)]
    public = [MemberFactory(role=Role.PUBLIC) for _ in range(5)]
    carer = MemberFactory(role=Role.CARER)
    for i, p in enumerate(patients):
        values = {f1.pk: 8, f2.pk: Vote.UNABLE_TO_SCORE if i == 0 else 2}
        services.cast_votes(member=p, consultation=consultation, values=values)
    for p in public:
        services.cast_votes(member=p, consultation=consultation, values={f1.pk: 7, f2.pk: 3})
    services.cast_votes(member=carer, consultation=consultation, values={f1.pk: 1, f2.pk: 9})
    services.open_next_delphi_round(consultation=consultation)
    for p in [*patients[:4], carer]:
        services.cast_votes(member=p, consultation=consultation, values={f1.pk: 8, f2.pk: 2})
    return consultation, patients, carer


def test_members_see_the_lone_carer_pooled_with_plain_words(delphi):
    consultation, patients, _ = delphi
    page = results(consultation, patients[0].user)
    assert page.status_code == 200
    round_one = results_round(consultation, patients[0].user, 1)

    rows = table_rows(captioned(round_one, "Scores for each feature, by stakeholder group"))
    assert rows[1:4] == [
        ["Feature 1"],
        ["Patients", "100%", "0%", "Agreed: critical"],
        ["Other groups", "83%", "17%", "Not agreed"],
    ]
    assert "Carers" not in [row[0] for row in rows]
    everyone = table_rows(captioned(round_one, "Scores for each feature, round 1"))
    assert everyone[1] == ["Feature 1", "92%", "8%", "Agreed: critical"]
    text = words(round_one)
    assert "Here Carers and Public are counted together as “Other groups”." in text
    assert "at least 70% scored it 7 to 9 and fewer than 15% scored it 1 to 3" in text
    for jargon in ("Median", "Consensus in", "Every stakeholder group counts the same"):
        assert jargon not in text


def results_round(consultation, user, n):
    client = Client()
    client.force_login(user)
    return client.get(f"/consultations/{consultation.slug}/results/?round={n}")


def test_round_two_for_members_has_too_few_for_groups(delphi):
    """Round 2: four patients and a carer, five people: no group has five on its own, so
    members see everyone together only."""
    consultation, patients, _ = delphi
    page = results(consultation, patients[0].user)

    assert "5 people took part in round 2." in words(page)
    assert "results are shown for everyone together" in words(page)
    assert soup(page).find(id="groups-table-caption") is None


def test_attrition_for_members_pools_and_words_small_counts(delphi):
    consultation, patients, _ = delphi
    page = results(consultation, patients[0].user)

    rows = table_rows(captioned(page, "People taking part in each round"))
    # Everyone only (no group has 5 in round 2): 12 took part in round 1 and answered every
    # feature ("unable to score" counts); in round 2, 5 did, and 7 did not go on.
    assert rows[1:] == [
        ["Round 1"],
        ["Everyone", "12", "12", "–"],
        ["Round 2 (open now)"],
        ["Everyone", "5", "5", "7"],
    ]


def test_managers_see_each_group_and_exact_counts(delphi, manager_client):
    consultation, _, _ = delphi
    page = manager_client.get(f"/admin/consultations/results/{consultation.pk}/?round=1")

    rows = table_rows(captioned(page, "Scores for each feature, by stakeholder group"))
    carers = rows[1:6][2]
    # Group, people who scored it, median, 7–9, 1–3, result: the lone carer's 1
    assert carers == ["Carers", "1", "1.0", "0%", "100%", "Agreed: not important"]
    attrition = table_rows(captioned(page, "People taking part in each round"))
    round_two = attrition[attrition.index(["Round 2 (open now)"]) + 1 :]
    # Group, took part, answered every feature, did not go on
    assert round_two == [
        ["Everyone", "5", "5", "7"],
        ["Patients", "4", "4", "2"],
        ["Carers", "1", "1", "0"],
        ["Public", "0", "0", "5"],
        ["Professionals", "0", "0", "0"],
    ]
