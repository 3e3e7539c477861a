"""The rules of reviewing a prototype, through the services: per-screen answers and the SUS, sent
once all ten statements are answered, editable while the consultation is open."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from engagement.models import Consultation
from feedback.models import PrototypeReview, ScreenComment
from feedback.prototypes import services as prototypes_services
from tests.factories.consultations import ConsultationFactory
from tests.factories.feedback import (
    second_prototype,
    sus_dict,
)
from tests.factories.membership import ManagerFactory

pytestmark = pytest.mark.django_db


def close(consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )


def save_proto(member, proto, *, sus, screens=None, submit, assisted_by=None):
    return prototypes_services.save_prototype_review(
        member=member,
        consultation=proto["consultation"],
        screens=screens or {},
        sus=sus_dict(sus),
        submit=submit,
        assisted_by=assisted_by,
    )


def test_submitting_with_sus_answers_missing_names_them_and_does_not_score(member, proto):
    review, missing = save_proto(
        member, proto, sus=[4, 2, None, 2, 4, None, 4, 2, 4, None], submit=True
    )

    assert missing == [3, 6, 10]
    review.refresh_from_db()
    assert review.sus_score is None
    assert review.submitted_at is None
    assert review.sus_answers()[:2] == [4, 2]  # what was given is kept


def test_a_screen_of_another_prototype_is_refused(member, proto):
    other = second_prototype(proto["tree"])
    foreign = other.screens.get()

    with pytest.raises(ValidationError, match="not part of this prototype"):
        save_proto(member, proto, sus=[3] * 10, screens={foreign.pk: {"ease": 3}}, submit=True)

    assert not PrototypeReview.objects.exists()
    assert not ScreenComment.objects.exists()


@pytest.mark.parametrize(
    ("sus", "screen", "field"),
    [
        ([3, 3, 3, 3, 6, 3, 3, 3, 3, 3], {"ease": 3}, "sus_5"),
        ([3] * 10, {"ease": 0}, "screen-{pk}-ease"),
        ([3] * 10, {"ease": 3, "comment": "c" * 2001}, "screen-{pk}-comment"),
    ],
)
def test_out_of_range_prototype_answers_are_refused(member, proto, sus, screen, field):
    first = proto["screens"][0]

    with pytest.raises(ValidationError) as caught:
        save_proto(member, proto, sus=sus, screens={first.pk: screen}, submit=True)

    assert field.format(pk=first.pk) in caught.value.message_dict
    assert not PrototypeReview.objects.exists()


def test_a_prototype_comment_is_plain_text(member, proto):
    first = proto["screens"][0]

    save_proto(
        member,
        proto,
        sus=[3] * 10,
        screens={first.pk: {"ease": 2, "comment": "<img src=x onerror=alert(1)>=SUM(A1)"}},
        submit=True,
    )

    assert ScreenComment.objects.get().comment == "=SUM(A1)"


def test_assisted_prototype_review_is_marked(member, proto):
    manager = ManagerFactory()

    review, _missing = save_proto(member, proto, sus=[3] * 10, submit=True, assisted_by=manager)

    review.refresh_from_db()
    assert review.assisted_by == manager


def test_no_prototype_review_without_a_prototype_or_outside_the_window(member, proto):
    no_prototype = ConsultationFactory()
    with pytest.raises(ValidationError, match="no prototype"):
        prototypes_services.save_prototype_review(
            member=member, consultation=no_prototype, screens={}, sus={}, submit=False
        )
    close(proto["consultation"])
    proto["consultation"].refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        save_proto(member, proto, sus=[3] * 10, submit=True)
    assert not PrototypeReview.objects.exists()
