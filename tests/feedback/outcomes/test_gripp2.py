"""The GRIPP2 short-form report (Staniszewska et al., BMJ 2017), built from the records: 1 aim
(the consultation's summary), 2 methods (voting method, dates, invitations, activities), 3 results
(contributors, hours, findings), 4 influence (the outcome page's changes and app versions),
5 reflections (the outcome page's own words) – for one consultation or a date range, on screen,
printable, or as a Word document."""

import datetime
import zoneinfo

import pytest
from django.test import Client

from engagement.models import Consultation, Role
from tests.conftest import fresh, rows_for_the_scope
from tests.factories.cms import build_site
from tests.factories.consultations import (
    ConsultationFactory,
    InvitationFactory,
    PollFactory,
)
from tests.factories.feedback import QuestionnaireFactory, review_all
from tests.factories.membership import MemberFactory
from tests.factories.outcomes import answer, outcome_index, outcome_page, vote_for
from tests.html import soup, text_of, words

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
URL = "/admin/gripp2/"
REFLECTIONS = "<p>Patients answered quickly. Fewer clinicians took part than we hoped.</p>"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def move(consultation, opens_at, closes_at) -> Consultation:
    """Set the dates after the responses were given (they need it open at the time)."""
    Consultation.objects.filter(pk=consultation.pk).update(opens_at=opens_at, closes_at=closes_at)
    return Consultation.objects.get(pk=consultation.pk)


def make_march(site_tree):
    """Invited-only support vote in March 2026: five invited, three voted, two answered the poll
    (one of them a voter), one sent a questionnaire review – four people in all. Its outcome page
    lists two changes and the team's reflections."""
    consultation = ConsultationFactory(
        title="Which app features matter?",
        summary="Find out which features of the app matter most to patients and carers.",
        audience=Consultation.Audience.INVITED,
        prototype=site_tree["prototype"],
        features=3,
    )
    people = [
        MemberFactory(role=role, display_name=f"Person {i}")
        for i, role in enumerate(
            [Role.PATIENT, Role.PATIENT, Role.CARER, Role.CLINICIAN, Role.PUBLIC]
        )
    ]
    for member in people:
        InvitationFactory(consultation=consultation, member=member)
    diary, contact, _steps = consultation.features.order_by("sort_order")
    for member in people[:3]:
        vote_for(member, consultation, diary)
    vote_for(people[2], consultation, contact)
    poll = PollFactory(
        consultation=consultation, question="Where would you use the app?", choices=["Home", "Ward"]
    )
    answer(people[0], poll, "Home")
    answer(people[3], poll, "Ward")
    questionnaire = QuestionnaireFactory(consultation=consultation, items=2)
    review_all(people[1], questionnaire)
    consultation = move(consultation, at(2026, 3, 2, 9), at(2026, 3, 16, 17))
    outcome_page(
        outcome_index(site_tree["home"]),
        consultation,
        reflections=REFLECTIONS,
        changes=[
            {
                "title": "The symptom diary is on the home screen",
                "app_version": site_tree["prototype"],
                "features": [diary],
            },
            {"title": "A button to call your care team", "features": [contact]},
        ],
    )
    return consultation


def make_april():
    """A points vote in April 2026 with one voter and no outcome page yet."""
    consultation = ConsultationFactory(
        title="How should reminders work?",
        summary="Decide how the app reminds you about medicines.",
        voting_method=Consultation.Method.POINTS,
        features=4,
    )
    vote_for(MemberFactory(role=Role.CARER), consultation, consultation.features.first())
    return move(consultation, at(2026, 4, 6, 9), at(2026, 4, 20, 17))


@pytest.fixture(scope="class")
def records(django_db_setup, django_db_blocker):
    """The site, March and April, built once for the tests of TestMarchAndApril."""
    with rows_for_the_scope(django_db_blocker):
        tree = build_site()
        yield {"tree": tree, "march": make_march(tree), "april": make_april()}


@pytest.fixture
def march(records, db):
    return fresh(records["march"])


@pytest.fixture
def april(records, db):
    return fresh(records["april"])


def sections(response) -> dict[int, list[str]]:
    """Section number → its lines (list items and paragraphs), as shown."""
    html = soup(response)
    found = {}
    for h2 in html.find_all("h2"):
        number, _, _title = h2.get_text(strip=True).partition(". ")
        if not number.isdigit():
            continue
        lines = []
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2":
                break
            items = sibling.find_all("li") if sibling.name == "ul" else [sibling]
            lines += [words(el) for el in items]
        found[int(number)] = lines
    return found


