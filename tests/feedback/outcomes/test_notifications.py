"""Publishing a "you said, we did" page emails everyone who took part – voters, poll answerers,
people who sent a questionnaire or prototype review – once each, if they are active members with
an account; then each of them finds it on /me/ under "What changed because of you"."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from engagement.consultations import services as consultations_services
from engagement.membership import services as membership_services
from engagement.models import Member, Role
from feedback.outcomes.models import OutcomeNotice
from feedback.prototypes import services as feedback_services
from tests.clients import CommittingClient
from tests.factories.consultations import ConsultationFactory, PollFactory
from tests.factories.feedback import QuestionnaireFactory, review_all, sus_dict
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.factories.outcomes import answer, outcome_index, outcome_page, publish_again, vote_for
from tests.html import soup

pytestmark = pytest.mark.django_db
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)

SUS_ALL_AGREE = [5, 1, 5, 1, 5, 1, 5, 1, 5, 1]
OUTCOMES_HEADING = "What changed because of you"


def person(name, **kwargs) -> Member:
    return MemberFactory(
        display_name=name, user__email=f"{name.lower()}@example.org", verified_email=True, **kwargs
    )


@pytest.fixture
def took_part(site_tree):
    """A consultation about the prototype, and one member for each way of taking part – or
    of not counting."""
    consultation = ConsultationFactory(
        title="Which app features matter?", prototype=site_tree["prototype"], features=3
    )
    first = consultation.features.order_by("sort_order").first()
    poll = PollFactory(consultation=consultation, choices=["Phone", "Tablet"])
    questionnaire = QuestionnaireFactory(consultation=consultation, items=2)
    people = {
        "voter": person("Vera", role=Role.PATIENT),
        "poll": person("Paul", role=Role.CARER),
        "questionnaire": person("Quentin"),
        "prototype": person("Priya", role=Role.CLINICIAN),
        "unsent": person("Una"),
        "bystander": person("Nadia"),
        "withdrawn": person("Walter"),
        "paused": person("Pauline"),
    }
    vote_for(people["voter"], consultation, first)
    answer(people["poll"], poll, "Tablet")
    review_all(people["questionnaire"], questionnaire)
    feedback_services.save_prototype_review(
        member=people["prototype"],
        consultation=consultation,
        screens={},
        sus=sus_dict(SUS_ALL_AGREE),
        submit=True,
    )
    # Una started both reviews and sent neither.
    review_all(people["unsent"], questionnaire, submit=False)
    feedback_services.save_prototype_review(
        member=people["unsent"],
        consultation=consultation,
        screens={},
        sus=sus_dict([5, 1, 5, None, None, None, None, None, None, None]),
        submit=True,  # asked to send, but four answers short: not sent
    )
    # Walter voted and then left the group; Pauline voted and then paused her membership.
    vote_for(people["withdrawn"], consultation, first)
    emails = {key: member.user.email for key, member in people.items()}
    membership_services.withdraw_member(member=people["withdrawn"])
    vote_for(people["paused"], consultation, first)
    Member.objects.filter(pk=people["paused"].pk).update(status=Member.Status.PAUSED)
    # A member with no account, whose vote a manager entered at an event.
    no_account = MemberFactory(user=None, display_name="Kiosk visitor")
    consultations_services.cast_votes(
        member=no_account,
        consultation=consultation,
        values={first.pk: 1},
        assisted_by=ManagerFactory(),
    )
    mail.outbox.clear()
    return {"consultation": consultation, "people": people, "emails": emails}


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


NOTIFIED = ["paul@example.org", "priya@example.org", "quentin@example.org", "vera@example.org"]


def test_publishing_emails_exactly_the_active_participants_with_accounts(
    site_tree, took_part, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome_page(
            outcome_index(site_tree["home"]),
            took_part["consultation"],
            title="What the app does first",
            summary="The symptom diary comes first.",
        )

    assert recipients() == NOTIFIED
    message = mail.outbox[0]
    assert "You said, we did: Which app features matter?" in message.subject
    assert "Thank you for taking part in “Which app features matter?”" in message.body
    assert "The symptom diary comes first." in message.body
    assert settings.PUBLIC_BASE_URL + page.url in message.body
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["vera@example.org"].body.startswith("Hello Vera,")
    notified = set(OutcomeNotice.objects.filter(page=page).values_list("member_id", flat=True))
    assert notified == {
        took_part["people"][k].pk for k in ["voter", "poll", "questionnaire", "prototype"]
    }


def test_a_second_publish_sends_nothing_more(
    site_tree, took_part, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome_page(outcome_index(site_tree["home"]), took_part["consultation"])
    assert len(mail.outbox) == 4

    with django_capture_on_commit_callbacks(execute=True):
        publish_again(page)

    assert len(mail.outbox) == 4
    assert OutcomeNotice.objects.filter(page=page).count() == 4


def test_someone_who_takes_part_after_publishing_is_told_at_the_next_publish(
    site_tree, took_part, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome_page(outcome_index(site_tree["home"]), took_part["consultation"])
    vote_for(
        took_part["people"]["bystander"],
        took_part["consultation"],
        took_part["consultation"].features.first(),
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publish_again(page)

    assert recipients() == ["nadia@example.org"]


def test_saving_a_draft_sends_nothing(site_tree, took_part, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome_page(
            outcome_index(site_tree["home"]), took_part["consultation"], publish=False
        )

    assert mail.outbox == []
    assert not OutcomeNotice.objects.filter(page=page).exists()


def test_publishing_from_the_page_editor_emails_the_participants(site_tree, took_part):
    """The manager's own route: the "Publish" button of Wagtail's page editor."""
    page = outcome_page(outcome_index(site_tree["home"]), took_part["consultation"], publish=False)
    client = CommittingClient()
    client.force_login(ManagerFactory())
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), "page-edit-form")
    data["action-publish"] = "action-publish"

    response = client.post(edit_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live
    assert recipients() == NOTIFIED


def me_outcome_links(client) -> list[tuple[str, str]]:
    html = soup(client.get("/me/"))
    heading = html.find("h2", string=OUTCOMES_HEADING)
    if heading is None:
        return []
    return [
        (a.get_text(strip=True), a["href"]) for a in heading.find_parent("section").find_all("a")
    ]


def test_each_participant_sees_the_outcome_on_their_page_and_others_do_not(
    site_tree, took_part, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome_page(
            outcome_index(site_tree["home"]),
            took_part["consultation"],
            title="What the app does first",
        )
    people = took_part["people"]

    for key in ["voter", "poll", "questionnaire", "prototype"]:
        client = Client()
        client.force_login(people[key].user)
        assert me_outcome_links(client) == [("What the app does first", page.url)], key
        assert client.get(page.url).status_code == 200

    for key in ["bystander", "unsent", "paused"]:
        client = Client()
        client.force_login(people[key].user)
        response = client.get("/me/")
        assert response.status_code == 200
        assert OUTCOMES_HEADING not in response.content.decode(), key


def test_an_unpublished_outcome_leaves_members_pages_and_comes_back_when_republished(
    site_tree, took_part, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome_page(
            outcome_index(site_tree["home"]), took_part["consultation"], title="What changed"
        )
    client = Client()
    client.force_login(took_part["people"]["voter"].user)
    assert me_outcome_links(client) == [("What changed", page.url)]

    page.unpublish()
    hidden = me_outcome_links(client)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert hidden == []  # no link to a page that would answer 404
    assert me_outcome_links(client) == [("What changed", page.url)]
