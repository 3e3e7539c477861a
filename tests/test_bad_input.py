"""Never a server error, whatever is posted: generated bad input (Hypothesis) for every public,
member and project admin form. Each form's fields are read from the page itself, then each post
keeps, drops, repeats or replaces them with over-long and huge numbers, negative values, NUL
bytes, forged or foreign ids, markup and formulas. No post may answer 5xx, and a form shown again
(not a redirect after saving) must have saved nothing at all in the project's tables.

FUZZ_POSTS (default 300) is the number of posts per form."""

import os
from itertools import count

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.html import soup

POSTS = int(os.environ.get("FUZZ_POSTS", "300"))
BAD = [
    "9" * 30,  # more than any database integer holds
    str(2**63),
    str(2**31),
    "-1",
    "-" + "9" * 25,
    "0",
    "1e9",
    "0x1f",
    "٣",  # an Arabic-Indic digit: str.isdigit() says yes
    "²",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "",
    " ",
    "<script>alert(1)</script>",
    "=1+1",
    "999999",  # an id nobody has
    "None",
    "on",
    "2026-02-30",
    "2026-13-01 25:61",
]
ADDRESSES = count(1)


def project_rows() -> dict[str, int]:
    """How many rows each of the project's own tables holds (one query for them all: it is
    asked before and after each of thousands of posts)."""
    models = [
        model
        for label in ("engagement", "feedback")
        for model in apps.get_app_config(label).get_models()
    ]
    quote = connection.ops.quote_name
    # Table names from the model registry, quoted: no input reaches this SQL.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608
        row = cursor.fetchone()
    return {model._meta.label: n for model, n in zip(models, row, strict=True)}


