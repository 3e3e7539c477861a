"""The PPIE dashboard on the Wagtail admin home: open consultations with their response rate and
days left, members by status and stakeholder group, outcomes overdue ("you said, we did" not
published 30 days after closing), and payments to make. The number of queries does not grow
with the data."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from engagement.consultations import selectors
from engagement.models import (
    Channel,
    Consultation,
    Feature,
    Invitation,
    InvolvementRecord,
    Member,
    Poll,
    PollAnswer,
    PollChoice,
    Role,
    Vote,
)
from tests.factories.consultations import (
    ConsultationFactory,
    InvitationFactory,
    PollFactory,
)
from tests.factories.involvement import make_record
from tests.factories.membership import ManagerFactory, MemberFactory, UserFactory
from tests.factories.outcomes import answer, outcome_index, outcome_page, vote_for
from tests.html import soup, words

pytestmark = pytest.mark.django_db

# /admin/ for a PPIE manager, after a warm-up request: the same with 10 times the members and
# consultations (SQLite and PostgreSQL alike). If it changes, find out why before updating it.
# (30 since who responded counts reviews too: one query per app's participants hook; 31 since
# payments to make are counted and summed by the database, then the first 20 listed; 32 since
# consultations are counted by status in one grouped query.)
ADMIN_HOME_QUERIES = 31


def now():
    return timezone.now()


def panel(response):
    html = soup(response)
    section = html.find(attrs={"aria-labelledby": "dashboard-heading"})
    assert section is not None, "no PPIE dashboard on the admin home"
    return section


def table_after(section, heading: str) -> list[list[str]]:
    h3 = section.find("h3", string=heading)
    table = h3.find_next_sibling("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


def text_after(section, heading: str) -> str:
    h3 = section.find("h3", string=heading)
    return words(h3.find_next_sibling())


# --- Open consultations --------------------------------------------------------------------------


def test_open_consultations_show_response_rate_and_days_left(manager_client):
    members = [MemberFactory() for _ in range(10)]
    MemberFactory(status=Member.Status.PAUSED)  # not counted: cannot take part
    everyone = ConsultationFactory(
        title="Which app features matter?", closes_at=now() + datetime.timedelta(days=10, hours=2)
    )
    feature = Feature.objects.create(consultation=everyone, title="Diary", sort_order=1)
    for member in members[:4]:
        vote_for(member, everyone, feature)
    invited = ConsultationFactory(
        title="Check the questions",
        audience=Consultation.Audience.INVITED,
        closes_at=now() + datetime.timedelta(days=3, hours=1),
        features=1,
    )
    for member in members[:5]:
        InvitationFactory(consultation=invited, member=member)
    vote_for(members[0], invited, invited.features.get())
    vote_for(members[1], invited, invited.features.get())
    ConsultationFactory(title="Not open yet", upcoming=True)
    ConsultationFactory(title="Closed already", closed=True)

    section = panel(manager_client.get("/admin/"))

    assert table_after(section, "Open consultations") == [
        ["Check the questions", "2 / 5", "40%", "3"],
        ["Which app features matter?", "4 / 10", "40%", "10"],
    ]
    link = section.find("a", string="Check the questions")
    assert link["href"] == f"/admin/consultations/inspect/{invited.pk}/"  # its one place


def test_reviews_count_as_responses_like_votes(manager_client):
    from feedback.questionnaires import services as feedback_services
    from tests.factories.feedback import QuestionnaireFactory

    members = [MemberFactory() for _ in range(4)]
    questionnaire = QuestionnaireFactory(items=["Energy"], consultation__title="Questions only")
    for member in members[:3]:
        review = feedback_services.start_review(member=member, questionnaire=questionnaire)
        item = questionnaire.items.get()
        feedback_services.save_item_feedback(review=review, item=item, data={"relevance": 3})
        if member != members[2]:  # the third has not sent theirs yet
            feedback_services.submit_review(review=review)

    section = panel(manager_client.get("/admin/"))
    results = manager_client.get(
        f"/admin/consultations/results/{questionnaire.consultation_id}/"
    ).content.decode()

    assert table_after(section, "Open consultations")[0][:3] == ["Questions only", "2 / 4", "50%"]
    assert "2 of 4" in " ".join(soup(results).get_text(" ").split())


def test_the_response_rate_agrees_with_the_results_page(manager_client):
    """Answering only the poll is a response, and only members who can take part count, as on
    the consultation's results page."""
    members = [MemberFactory() for _ in range(4)]
    consultation = ConsultationFactory(title="Where would you use the app?", features=1)
    vote_for(members[0], consultation, consultation.features.get())
    poll = PollFactory(consultation=consultation, choices=["Home", "Ward"])
    answer(members[0], poll, "Home")  # voted too: counted once
    answer(members[1], poll, "Ward")  # the poll only
    paused = MemberFactory()
    vote_for(paused, consultation, consultation.features.get())
    Member.objects.filter(pk=paused.pk).update(status=Member.Status.PAUSED)  # cannot take part

    section = panel(manager_client.get("/admin/"))

    rate = selectors.response_rate(consultation)
    assert (rate["responded"], rate["invited"]) == (2, 4)
    assert table_after(section, "Open consultations")[0][1:3] == ["2 / 4", "50%"]


