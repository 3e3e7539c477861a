"""Fixtures the feedback tests share: a patient member, a questionnaire and a review of it, the
prototype with its screens, and two reviewed versions of the prototype."""

import pytest

from engagement.models import ConsentPurpose, Role
from feedback.prototypes import services as prototypes_services
from feedback.questionnaires import services as questionnaires_services
from tests.factories.feedback import (
    QuestionnaireFactory,
    add_screens,
    give_consent,
    prototype_consultation,
    second_prototype,
    sus_dict,
)
from tests.factories.membership import MemberFactory


@pytest.fixture
def member(db):
    """Ann, a patient: feedback is analysed by stakeholder group."""
    return MemberFactory(role=Role.PATIENT, display_name="Ann Patient")


@pytest.fixture
def proto(site_tree):
    """The prototype with four screens, in an open consultation."""
    prototype = site_tree["prototype"]
    screens = add_screens(prototype)
    return {
        "prototype": prototype,
        "screens": screens,
        "consultation": prototype_consultation(prototype),
        "tree": site_tree,
    }


@pytest.fixture
def questionnaire(db):
    return QuestionnaireFactory(items=6)


@pytest.fixture
def review(member, questionnaire):
    return questionnaires_services.start_review(member=member, questionnaire=questionnaire)


@pytest.fixture
def prototypes(site_tree):
    """v0.3 with four screens reviewed by four people (SUS 80, 75, 100, 50); v0.4 reviewed by
    two (SUS 90 and 95); one v0.3 review saved but not sent."""
    v3 = site_tree["prototype"]
    screens = add_screens(v3)
    consultation = prototype_consultation(v3)
    v3_answers = [
        ([4, 2, 5, 1, 3, 2, 4, 3, 5, 1], Role.PATIENT, 4, "Big clear buttons"),  # 80
        ([4, 2] * 5, Role.CARER, 3, ""),  # 75
        ([5, 1] * 5, Role.PATIENT, 5, "Loved it"),  # 100
        ([3] * 10, Role.CLINICIAN, 2, "Too much text"),  # 50
    ]
    people = []
    for sus, role, ease, comment in v3_answers:
        person = MemberFactory(role=role)
        people.append(person)
        prototypes_services.save_prototype_review(
            member=person,
            consultation=consultation,
            screens={screens[0].pk: {"ease": ease, "comment": comment}, screens[1].pk: {"ease": 4}},
            sus=sus_dict(sus),
            submit=True,
        )
    give_consent(people[0], ConsentPurpose.QUOTE)
    prototypes_services.save_prototype_review(
        member=MemberFactory(),
        consultation=consultation,
        screens={},
        sus={1: 5},
        submit=False,
    )
    v4 = second_prototype(site_tree)
    later = prototype_consultation(v4)
    for sus in ([5, 1, 5, 1, 5, 1, 5, 1, 3, 1], [5, 1, 5, 1, 5, 1, 5, 1, 4, 1]):  # 95, 97.5
        prototypes_services.save_prototype_review(
            member=MemberFactory(), consultation=later, screens={}, sus=sus_dict(sus), submit=True
        )
    return {"v3": v3, "v4": v4, "screens": screens}