def form_fields(client, url: str, action: str) -> dict[str, str]:
    """The fields of the page's POST form that posts to `action`, each with the value a person
    would leave in it (a text's value, the first option, a box's value)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = soup(response)
    forms = [
        f
        for f in page.find_all("form")
        if f.get("method", "").lower() == "post" and (f.get("action") or url) == action
    ]
    assert forms, f"no POST form to {action} on {url}"
    fields: dict[str, str] = {}
    for form in forms:
        for control in form.find_all(["input", "select", "textarea"]):
            name = control.get("name")
            if not name or name == "csrfmiddlewaretoken" or control.get("type") == "file":
                continue
            if control.name == "select":
                option = control.find("option")
                fields.setdefault(name, option.get("value", "") if option else "")
            elif control.name == "textarea":
                fields.setdefault(name, control.get_text())
            else:
                fields.setdefault(name, control.get("value", "on"))
    return fields


def posts(fields: dict[str, str]):
    """Posts made of those fields: each kept, left out, repeated, or replaced."""

    def one(default):
        scalar = st.one_of(st.just(default), st.sampled_from(BAD), st.text(max_size=40))
        return st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))

    return st.fixed_dictionaries({}, optional={name: one(v) for name, v in fields.items()})


def assert_never_a_server_error(client, url: str, action: str | None = None) -> None:
    action = action or url
    fields = form_fields(client, url, action)

    @settings(
        max_examples=POSTS,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(posts(fields))
    def post(data):
        before = project_rows()
        address = next(ADDRESSES)
        response = client.post(
            action,
            data,
            REMOTE_ADDR=f"10.{address // 65536 % 256}.{address // 256 % 256}.{address % 256}",
        )
        assert response.status_code < 500, (action, data, response.status_code)
        if response.status_code == 200:
            assert project_rows() == before, f"a form shown again saved something: {data!r}"

    post()


@pytest.fixture
def world(site_tree):
    """Something for every form to act on: a campaign, an open consultation (features, a poll,
    a questionnaire) the member is invited to, an involvement record of theirs, a manager."""
    from engagement.models import Consultation
    from tests.factories.consultations import ConsultationFactory, InvitationFactory, PollFactory
    from tests.factories.feedback import QuestionnaireFactory
    from tests.factories.involvement import make_record
    from tests.factories.membership import CampaignFactory, ManagerFactory, MemberFactory

    campaign = CampaignFactory(code="stand")
    from tests.factories.feedback import add_screens

    add_screens(site_tree["prototype"])
    consultation = ConsultationFactory(
        slug="alerts",
        features=3,
        audience=Consultation.Audience.INVITED,
        prototype=site_tree["prototype"],
    )
    poll = PollFactory(consultation=consultation, choices=["Phone", "Tablet"], allow_other=True)
    questionnaire = QuestionnaireFactory(items=["Energy", "Mood"], consultation=consultation)
    member = MemberFactory(display_name="Ann")
    InvitationFactory(consultation=consultation, member=member)
    record = make_record(member)
    from tests.factories.ideas import IdeaFactory

    idea = IdeaFactory(member=MemberFactory(display_name="Ida"), title="Bigger text")
    events = event_world(site_tree, member)
    member_client = Client(raise_request_exception=False)
    member_client.force_login(member.user)
    manager_client = Client(raise_request_exception=False)
    manager_client.force_login(ManagerFactory())
    return {
        "campaign": campaign,
        "consultation": consultation,
        "poll": poll,
        "questionnaire": questionnaire,
        "record": record,
        "idea": idea,
        "member": member,
        **events,
        "member_client": member_client,
        "manager_client": manager_client,
        "visitor_client": Client(raise_request_exception=False),
    }


def event_world(site_tree, member) -> dict:
    """The site tree's event taking registrations (in ten days), and one that started an hour
    ago where the member has a place (attendance can be marked)."""
    import datetime

    from django.utils import timezone

    from engagement.events import services
    from tests.factories.cms import EventPageFactory
    from tests.factories.events import RegistrationSettingsFactory

    now = timezone.now()
    upcoming = RegistrationSettingsFactory(event=site_tree["event"], places=2)
    today = EventPageFactory(
        parent=site_tree["event_index"],
        slug="today",
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=3),
    )
    started = RegistrationSettingsFactory(event=today, places=5)
    registration, _ = services.register(
        event=today,
        name="Ann",
        email=member.user.email,
        member=member,
        now=now - datetime.timedelta(hours=2),
    )
    services.register(event=upcoming.event, name="Bob", email="bob@example.org", now=now)
    return {"upcoming": upcoming, "started": started, "registration": registration}


EVENT = "/events/car-t-day/"
PUBLIC = [
    ("/join/", None),
    ("/join/stand/", None),
    ("/join/stand/kiosk/", None),
    (EVENT, EVENT + "#register"),
    ("registration", "cancel"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "action"), PUBLIC)
def test_public_forms(world, url, action):
    if url == "registration":
        from engagement.events.selectors import token_for

        token = token_for(world["upcoming"].event.registrations.get())
        url, action = f"/registrations/{token}/", f"/registrations/{token}/cancel/"
    assert_never_a_server_error(world["visitor_client"], url, action)


MEMBER = [
    ("/me/preferences/", None),
    ("/consultations/alerts/", "/consultations/alerts/vote/"),
    ("/consultations/alerts/", "poll"),
    ("/consultations/alerts/", "/consultations/alerts/access-needs/"),
    ("involvement", None),
    ("questionnaire item", None),
    ("/me/ideas/new/", None),
    ("/consultations/alerts/prototype-review/", None),  # the screens
    ("/consultations/alerts/prototype-review/2/", None),  # statements 1–5
    ("/consultations/alerts/prototype-review/3/", None),  # statements 6–10, send
    (EVENT, EVENT + "#register"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "action"), MEMBER)
def test_member_forms(world, url, action):
    if action == "poll":
        action = f"/consultations/alerts/polls/{world['poll'].pk}/"
    if url == "involvement":
        url = f"/me/involvement/{world['record'].pk}/"
    if url == "questionnaire item":
        url = f"/consultations/alerts/questionnaires/{world['questionnaire'].pk}/items/1/"
    assert_never_a_server_error(world["member_client"], url, action)


def admin_forms(world):
    from django.urls import reverse

    pk = world["consultation"].pk
    inspect = reverse("consultations:inspect", args=[pk])
    review = reverse("ideas:inspect", args=[world["idea"].pk])
    return [
        (inspect, reverse("consultations:invite", args=[pk])),
        (inspect, reverse("consultations:schedule_reminders", args=[pk])),
        (reverse("consultations:assisted", args=[pk]) + f"?member={world['member'].pk}", None),
        (review, None),  # the idea's three decisions (accept, join, decline)
        (reverse("event_registrations:add"), None),
        (reverse("event_registrations:edit", args=[world["upcoming"].pk]), None),
        (reverse("event_registrations:attendance", args=[world["started"].pk]), None),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("number", range(7))
def test_project_admin_forms(world, number):
    url, action = admin_forms(world)[number]
    assert_never_a_server_error(world["manager_client"], url, action)