def test_no_open_consultation_says_so(manager_client):
    ConsultationFactory(closed=True)

    section = panel(manager_client.get("/admin/"))

    assert "No consultation is open." in section.get_text()


# --- Members -------------------------------------------------------------------------------------


def test_members_by_status_and_stakeholder_group(manager_client):
    for role, status, n in [
        (Role.PATIENT, "active", 3),
        (Role.PATIENT, "pending", 1),
        (Role.CARER, "active", 2),
        (Role.CARER, "paused", 1),
        (Role.PUBLIC, "active", 1),
        (Role.OTHER, "active", 1),  # counted with the public
        (Role.CLINICIAN, "active", 1),
        (Role.RESEARCHER, "withdrawn", 1),
        (Role.CHARITY, "pending", 2),
    ]:
        for _ in range(n):
            if status == "withdrawn":
                MemberFactory(role=role, status=status, user=None)
            else:
                MemberFactory(role=role, status=status)

    section = panel(manager_client.get("/admin/"))

    h3 = section.find("h3", string="Members by stakeholder group")
    headings = [th.get_text(strip=True) for th in h3.find_next_sibling("table").select("thead th")]
    assert headings == [
        "Group",
        "Pending (email not confirmed)",
        "Active",
        "Paused",
        "Withdrawn",
    ]
    assert table_after(section, "Members by stakeholder group") == [
        ["Patients", "1", "3", "0", "0"],
        ["Carers", "0", "2", "1", "0"],
        ["Public", "0", "2", "0", "0"],
        ["Professionals", "2", "1", "0", "1"],
    ]


# --- Outcomes overdue ----------------------------------------------------------------------------


def closed(title, days_ago):
    return ConsultationFactory(
        title=title,
        opens_at=now() - datetime.timedelta(days=days_ago + 14),
        closes_at=now() - datetime.timedelta(days=days_ago),
    )


def test_consultations_closed_over_30_days_without_a_live_outcome_are_overdue(
    manager_client, site_tree
):
    index = outcome_index(site_tree["home"])
    closed("Closed 31 days ago, nothing published", 31)
    closed("Closed 29 days ago", 29)
    done = closed("Closed 60 days ago, outcome published", 60)
    outcome_page(index, done)
    drafted = closed("Closed 45 days ago, outcome still a draft", 45)
    outcome_page(index, drafted, publish=False)
    unpublished = closed("Closed 90 days ago, outcome taken down", 90)
    outcome_page(index, unpublished).unpublish()

    section = panel(manager_client.get("/admin/"))

    overdue = [li.get_text(" ", strip=True) for li in section.find("h3", string="Outcomes overdue")
               .find_next_sibling("ul").find_all("li")]  # fmt: skip
    titles = [line.split(" – ")[0] for line in overdue]
    assert titles == [
        "Closed 90 days ago, outcome taken down",
        "Closed 45 days ago, outcome still a draft",
        "Closed 31 days ago, nothing published",
    ]
    assert all(line.endswith("no “you said, we did” page published") for line in overdue)