class TestMarchAndApril:
    """Reports on the March and April consultations (built once for the class)."""

    @pytest.fixture
    def site_tree(self, records, db):
        return fresh(records["tree"])

    def test_the_report_for_one_consultation_fills_the_five_sections(self, manager_client, march):
        response = manager_client.get(URL, {"consultation": march.pk})

        assert response.status_code == 200
        report = sections(response)
        assert sorted(report) == [1, 2, 3, 4, 5]
        assert report[1] == [
            "Which app features matter?: "
            "Find out which features of the app matter most to patients and carers."
        ]
        assert report[2] == [
            "Which app features matter? – Support: one support per feature; "
            "open 2 March 2026 to 16 March 2026; invited members only; "
            "recorded as involvement (helping design the study).",
            "5 invitations were sent by email.",
            "Answering a poll: 2",
            "Reviewing a questionnaire: 1",
            "Voting on features: 3",
        ]
        # 3 votes × 10 min + 2 poll answers × 2 min + 1 questionnaire review × 30 min = 64 min.
        assert report[3][0] == "4 contributors took part, giving about 1.1 hours in all."
        assert "3 people voted on the app's features." in report[3]  # groups under 5 not named
        assert "Top features: Feature 1; Feature 2." in report[3]
        assert "“Where would you use the app?” – most said “Home” (50% of 2)." in report[3]
        assert report[4] == [
            "The symptom diary is on the home screen (in v0.3)",
            "A button to call your care team",
        ]
        assert report[5] == ["Patients answered quickly. Fewer clinicians took part than we hoped."]

    def test_a_consultation_without_an_outcome_says_so(self, manager_client, april):
        report = sections(manager_client.get(URL, {"consultation": april.pk}))

        assert report[2][0].startswith(
            "How should reminders work? – Points: spread a number of points across features; "
            "open 6 April 2026 to 20 April 2026; all active members;"
        )
        assert report[3][0] == "1 contributor took part, giving about 0.2 hours in all."
        assert report[4] == ["No changes have been recorded yet."]
        assert report[5] == ["No reflections recorded yet. Add them on the outcome page."]

    def test_one_invitation_and_one_contributor_read_as_plain_english(self, manager_client, april):
        InvitationFactory(consultation=april, member=MemberFactory())

        report = sections(manager_client.get(URL, {"consultation": april.pk}))

        assert "1 invitation was sent by email." in report[2]
        assert report[3][0].startswith("1 contributor took part")
        assert "1 person voted on the app's features." in report[3]

    def test_a_draft_outcome_page_is_not_reported(self, manager_client, site_tree, april):
        outcome_page(
            outcome_index(site_tree["home"]),
            april,
            publish=False,
            reflections="<p>Not ready to share.</p>",
            changes=[{"title": "Not decided yet"}],
        )

        report = sections(manager_client.get(URL, {"consultation": april.pk}))

        assert report[4] == ["No changes have been recorded yet."]
        assert "Not ready to share." not in " ".join(report[5])

    @pytest.mark.parametrize(
        ("date_from", "date_to", "titles"),
        [
            ("2026-03-01", "2026-03-31", ["Which app features matter?"]),
            ("2026-04-01", "2026-04-30", ["How should reminders work?"]),
            (
                "2026-03-16",
                "2026-04-06",
                ["Which app features matter?", "How should reminders work?"],
            ),
            ("2026-03-17", "2026-04-05", []),
        ],
    )
    def test_the_report_for_a_date_range_covers_the_consultations_in_it(
        self, manager_client, march, april, date_from, date_to, titles
    ):
        response = manager_client.get(URL, {"date_from": date_from, "date_to": date_to})

        assert response.status_code == 200
        aims = sections(response)[1]
        if titles:
            assert [line.split(":")[0] for line in aims] == titles
        else:
            assert aims == ["Nothing recorded."]

    def test_a_date_range_adds_up_both_consultations(self, manager_client, march, april):
        report = sections(
            manager_client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-04-30"})
        )

        assert report[3][0] == "5 contributors took part, giving about 1.2 hours in all."
        assert "Voting on features: 4" in report[2]
        assert report[4] == [
            "The symptom diary is on the home screen (in v0.3)",
            "A button to call your care team",
        ]

    def test_an_end_date_before_the_start_is_refused(self, manager_client, march):
        response = manager_client.get(URL, {"date_from": "2026-03-31", "date_to": "2026-03-01"})

        text = text_of(response)
        assert "This must be after the start date." in text
        assert "Aim of PPI in the study" not in text

    def test_the_word_download_is_an_attachment_with_the_report(self, manager_client, march):
        response = manager_client.get(URL, {"consultation": march.pk, "format": "doc"})

        assert response.status_code == 200
        assert response["Content-Type"] == "application/msword"
        assert response["Content-Disposition"] == 'attachment; filename="gripp2-report.doc"'
        report = sections(response)
        assert report[4][0] == "The symptom diary is on the home screen (in v0.3)"
        assert report[5] == ["Patients answered quickly. Fewer clinicians took part than we hoped."]

    def test_the_printable_page_is_a_whole_document_without_the_admin(self, manager_client, march):
        response = manager_client.get(URL, {"consultation": march.pk, "format": "print"})

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "attachment" not in response.get("Content-Disposition", "")
        html = response.content.decode()
        assert html.lstrip().startswith("<!DOCTYPE html>")
        assert html.rstrip().endswith("</html>")
        page = soup(html)
        assert page.html["lang"] == "en-GB"
        assert page.title.get_text(strip=True).startswith("GRIPP2 short form")
        assert page.h1.get_text(strip=True).startswith("GRIPP2 short form")
        assert "Which app features matter? (2 Mar 2026 – 16 Mar 2026)" in page.get_text(" ")
        assert not page.find("aside") and not page.find(id="wagtail-sidebar")
        assert sorted(sections(response)) == [1, 2, 3, 4, 5]

    def test_the_screen_links_to_the_printable_page_and_the_download(self, manager_client, march):
        response = manager_client.get(URL, {"consultation": march.pk})
        html = soup(response)

        printable = html.find("a", string="Printable page")["href"]
        download = html.find("a", string="Download as a Word document")["href"]

        assert manager_client.get(URL + printable).content.decode().lstrip().startswith("<!DOCTYPE")
        assert manager_client.get(URL + download)["Content-Type"] == "application/msword"

    @pytest.mark.parametrize("who", ["member", "anonymous"])
    def test_only_managers_get_the_report(self, march, who):
        client = Client()
        if who == "member":
            client.force_login(MemberFactory().user)

        for fmt in ["", "print", "doc"]:
            response = client.get(URL, {"consultation": march.pk, "format": fmt})
            assert response.status_code in {302, 403}
            if response.status_code == 302:
                assert "/login/" in response["Location"]
            assert b"Which app features matter?" not in response.content

    def test_a_link_to_a_page_in_the_reflections_is_a_working_link(
        self, manager_client, site_tree, april
    ):
        prototype = site_tree["prototype"]
        outcome_page(
            outcome_index(site_tree["home"]),
            april,
            reflections=f'<p>See <a linktype="page" id="{prototype.pk}">the prototype</a>.</p>',
        )

        for fmt in ("", "print"):
            response = manager_client.get(URL, {"consultation": april.pk, "format": fmt})
            link = soup(response).find("a", string="the prototype")

            assert link is not None and link["href"] == prototype.url, fmt


def test_dates_are_the_uk_dates_people_saw(manager_client):
    """A consultation that opened at half past midnight on 1 June (British Summer Time) opened
    on 1 June, although it was still 31 May in UTC."""
    consultation = move(ConsultationFactory(), at(2026, 6, 1, 0, 30), at(2026, 6, 30, 23, 30))

    report = sections(manager_client.get(URL, {"consultation": consultation.pk}))

    assert "open 1 June 2026 to 30 June 2026" in report[2][0]


@pytest.mark.parametrize(
    "query",
    [
        {"consultation": "", "date_from": "", "date_to": ""},
        {"date_from": "2026-03-01"},
        {"date_to": "2026-03-31"},
    ],
)
def test_without_a_consultation_or_both_dates_the_form_says_what_to_choose(manager_client, query):
    response = manager_client.get(URL, query)

    assert response.status_code == 200
    text = text_of(response)
    assert "Choose a consultation, or both dates." in text
    assert "Aim of PPI in the study" not in text
