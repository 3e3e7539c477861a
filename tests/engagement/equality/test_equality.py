"""Optional equality monitoring: its own page with its own explicit agreement, every question
with "prefer not to say", editable and erasable; and the "Who is in our group" report, in
aggregate only, with small numbers protected."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from engagement.models import ConsentPurpose, ConsentRecord, EqualityAnswers, Member
from tests.factories.consultations import ConsultationFactory, FeatureFactory
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.html import soup, table_rows, text_of

pytestmark = pytest.mark.django_db

ANSWERS = {
    "age_band": "45_54",
    "sex": "female",
    "gender_same_as_sex": "yes",
    "ethnic_group": "white_irish",
    "long_term_condition": "yes",
    "activity_limited": "a_little",
    "area": "north_west",
}


@pytest.fixture
def ann():
    return MemberFactory(display_name="Ann")


@pytest.fixture
def client(ann):
    client = Client()
    client.force_login(ann.user)
    return client


def test_every_question_has_prefer_not_to_say_and_the_agreement_is_asked(client):
    response = client.get("/me/equality/")

    assert response.status_code == 200
    page = soup(response)
    for name in ANSWERS:
        labels = [label.get_text() for label in page.select(f"fieldset#id_{name} label")]
        assert "Prefer not to say" in labels
    assert len(page.select("fieldset#id_ethnic_group input")) == 20  # 19 ONS categories + 1
    assert page.find(id="id_consent")
    assert not page.find(id="id_consent").has_attr("checked")


def test_answers_need_the_explicit_agreement_and_are_kept_on_error(client, ann):
    response = client.post("/me/equality/", {**ANSWERS, "sex": ""})

    assert response.status_code == 400
    page = soup(response)
    group = page.find(id="id_consent").find_parent("div", class_="form-group")
    assert "we need your agreement" in group.get_text()
    sex = page.find(id="id_sex").find_parent("div", class_="form-group")
    assert "Prefer not to say" in sex.select_one(".error-message").get_text()
    assert page.find("input", {"name": "ethnic_group", "value": "white_irish"}).has_attr("checked")
    assert not EqualityAnswers.objects.exists()
    assert not ConsentRecord.objects.filter(member=ann, text__purpose="equality").exists()


def test_answering_changing_and_deleting(client, ann):
    response = client.post("/me/equality/", {**ANSWERS, "consent": "on"}, follow=True)

    assert "Thank you. Your answers are saved." in text_of(response)
    answers = EqualityAnswers.objects.get(member=ann)
    assert answers.ethnic_group == "white_irish"
    assert ConsentRecord.objects.filter(member=ann, text__purpose="equality").count() == 1

    # Changing them: no second agreement asked.
    page = soup(client.get("/me/equality/"))
    assert page.find(id="id_consent") is None
    assert page.find("input", {"name": "area", "value": "north_west"}).has_attr("checked")
    client.post("/me/equality/", {**ANSWERS, "area": "prefer_not"})
    answers.refresh_from_db()
    assert answers.area == "prefer_not"

    # They are in the member's own data.
    data = client.get("/me/data/my-ppie-data.json").json()
    assert data["equality_answers"][0]["ethnic_group"] == "White: Irish"

    client.post("/me/equality/delete/")
    assert not EqualityAnswers.objects.filter(member=ann).exists()


def test_taking_the_agreement_back_deletes_the_answers(client, ann):
    client.post("/me/equality/", {**ANSWERS, "consent": "on"})

    page = client.get("/me/preferences/withdraw/equality/")
    assert "We delete all your equality monitoring answers." in text_of(page)
    client.post("/me/preferences/withdraw/equality/")

    assert not EqualityAnswers.objects.filter(member=ann).exists()
    assert Member.objects.get(pk=ann.pk).status == Member.Status.ACTIVE


def test_leaving_deletes_the_answers(client, ann):
    client.post("/me/equality/", {**ANSWERS, "consent": "on"})
    client.post("/me/withdraw/")
    assert not EqualityAnswers.objects.exists()


def answered(n, **answers):
    members = []
    for _ in range(n):
        member = MemberFactory(consents=[ConsentPurpose.JOIN, ConsentPurpose.EQUALITY])
        EqualityAnswers.objects.create(member=member, **{**ANSWERS, **answers})
        members.append(member)
    return members


def report(query=""):
    manager = Client()
    manager.force_login(ManagerFactory())
    return manager.get("/admin/group_make_up/" + query)


def rows_by_category(response):
    rows = table_rows(soup(response).select_one("table.listing"))
    return {row[0]: row[1:] for row in rows[1:]}


def test_the_report_protects_small_numbers_and_shows_targets():
    answered(6, ethnic_group="white_british")
    answered(5, ethnic_group="asian_indian")
    answered(2, ethnic_group="black_african")

    response = report("?question=ethnic_group&target_white_british=80&target_asian_indian=10")

    assert response.status_code == 200
    rows = rows_by_category(response)
    assert rows["White: English, Welsh, Scottish, Northern Irish or British"] == [
        "6",
        "46.2%",
        "80.0%",
    ]
    assert rows["Black, Black British, Caribbean or African: African"][:2] == ["fewer than 5", "–"]
    # With one count hidden, the next smallest is hidden too: 13 - 6 - 5 would give it away.
    assert rows["Asian or Asian British: Indian"][:2] == ["fewer than 5", "–"]
    assert rows["White: Irish"][:2] == ["0", "0.0%"]
    assert "Active members who answered: 13." in text_of(response)
    assert soup(response).find("svg", class_="chart")


def test_the_report_compares_responders_of_a_consultation():
    voters = answered(5, area="london")
    answered(6, area="wales")
    consultation = ConsultationFactory(title="Which features?")
    feature = FeatureFactory(consultation=consultation)
    from engagement.models import Vote

    for member in voters:
        Vote.objects.create(
            consultation=consultation, feature=feature, member=member, kind="support", value=1
        )

    response = report(f"?question=area&consultation={consultation.pk}")

    rows = rows_by_category(response)
    assert rows["London"][:4] == ["5", "45.5%", "5", "100.0%"]
    assert rows["Wales"][:4] == ["6", "54.5%", "0", "0.0%"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("?question=area&target_london=abc", "Enter a percentage, like 12.5"),
        ("?question=area&target_london=120", "A percentage cannot be above 100"),
        ("?question=area&target_london=60&target_wales=60", "add up to more than 100"),
    ],
)
def test_bad_targets_are_explained_without_a_server_error(query, message):
    response = report(query)
    assert response.status_code == 400
    assert message in text_of(response)


def test_the_xlsx_holds_aggregates_only():
    members = answered(6, ethnic_group="white_british")

    response = report("?question=ethnic_group&format=xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="who-is-in-our-group.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "6" in cells
    for member in members:
        assert member.display_name not in cells and member.user.email not in cells


def test_members_cannot_see_the_report(ann):
    client = Client()
    client.force_login(ann.user)
    assert client.get("/admin/group_make_up/").status_code == 302