def test_no_outcome_overdue_says_so(manager_client, site_tree):
    outcome_page(outcome_index(site_tree["home"]), closed("Done", 40))
    closed("Recent", 5)

    section = panel(manager_client.get("/admin/"))

    assert text_after(section, "Outcomes overdue").startswith("None: every consultation closed")


# --- Payments to make ----------------------------------------------------------------------------


def test_payments_to_make_count_and_total(manager_client):
    ann, bob = MemberFactory(), MemberFactory()
    make_record(ann, payment_choice="full", status="to_pay")  # £30
    make_record(
        bob,
        payment_choice="reduced",
        reduced_amount=Decimal("12.50"),
        expenses_claimed=Decimal("8.40"),
        status="to_pay",
    )  # £20.90
    make_record(bob, payment_choice="voucher", status="paid", paid_at=timezone.now())  # paid
    make_record(ann, payment_choice="declined", status="nothing_due")

    section = panel(manager_client.get("/admin/"))

    text = text_after(section, "Payments to make")
    assert text.startswith("2 waiting, £50.90 in all.")
    link = section.find("a", string="See them")
    assert link["href"] == "/admin/involvement/?status=to_pay"


def test_the_payments_log_its_download_and_the_yearly_totals_are_one_click_away(manager_client):
    make_record(MemberFactory(display_name="Ann"), payment_choice="full", status="to_pay")
    section = panel(manager_client.get("/admin/"))
    payments = section.find("ul", attrs={"aria-label": "Payments"})
    links = {a.get_text(strip=True): a["href"] for a in payments.find_all("a")}

    assert list(links) == [
        "Involvement and payments log",
        "Download the payments log (XLSX)",
        "Yearly totals per member",
    ]
    log = manager_client.get(links["Involvement and payments log"])
    assert log.status_code == 200 and "Ann" in log.content.decode()
    download = manager_client.get(links["Download the payments log (XLSX)"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    yearly = manager_client.get(links["Yearly totals per member"])
    assert yearly.status_code == 200 and "Ann" in yearly.content.decode()


# --- Consultations by status -------------------------------------------------------------------


def test_consultations_are_counted_by_status_each_linking_to_the_filtered_list(manager_client):
    ConsultationFactory(title="Being written", draft=True)
    ConsultationFactory(title="Opens next week", upcoming=True)
    ConsultationFactory(title="Open one")
    ConsultationFactory(title="Open two")
    ConsultationFactory(title="Finished", closed=True)

    section = panel(manager_client.get("/admin/"))
    counts = section.find("ul", attrs={"aria-labelledby": "status-heading"})
    links = {a.get_text(" ", strip=True): a["href"] for a in counts.find_all("a")}

    assert list(links) == [
        "Draft: 1",
        "Scheduled: 1",
        "Open: 2",
        "Closed: 1",
        "Outcome published: 0",
        "Add a consultation",
    ]
    listing = manager_client.get(links["Open: 2"])
    titles = [a.get_text(strip=True) for a in listed_titles(listing)]
    assert sorted(titles) == ["Open one", "Open two"]
    assert manager_client.get(links["Add a consultation"]).status_code == 200


def listed_titles(response):
    """The consultation titles in an admin listing."""
    html = soup(response)
    return html.select("table.listing tbody td.title .title-wrapper a")


def test_nothing_to_pay(manager_client):
    section = panel(manager_client.get("/admin/"))

    assert text_after(section, "Payments to make").startswith("0 waiting, £0.00 in all.")


# --- Who sees it -------------------------------------------------------------------------------


def test_the_dashboard_is_for_managers_only():
    from django.contrib.auth.models import Group, Permission

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(editors)
    client = Client()
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 200
    html = soup(response)
    assert html.find(attrs={"aria-labelledby": "dashboard-heading"}) is None


# --- Query count -------------------------------------------------------------------------------


def bulk_data(site_tree, *, members: int, consultations: int) -> None:
    """`members` members (every role and status) and `consultations` consultations, half open
    (half of those for invited members, everyone invited) and half closed over 30 days ago (the
    even-numbered of those with a published outcome, the others overdue). Every active member
    voted and answered the poll in every consultation and has one record waiting for payment.
    Built in a few bulk queries."""
    user_model = get_user_model()
    start = user_model.objects.count()
    users = user_model.objects.bulk_create(
        [user_model(email=f"bulk{start + i}@example.org") for i in range(members)]
    )
    roles = [r.value for r in Role]
    statuses = ["active", "active", "active", "pending", "paused"]
    people = Member.objects.bulk_create(
        [
            Member(
                user=user,
                display_name=f"Bulk {i}",
                role=roles[i % len(roles)],
                status=statuses[i % len(statuses)],
                channel=Channel.WEB,
            )
            for i, user in enumerate(users)
        ]
    )
    active = [m for m in people if m.status == Member.Status.ACTIVE]
    index = outcome_index(site_tree["home"])
    half = consultations // 2
    for n in range(consultations):
        is_open = n < half
        invited = is_open and n % 2
        c = ConsultationFactory(
            title=f"Bulk consultation {n}",
            audience=Consultation.Audience.INVITED if invited else Consultation.Audience.ALL_ACTIVE,
            opens_at=now() - datetime.timedelta(days=1 if is_open else 60),
            closes_at=now() + datetime.timedelta(days=5 + n if is_open else -40 - n),
        )
        feature = Feature.objects.create(consultation=c, title="Diary", sort_order=1)
        poll = Poll.objects.create(consultation=c, question="Where?")
        choice = PollChoice.objects.create(poll=poll, text="Home", sort_order=0)
        Vote.objects.bulk_create(
            [
                Vote(consultation=c, feature=feature, member=m, kind="support", value=1)
                for m in active
            ]
        )
        PollAnswer.objects.bulk_create(
            [PollAnswer(poll=poll, member=m, choice=choice) for m in active]
        )
        if c.audience == Consultation.Audience.INVITED:
            Invitation.objects.bulk_create(
                [Invitation(consultation=c, member=m, responded_at=now()) for m in active]
            )
        if not is_open and n % 2 == 0:
            outcome_page(index, c, slug=f"bulk-outcome-{n}")
    InvolvementRecord.objects.bulk_create(
        [
            InvolvementRecord(
                member=m,
                activity_type="meeting",
                minutes=60,
                source="manager",
                payment_offered=Decimal("30.00"),
                payment_choice="full",
                status="to_pay",
            )
            for m in active
        ]
    )


@pytest.mark.parametrize(
    ("members", "consultations"),
    [pytest.param(10, 4, id="10-members-4-consultations"),
     pytest.param(50, 12, id="50-members-12-consultations")],
)  # fmt: skip
def test_admin_home_query_count_does_not_grow(
    site_tree, members, consultations, django_assert_num_queries
):
    bulk_data(site_tree, members=members, consultations=consultations)
    client = Client()
    client.force_login(ManagerFactory())
    client.get("/admin/")  # warm-up: sessions, permissions, site settings

    with django_assert_num_queries(ADMIN_HOME_QUERIES):
        response = client.get("/admin/")

    assert response.status_code == 200
    section = panel(response)
    rows = table_after(section, "Open consultations")
    assert len(rows) == consultations // 2
    active = members * 3 // 5
    assert all(row[1] == f"{active} / {active}" and row[2] == "100%" for row in rows), rows
    assert text_after(section, "Payments to make").startswith(
        f"{active} waiting, £{active * 30}.00 in all."
    )
    overdue = section.find("h3", string="Outcomes overdue").find_next_sibling("ul")
    assert len(overdue.find_all("li")) == len(
        [n for n in range(consultations // 2, consultations) if n % 2]
    )
