"""A member's prototype review, end to end with the test client: each screen and the SUS, errors
next to their fields and nothing typed lost, sent once complete."""

import pytest
from django.test import Client
from django.utils.html import escape

from tests.factories.consultations import ConsultationFactory
from tests.factories.feedback import (
    prototype_consultation,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_from_the_prototype_review(site_tree):
    consultation = prototype_consultation(site_tree["prototype"])

    response = Client().get(f"/consultations/{consultation.slug}/prototype-review/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def proto_url(proto) -> str:
    return f"/consultations/{proto['consultation'].slug}/prototype-review/"


def test_the_prototype_review_page_shows_each_screen_and_the_ten_statements(member_client, proto):
    page = html(member_client.get(proto_url(proto)))

    for number, screen in enumerate(proto["screens"], start=1):
        assert f"Screen {number}: {escape(screen.title)}" in page
    assert "I think that I would like to use this app frequently." in page
    assert "I needed to learn a lot of things before I could get going with this app." in page
    assert page.count('name="sus_') == 10 * 5


def test_a_consultation_without_a_prototype_has_no_prototype_review(member_client):
    consultation = ConsultationFactory()

    assert (
        member_client.get(f"/consultations/{consultation.slug}/prototype-review/").status_code
        == 404
    )
