"""A member's prototype review, end to end with the test client: each screen and the SUS, errors
next to their fields and nothing typed lost, sent once complete."""

import pytest
from django.test import Client
from django.utils.html import escape

from engagement.models import Role
from tests.factories.consultations import ConsultationFactory
from tests.factories.feedback import (
    add_screens,
    prototype_consultation,
)
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberFactory(role=Role.PATIENT, display_name="Ann Patient")


@pytest.fixture
def client(member):
    client = Client()
    client.force_login(member.user)
    return client


def html(response) -> str:
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_from_the_prototype_review(site_tree):
    consultation = prototype_consultation(site_tree["prototype"])

    response = Client().get(f"/consultations/{consultation.slug}/prototype-review/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.fixture
def proto(site_tree):
    prototype = site_tree["prototype"]
    return {
        "prototype": prototype,
        "screens": add_screens(prototype),
        "consultation": prototype_consultation(prototype),
    }


def proto_url(proto) -> str:
    return f"/consultations/{proto['consultation'].slug}/prototype-review/"


def test_the_prototype_review_page_shows_each_screen_and_the_ten_statements(client, proto):
    page = html(client.get(proto_url(proto)))

    for number, screen in enumerate(proto["screens"], start=1):
        assert f"Screen {number}: {escape(screen.title)}" in page
    assert "I think that I would like to use this app frequently." in page
    assert "I needed to learn a lot of things before I could get going with this app." in page
    assert page.count('name="sus_') == 10 * 5


def test_a_consultation_without_a_prototype_has_no_prototype_review(client):
    consultation = ConsultationFactory()

    assert client.get(f"/consultations/{consultation.slug}/prototype-review/").status_code == 404
