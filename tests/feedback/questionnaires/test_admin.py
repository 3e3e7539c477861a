"""The PPIE manager's analysis of questionnaire reviews in the Wagtail admin: per-item counts and
percentages, the most flagged items first, what people wrote next to their item, the
stakeholder-group filter, the item-tracking matrix and the next version, anonymised exports (CSV
and XLSX); and nobody else gets in."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from engagement.consultations.selectors import anonymous_id
from engagement.models import ConsentPurpose, Role
from feedback.models import Item, Questionnaire
from feedback.questionnaires import services as questionnaires_services
from tests.factories.feedback import (
    QuestionnaireFactory,
    give_consent,
    items_of,
)
from tests.factories.membership import ManagerFactory, MemberFactory, UserFactory
from tests.html import field_value, soup, table_rows, words
from tests.spreadsheets import xlsx_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed():
    """Three items reviewed by a patient, a carer, a member of the public and a clinician.

    Item 1 "Energy": relevance 4, 4, 3, 1; no flags.
    Item 2 "Brain fog": relevance 2 each; unclear words from the patient and the carer, the
        clinician finds it upsetting ("yes"): 3 flags. Two rewordings, one comment.
    Item 3 "Mood": relevance 3 each; the public member: "a little" upsetting and would skip
        (2 flags); one comment.
    Order by flags: Brain fog (3), Mood (2), Energy (0).
    """
    questionnaire = QuestionnaireFactory(items=["Energy", "Brain fog", "Mood"], title="Recovery")
    energy, fog, mood = items_of(questionnaire)
    people = {
        "patient": MemberFactory(
            role=Role.PATIENT, display_name="Ann Patient", user__email="ann@example.org"
        ),
        "carer": MemberFactory(
            role=Role.CARER, display_name="Carl Carer", user__email="carl@example.org"
        ),
        "public": MemberFactory(
            role=Role.PUBLIC, display_name="Pat Public", user__email="pat@example.org"
        ),
        "clinician": MemberFactory(
            role=Role.CLINICIAN, display_name="Dr Clare", user__email="clare@example.org"
        ),
    }
    give_consent(people["patient"], ConsentPurpose.QUOTE)
    answers = {
        "patient": [
            {"relevance": 4, "comment": "Spot on"},
            {"relevance": 2, "unclear_words": "brain fog", "suggested_rewording": "Muddled?"},
            {"relevance": 3},
        ],
        "carer": [
            {"relevance": 4},
            {"relevance": 2, "unclear_words": "fog", "suggested_rewording": "Hard to think?"},
            {"relevance": 3},
        ],
        "public": [
            {"relevance": 3},
            {"relevance": 2},
            {"relevance": 3, "upsetting": "a_little", "would_skip": True, "comment": "Private"},
        ],
        "clinician": [
            {"relevance": 1, "options_fit": "partly"},
            {"relevance": 2, "upsetting": "yes", "comment": "Needs care"},
            {"relevance": 3},
        ],
    }
    for key, per_item in answers.items():
        review = questionnaires_services.start_review(
            member=people[key], questionnaire=questionnaire
        )
        for item, data in zip([energy, fog, mood], per_item, strict=True):
            questionnaires_services.save_item_feedback(review=review, item=item, data=data)
        questionnaires_services.submit_review(review=review)
    return {"questionnaire": questionnaire, "items": (energy, fog, mood), "people": people}


def analysis_url(questionnaire, query="") -> str:
    return f"/admin/questionnaires/analysis/{questionnaire.pk}/{query}"


def html(response) -> str:
    return response.content.decode()


class ItemOnPage:
    """One item as the manager reads it: its section on the analysis page or its fieldset in the
    matrix, parsed. `"text" in item` looks in the words a reader sees."""

    def __init__(self, element):
        self.element = element
        self.text = words(element)
        # The heading says “Item 2: “Brain fog””: the item's text is in the quotes.
        self.title = words(element.find(["h2", "legend"])).partition("“")[2].removesuffix("”")
        # Each answer's row in the item's tables: (answer, count, percentage).
        self.rows = [
            tuple(cells) for table in element.find_all("table") for cells in table_rows(table)[1:]
        ]
        # What people wrote: (the label in bold, the whole line).
        self.comments = [(words(li.strong), words(li)) for li in element.select("li") if li.strong]
        self.links = [a["href"] for a in element.find_all("a", href=True)]

    def __contains__(self, text: str) -> bool:
        return text in self.text


def sections(page: str) -> list[ItemOnPage]:
    return [ItemOnPage(element) for element in soup(page).select("section.ppie-item")]


def matrix_url(questionnaire) -> str:
    return f"/admin/questionnaires/matrix/{questionnaire.pk}/"


def fieldsets(page: str) -> list[ItemOnPage]:
    return [ItemOnPage(element) for element in soup(page).select("fieldset.ppie-matrix")]


def row(label: str, count: int, pct: int) -> tuple[str, str, str]:
    return (label, str(count), f"{pct}%")


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def xlsx_rows(response) -> list[dict]:
    return xlsx_table(response)


def test_per_item_counts_and_percentages_match_the_answers(manager_client, analysed):
    page = html(manager_client.get(analysis_url(analysed["questionnaire"])))

    fog, mood, energy = sections(page)  # most flagged first
    assert (energy.title, fog.title, mood.title) == ("Energy", "Brain fog", "Mood")
    assert "4 answers · 0 flags · 75% quite or very relevant · 0% unclear · 0% upsetting" in energy
    assert row("Very relevant", 2, 50) in energy.rows
    assert row("Quite relevant", 1, 25) in energy.rows
    assert row("A little relevant", 0, 0) in energy.rows
    assert row("Not at all relevant", 1, 25) in energy.rows
    assert row("Partly", 1, 25) in energy.rows  # answer options fit
    assert "4 answers · 3 flags · 0% quite or very relevant · 50% unclear · 25% upsetting" in fog
    assert row("A little relevant", 4, 100) in fog.rows
    assert "4 answers · 2 flags · 100% quite or very relevant · 0% unclear · 25% upsetting" in mood
    assert row("A little", 1, 25) in mood.rows
    assert "4 reviews started, 4 sent." in words(page)


def test_items_most_often_flagged_come_first_in_the_page_and_the_chart(manager_client, analysed):
    page = html(manager_client.get(analysis_url(analysed["questionnaire"])))

    assert [item.title for item in sections(page)] == ["Brain fog", "Mood", "Energy"]
    chart = words(soup(page).find(id="flags-chart"))
    assert chart.index("Brain fog") < chart.index("Mood") < chart.index("Energy")


def test_every_rewording_and_comment_is_shown_next_to_its_item(manager_client, analysed):
    page = html(manager_client.get(analysis_url(analysed["questionnaire"])))

    fog, mood, energy = sections(page)
    assert "Muddled?" in fog and "Hard to think?" in fog and "Needs care" in fog
    assert ("Rewording", "Rewording (Patients, may be quoted): Muddled?") in fog.comments
    assert ("Rewording", "Rewording (Carers): Hard to think?") in fog.comments
    assert ("Unclear words", "Unclear words (Patients, may be quoted): brain fog") in fog.comments
    assert "Private" in mood and "Spot on" in energy
    for text in ["Muddled?", "Hard to think?", "Needs care"]:
        assert text not in mood and text not in energy
    assert "Private" not in fog and "Spot on" not in fog
    for name in ["Ann Patient", "Carl Carer", "ann@example.org", "Dr Clare"]:
        assert name not in page


def test_filtering_by_stakeholder_group_changes_the_counts(manager_client, analysed):
    page = html(manager_client.get(analysis_url(analysed["questionnaire"], "?group=patients")))

    energy = {item.title: item for item in sections(page)}["Energy"]
    assert "1 answer · 0 flags · 100% quite or very relevant" in energy
    assert row("Very relevant", 1, 100) in energy.rows
    assert row("Not at all relevant", 0, 0) in energy.rows
    assert "Hard to think?" not in page  # the carer's words
    assert field_value(page, "group") == "patients"

    professionals = html(
        manager_client.get(analysis_url(analysed["questionnaire"], "?group=professionals"))
    )
    first = sections(professionals)[0]
    assert first.title == "Brain fog"
    assert "1 answer · 1 flag · 0% quite or very relevant · 0% unclear · 100% upsetting" in first


def test_an_unknown_group_shows_everyone(manager_client, analysed):
    page = html(manager_client.get(analysis_url(analysed["questionnaire"], "?group=martians")))

    assert "4 answers · 3 flags" in page


def matrix_data(items, decisions) -> dict:
    data = {}
    for item, (decision, wording) in zip(items, decisions, strict=True):
        prefix = f"item-{item.pk}-"
        data.update(
            {
                prefix + "problems": ["comprehension", "options"] if decision != "keep" else [],
                prefix + "severity": "moderate" if decision != "keep" else "none",
                prefix + "decision": decision,
                prefix + "revised_wording": wording,
                prefix + "rationale": f"Because of the feedback on {item.text}",
            }
        )
    return data


def test_the_matrix_post_saves_every_decision(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    energy, fog, mood = analysed["items"]

    response = manager_client.post(
        f"/admin/questionnaires/matrix/{questionnaire.pk}/",
        matrix_data(
            [energy, fog, mood], [("keep", ""), ("revise", "Hard to think clearly?"), ("drop", "")]
        ),
        follow=True,
    )

    assert "The item-tracking matrix is saved." in html(response)
    fog.refresh_from_db()
    assert (fog.decision, fog.problems, fog.severity) == (
        "revise",
        ["comprehension", "options"],
        "moderate",
    )
    assert fog.revised_wording == "Hard to think clearly?"
    assert fog.rationale == "Because of the feedback on Brain fog"
    assert Item.objects.get(pk=energy.pk).decision == "keep"
    assert Item.objects.get(pk=mood.pk).decision == "drop"


def test_a_matrix_row_that_cannot_be_saved_saves_nothing_and_says_why_next_to_it(
    manager_client, analysed
):

    questionnaire = analysed["questionnaire"]
    energy, fog, mood = analysed["items"]

    response = manager_client.post(
        matrix_url(questionnaire),
        matrix_data([energy, fog, mood], [("keep", ""), ("revise", ""), ("drop", "")]),
    )

    page = html(response)
    assert response.status_code == 200
    assert "Nothing was saved: the items marked below need a change first." in page
    energy_row, fog_row, mood_row = fieldsets(page)
    assert "Give the new wording or the new response options for a revised item" in fog_row
    assert "Give the new wording" not in energy_row and "Give the new wording" not in mood_row
    # What the manager entered is still there, on every row, to correct and send again.
    assert field_value(fog_row.element, f"item-{fog.pk}-rationale") == (
        "Because of the feedback on Brain fog"
    )
    assert field_value(mood_row.element, f"item-{mood.pk}-decision") == "drop"
    # All or none: the rows without a problem were not saved either.
    assert [i.decision for i in Item.objects.order_by("sort_order")] == ["", "", ""]


def test_junk_in_the_matrix_post_is_explained_not_a_server_error(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    energy, fog, mood = analysed["items"]
    data = matrix_data([energy, fog, mood], [("keep", ""), ("keep", ""), ("keep", "")])
    data[f"item-{fog.pk}-decision"] = "burn"
    data[f"item-{mood.pk}-revised_wording"] = "x" * 5000

    response = manager_client.post(matrix_url(questionnaire), data)

    assert response.status_code == 200
    energy_row, fog_row, mood_row = fieldsets(html(response))
    assert "Select a valid choice." in fog_row
    assert "Ensure this value has at most" in mood_row
    assert [i.decision for i in Item.objects.order_by("sort_order")] == ["", "", ""]


def test_the_matrix_page_shows_each_item_with_its_numbers_and_decision(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    fog = analysed["items"][1]
    questionnaires_services.save_tracking(
        item=fog, data={"decision": "revise", "revised_wording": "Muddled?"}
    )

    page = html(manager_client.get(matrix_url(questionnaire)))

    energy_row, fog_row, mood_row = fieldsets(page)
    assert words(fog_row.element.legend) == "Item 2: “Brain fog”"
    assert (
        "4 answers · 3 flags · 0% quite or very relevant · 50% unclear · 25% upsetting" in fog_row
    )
    assert field_value(fog_row.element, f"item-{fog.pk}-decision") == "revise"
    assert field_value(fog_row.element, f"item-{fog.pk}-revised_wording") == "Muddled?"
    assert f"{analysis_url(questionnaire)}#item-{fog.pk}" in fog_row.links
    assert "Create the next version from these decisions" in words(page)


def test_the_analysis_shows_decisions_and_links_to_the_matrix(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    fog = analysed["items"][1]
    questionnaires_services.save_tracking(
        item=fog, data={"decision": "revise", "severity": "major", "revised_wording": "Muddled?"}
    )

    page = html(manager_client.get(analysis_url(questionnaire)))

    by_title = {item.title: item for item in sections(page)}
    assert "Revise (major): “Muddled?”" in by_title["Brain fog"]
    assert f"{matrix_url(questionnaire)}#item-{fog.pk}" in by_title["Brain fog"].links
    assert "none recorded yet" in by_title["Mood"]
    assert not soup(page).find(id="flags-chart").find_all_next("select")  # nothing to fill in


def test_create_next_version_makes_version_2(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    energy, fog, mood = analysed["items"]
    manager_client.post(
        f"/admin/questionnaires/matrix/{questionnaire.pk}/",
        matrix_data(
            [energy, fog, mood], [("keep", ""), ("revise", "Hard to think?"), ("drop", "")]
        ),
    )

    response = manager_client.post(f"/admin/questionnaires/next-version/{questionnaire.pk}/")

    new = Questionnaire.objects.get(previous_version=questionnaire)
    assert new.version == 2
    assert response.status_code == 302
    assert response.url == f"/admin/questionnaires/edit/{new.pk}/"
    assert [i.text for i in items_of(new)] == ["Energy", "Hard to think?"]
    assert manager_client.get(response.url).status_code == 200


def test_create_next_version_without_decisions_says_what_is_missing(manager_client, analysed):
    questionnaire = analysed["questionnaire"]

    response = manager_client.post(
        f"/admin/questionnaires/next-version/{questionnaire.pk}/", follow=True
    )

    assert response.redirect_chain[-1][0] == matrix_url(questionnaire)
    assert "Missing: 3." in html(response)
    assert Questionnaire.objects.count() == 1


def test_matrix_xlsx_export_has_the_right_numbers(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    energy, fog, mood = analysed["items"]
    questionnaires_services.save_tracking(
        item=fog, data={"decision": "revise", "revised_wording": "Muddled?"}
    )

    response = manager_client.get(
        f"/admin/questionnaires/matrix-export/{questionnaire.pk}/?export=xlsx"
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'matrix-{questionnaire.pk}-v1.xlsx"')
    rows = xlsx_rows(response)
    assert [r["Item"] for r in rows] == ["Energy", "Brain fog", "Mood", "All items (S-CVI/Ave)"]
    rows = rows[:3]
    by_item = {r["Item"]: r for r in rows}
    assert by_item["Energy"]["Relevant pct"] == 75
    assert by_item["Brain fog"]["Relevant pct"] == 0
    assert by_item["Brain fog"]["Unclear pct"] == 50
    assert by_item["Brain fog"]["Upsetting pct"] == 25
    assert by_item["Mood"]["Upsetting pct"] == 25
    assert by_item["Brain fog"]["Decision"] == "Revise"
    assert by_item["Brain fog"]["Revised wording"] == "Muddled?"
    assert {r["Version"] for r in rows} == {1}


def test_responses_xlsx_export_has_one_row_per_person_and_item(manager_client, analysed):
    questionnaire = analysed["questionnaire"]

    response = manager_client.get(
        f"/admin/questionnaires/responses/{questionnaire.pk}/?export=xlsx"
    )

    rows = xlsx_rows(response)
    assert len(rows) == 4 * 3
    energy = [r for r in rows if r["Item"] == "Energy"]
    assert sorted(r["Relevance"] for r in energy) == sorted(
        ["Very relevant", "Very relevant", "Quite relevant", "Not at all relevant"]
    )
    assert {r["Item number"] for r in energy} == {1}
    groups = {r["Stakeholder group"] for r in rows}
    assert groups == {"Patients", "Carers", "Public", "Professionals"}
    mood_public = [r for r in rows if r["Item"] == "Mood" and r["Stakeholder group"] == "Public"]
    assert mood_public[0]["Would skip"] == "yes"
    assert mood_public[0]["Upsetting"] == "A little"


def test_csv_export_neutralises_formulas_and_names_nobody(manager_client, analysed):
    questionnaire = analysed["questionnaire"]
    patient = analysed["people"]["patient"]
    review = patient.questionnaire_reviews.get()
    questionnaires_services.save_item_feedback(
        review=review,
        item=analysed["items"][0],
        data={"relevance": 4, "comment": '=HYPERLINK("http://x")', "own_words": "+1 from me"},
    )

    response = manager_client.get(f"/admin/questionnaires/responses/{questionnaire.pk}/?export=csv")

    text = body(response).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    comments = [r["Comment"] for r in rows if "HYPERLINK" in r["Comment"]]
    assert comments == ['\'=HYPERLINK("http://x")']
    assert "'+1 from me" in [r["Own words"] for r in rows]
    for person in analysed["people"].values():
        assert person.display_name not in text
        assert person.user.email not in text
    participants = {r["Participant"] for r in rows}
    assert len(participants) == 4
    assert all(re.fullmatch(r"P-[0-9a-f]{10}", p) for p in participants)
    assert anonymous_id(questionnaire.consultation_id, patient.pk) in participants
    mine = [
        r
        for r in rows
        if r["Participant"] == anonymous_id(questionnaire.consultation_id, patient.pk)
    ]
    assert {r["May quote"] for r in mine} == {"yes"}


def test_an_export_format_that_does_not_exist_is_not_found(manager_client, analysed):
    url = f"/admin/questionnaires/responses/{analysed['questionnaire'].pk}/"

    assert manager_client.get(url + "?export=pdf").status_code == 404
    assert manager_client.get(url).status_code == 404


def admin_urls(questionnaire, prototype) -> list[tuple[str, str]]:
    q, pk = "/admin/questionnaires", questionnaire.pk
    return [
        ("get", "/admin/questionnaires/"),
        ("get", f"{q}/analysis/{pk}/"),
        ("get", f"{q}/analysis/{pk}/?group=patients"),
        ("get", f"{q}/matrix/{pk}/"),
        ("post", f"{q}/matrix/{pk}/"),
        ("post", f"{q}/next-version/{pk}/"),
        ("get", f"{q}/responses/{pk}/?export=csv"),
        ("get", f"{q}/responses/{pk}/?export=xlsx"),
        ("get", f"{q}/matrix-export/{pk}/?export=csv"),
        ("get", f"{q}/matrix-export/{pk}/?export=xlsx"),
        ("get", "/admin/prototype_reviews/"),
        ("get", f"/admin/prototype_reviews/{prototype.pk}/"),
        ("get", f"/admin/prototype_reviews/{prototype.pk}/?compare={prototype.pk}"),
    ]


def editor_without_feedback_permissions():
    """Someone who may use the Wagtail admin (e.g. a page editor) but not see feedback."""
    user = UserFactory(email="editor@example.org")
    group = Group.objects.create(name="Editors only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.mark.parametrize("who", ["anonymous", "member", "editor"])
def test_nobody_but_managers_gets_in(site_tree, analysed, who):
    questionnaire = analysed["questionnaire"]
    energy = analysed["items"][0]
    client = Client()
    if who == "member":
        client.force_login(analysed["people"]["patient"].user)
    elif who == "editor":
        client.force_login(editor_without_feedback_permissions())

    for method, url in admin_urls(questionnaire, site_tree["prototype"]):
        data = {f"item-{energy.pk}-decision": "drop"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code in {302, 403}, (method, url, response.status_code)
        if response.status_code == 302:
            # Signed out: to sign in. Signed in without permission: Wagtail sends people
            # back to the dashboard with "Sorry, you do not have permission".
            expected = {"/admin/"} if who == "editor" else {"/admin/login/", "/accounts/login/"}
            assert response.url.split("?")[0] in expected, (url, response.url)
        assert "Brain fog" not in body(response).decode(errors="replace")

    assert Item.objects.get(pk=energy.pk).decision == ""
    assert Questionnaire.objects.count() == 1


def test_read_only_feedback_viewers_see_the_analysis_but_cannot_change_it(analysed):
    """Someone with view permission only (no change/add) sees no matrix form and is refused
    the matrix and next-version posts."""
    questionnaire = analysed["questionnaire"]
    energy = analysed["items"][0]
    user = UserFactory(email="viewer@example.org")
    group = Group.objects.create(name="Feedback readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_questionnaire"),
    )
    user.groups.add(group)
    client = Client()
    client.force_login(user)

    page = html(client.get(analysis_url(questionnaire)))
    matrix_page = client.get(matrix_url(questionnaire))
    matrix = client.post(
        f"/admin/questionnaires/matrix/{questionnaire.pk}/",
        {f"item-{energy.pk}-decision": "drop"},
    )
    nxt = client.post(f"/admin/questionnaires/next-version/{questionnaire.pk}/")

    assert "4 answers" in page
    assert "item-tracking matrix" not in page and "Record the decision" not in page
    assert (matrix_page.status_code, matrix_page.url) == (302, "/admin/")
    # Wagtail turns the refusal into a redirect to the dashboard with an error message.
    assert (matrix.status_code, matrix.url) == (302, "/admin/")
    assert (nxt.status_code, nxt.url) == (302, "/admin/")
    assert Item.objects.get(pk=energy.pk).decision == ""


def test_assisted_entries_are_marked_in_the_analysis_and_the_export(manager_client):
    questionnaire = QuestionnaireFactory(items=["Energy"])
    helped = MemberFactory(role=Role.PATIENT)
    review = questionnaires_services.start_review(member=helped, questionnaire=questionnaire)
    questionnaires_services.save_item_feedback(
        review=review,
        item=items_of(questionnaire)[0],
        data={"relevance": 3, "comment": "Said on the phone"},
        assisted_by=ManagerFactory(),
    )
    questionnaires_services.submit_review(review=review)  # only reviews sent are analysed

    page = html(manager_client.get(analysis_url(questionnaire)))
    rows = csv_rows(
        manager_client.get(f"/admin/questionnaires/responses/{questionnaire.pk}/?export=csv")
    )

    assert "<strong>Comment</strong> (Patients, assisted): Said on the phone" in page
    assert [r["Assisted"] for r in rows] == ["yes"]


@pytest.mark.parametrize("junk", ["²", "abc", "99999999"])
def test_comparing_with_a_junk_version_shows_the_page_alone(manager_client, prototypes, junk):
    response = manager_client.get(f"/admin/prototype_reviews/{prototypes['v3'].pk}/?compare={junk}")

    assert response.status_code == 200
    assert "<td>PRO-CAR-T app v0.4</td>" not in html(response)
