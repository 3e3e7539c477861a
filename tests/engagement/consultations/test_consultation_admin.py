"""The PPIE manager's workspace for consultations: listings, results with chart and table,
exports (CSV, XLSX, anonymised votes), invitations, reminders, Delphi round 2, assisted entry;
and nobody else gets in."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from engagement.consultations import services
from engagement.consultations.selectors import anonymous_id
from engagement.models import Consultation, Invitation, Role, Vote
from tests.factories.consultations import ConsultationFactory, PollFactory
from tests.factories.membership import MemberFactory, UserFactory
from tests.html import captioned, field_value, soup, table_rows, words
from tests.spreadsheets import xlsx_table

pytestmark = pytest.mark.django_db


def admin_url(consultation, action: str) -> str:
    return f"/admin/consultations/{action}/{consultation.pk}/"


@pytest.fixture
def voted():
    """Support, features 1–3: a patient supports 1 and 2, a carer 1, a member of the public 3.
    Totals: Feature 1 = 2, Feature 2 = 1, Feature 3 = 1."""
    consultation = ConsultationFactory(title="Alerts in the app", features=3)
    f1, f2, f3 = consultation.features.order_by("sort_order")
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
    }
    votes = {"patient": {f1.pk: 1, f2.pk: 1}, "carer": {f1.pk: 1}, "public": {f3.pk: 1}}
    for key, values in votes.items():
        services.cast_votes(member=people[key], consultation=consultation, values=values)
    return consultation, people


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response_or_text) -> list[dict]:
    text = response_or_text
    if not isinstance(text, str):
        text = body(response_or_text).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# --- Listings and the results page -------------------------------------------------------------


def test_manager_sees_consultations_with_their_status_and_opens_their_overview(manager_client):
    consultation = ConsultationFactory(title="Alerts in the app")
    PollFactory(consultation=consultation, question="Which device would you use?")
    ConsultationFactory(title="Still a draft", draft=True)

    listing = soup(manager_client.get("/admin/consultations/"))
    overview = manager_client.get(admin_url(consultation, "inspect"))

    rows = {
        row.find("a").get_text(strip=True): row
        for row in listing.select("table tbody tr")
        if row.find("a")
    }
    assert rows["Alerts in the app"].find("a")["href"] == admin_url(consultation, "inspect")
    assert "Open" in rows["Alerts in the app"].get_text(" ")
    assert "Draft" in rows["Still a draft"].get_text(" ")
    assert overview.status_code == 200
    assert "Which device would you use?" in overview.content.decode()  # polls: inline, here


def test_results_page_has_a_labelled_chart_and_the_same_numbers_in_a_table(manager_client, voted):
    consultation, _ = voted
    response = manager_client.get(admin_url(consultation, "results"))

    assert response.status_code == 200
    chart = soup(response).find("figure", attrs={"aria-labelledby": "results-chart-title"})
    assert words(chart.find(id="results-chart-title")) == "Number of people supporting each feature"
    assert [words(li) for li in chart.find_all("li")] == [
        "Feature 1 2",
        "Feature 2 1",
        "Feature 3 1",
    ]
    # Table rows: rank, feature, supports, people
    assert table_rows(captioned(response, "Supports for each feature"))[1:] == [
        ["1", "Feature 1", "2", "2"],
        ["2", "Feature 2", "1", "1"],
        ["2", "Feature 3", "1", "1"],
    ]
    assert "3 of 3 responded (100%)." in words(response)


def test_managers_see_every_group_however_small(manager_client, voted):
    """One patient, one carer, one member of the public: members would see none of them apart
    (each under the small-numbers threshold of 5); managers see each."""
    consultation, _ = voted
    response = manager_client.get(admin_url(consultation, "results"))

    rows = table_rows(captioned(response, "Votes for each feature, by stakeholder group"))
    assert rows[1:6] == [
        ["Feature 1"],
        ["Patients", "1", "1.00"],
        ["Carers", "1", "1.00"],
        ["Public", "0", "0.00"],
        ["Professionals", "0", "0.00"],
    ]


def test_results_page_with_equal_weights(manager_client, voted):
    consultation, _ = voted
    response = manager_client.get(admin_url(consultation, "results") + "?weights=equal")

    html = response.content.decode()
    assert (
        "Average per person in each stakeholder group, then the groups averaged, each group "
        "weighted the same"
    ) in html
    # Feature 1: patients 1/1, carers 1/1, public 0/1 -> 0.67; Features 2 and 3: 0.33
    # Rank, feature, total, people, weighted score
    rows = table_rows(captioned(response, "Supports for each feature"))[1:]
    weighted = [(row[1], row[4]) for row in rows]
    assert weighted == [("Feature 1", "0.67"), ("Feature 2", "0.33"), ("Feature 3", "0.33")]


# --- Exports -----------------------------------------------------------------------------------


def test_totals_csv(manager_client, voted):
    consultation, _ = voted
    response = manager_client.get(admin_url(consultation, "totals") + "?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [(r["Rank"], r["Feature"], r["Total"], r["Voters"]) for r in rows] == [
        ("1", "Feature 1", "2", "2"),
        ("2", "Feature 2", "1", "1"),
        ("2", "Feature 3", "1", "1"),
    ]
    assert (rows[0]["Patients total"], rows[0]["Carers total"], rows[0]["Public total"]) == (
        "1",
        "1",
        "0",
    )


def test_totals_xlsx_matches_the_votes(manager_client, voted):
    consultation, _ = voted
    response = manager_client.get(admin_url(consultation, "totals") + "?export=xlsx")

    assert response.status_code == 200
    table = xlsx_table(response)
    assert {r["Feature"]: r["Total"] for r in table} == {
        "Feature 1": 2,
        "Feature 2": 1,
        "Feature 3": 1,
    }
    stored = {
        f.title: f.votes.count() for f in consultation.features.all()
    }  # one support = 1 point
    assert {r["Feature"]: r["Total"] for r in table} == stored
    assert {r["Feature"]: r["Patients total"] for r in table} == {
        "Feature 1": 1,
        "Feature 2": 1,
        "Feature 3": 0,
    }


def test_totals_with_an_unknown_format_is_a_404(manager_client, voted):
    consultation, _ = voted
    assert manager_client.get(admin_url(consultation, "totals") + "?export=pdf").status_code == 404


def test_votes_export_uses_pseudonyms_and_never_names_or_emails(manager_client, voted):
    consultation, people = voted
    response = manager_client.get(admin_url(consultation, "votes") + "?export=csv")

    assert response.status_code == 200
    text = body(response).decode()
    rows = csv_rows(text)
    assert len(rows) == 4
    pseudonyms = {r["Participant (pseudonym)"] for r in rows}
    assert pseudonyms == {anonymous_id(consultation.pk, m.pk) for m in people.values()}
    assert all(re.fullmatch(r"P-[0-9a-f]{10}", p) for p in pseudonyms)
    for member in people.values():
        assert member.display_name not in text
        assert member.user.email not in text
    by_group = sorted((r["Stakeholder group"], r["Feature"]) for r in rows)
    assert by_group == [
        ("Carers", "Feature 1"),
        ("Patients", "Feature 1"),
        ("Patients", "Feature 2"),
        ("Public", "Feature 3"),
    ]
    assert {r["Entered by a manager"] for r in rows} == {"no"}


def test_votes_report_page_shows_pseudonyms_not_names(manager_client, voted):
    consultation, people = voted
    response = manager_client.get(admin_url(consultation, "votes"))

    assert response.status_code == 200
    html = response.content.decode()
    assert anonymous_id(consultation.pk, people["patient"].pk) in html
    assert "Ann Patient" not in html
    assert "ann@example.org" not in html


def test_pseudonyms_differ_between_consultations():
    member = MemberFactory()
    assert anonymous_id(1, member.pk) != anonymous_id(2, member.pk)
    assert anonymous_id(1, member.pk) == anonymous_id(1, member.pk)


# --- Assisted entry ----------------------------------------------------------------------------


def test_assisted_entry_marks_the_votes_and_the_export_says_so(manager_client):
    consultation = ConsultationFactory(
        voting_method=Consultation.Method.POINTS, points_budget=3, features=2
    )
    f1, f2 = consultation.features.order_by("sort_order")
    member = MemberFactory(display_name="Phone Caller")
    url = admin_url(consultation, "assisted")

    page = manager_client.get(f"{url}?member={member.pk}")
    assert page.status_code == 200
    assert "Votes for Phone Caller" in page.content.decode()

    response = manager_client.post(
        url, {"member": member.pk, f"feature-{f1.pk}": "2", f"feature-{f2.pk}": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url(consultation, "inspect")
    votes = Vote.objects.filter(member=member).order_by("feature__sort_order")
    assert [(v.feature.title, v.value) for v in votes] == [("Feature 1", 2), ("Feature 2", 1)]
    manager = response.wsgi_request.user
    assert {v.assisted_by_id for v in votes} == {manager.pk}

    rows = csv_rows(manager_client.get(admin_url(consultation, "votes") + "?export=csv"))
    assert [r["Entered by a manager"] for r in rows] == ["yes", "yes"]


def test_assisted_entry_over_budget_shows_the_error_and_saves_nothing(manager_client):
    consultation = ConsultationFactory(
        voting_method=Consultation.Method.POINTS, points_budget=3, features=2
    )
    f1, f2 = consultation.features.order_by("sort_order")
    member = MemberFactory()

    response = manager_client.post(
        admin_url(consultation, "assisted"),
        {"member": member.pk, f"feature-{f1.pk}": "2", f"feature-{f2.pk}": "2"},
    )

    assert response.status_code == 400
    assert "You have 3 points to spend" in response.content.decode()
    assert Vote.objects.count() == 0


# --- Invitations, reminders, Delphi round 2 ----------------------------------------------------


def test_invite_by_role_emails_those_members(manager_client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(
        title="Alerts in the app", audience=Consultation.Audience.INVITED
    )
    MemberFactory(role=Role.PATIENT, user__email="p1@example.org")
    MemberFactory(role=Role.PATIENT, user__email="p2@example.org")
    MemberFactory(role=Role.PATIENT, user__email="pending@example.org", pending=True)
    MemberFactory(role=Role.CARER, user__email="carer@example.org")

    preview = manager_client.post(admin_url(consultation, "invite"), {"roles": [Role.PATIENT]})
    assert mail.outbox == [] and not Invitation.objects.exists()  # a preview sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            admin_url(consultation, "invite"), {"roles": [Role.PATIENT], "send": "1"}, follow=True
        )

    assert "2 members will get this email" in preview.content.decode()
    assert response.status_code == 200
    assert "2 members invited: 2 by email, 0 to call or text." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.org", "p2@example.org"]
    assert all("Alerts in the app" in m.subject for m in mail.outbox)
    assert Invitation.objects.filter(consultation=consultation).count() == 2


def test_invite_without_choosing_anyone_says_so(manager_client):
    consultation = ConsultationFactory()
    MemberFactory()
    response = manager_client.post(admin_url(consultation, "invite"), {}, follow=True)
    assert "Choose who to invite." in response.content.decode()
    assert Invitation.objects.count() == 0


def test_inviting_to_a_closed_consultation_is_refused_and_emails_nobody(
    manager_client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    consultation = ConsultationFactory(
        opens_at=timezone.now() - timezone.timedelta(days=9),
        closes_at=timezone.now() - timezone.timedelta(days=1),
    )
    MemberFactory(role=Role.PATIENT)

    with django_capture_on_commit_callbacks(execute=True):
        preview = manager_client.post(
            admin_url(consultation, "invite"), {"roles": [Role.PATIENT]}, follow=True
        )
        response = manager_client.post(
            admin_url(consultation, "invite"), {"roles": [Role.PATIENT], "send": "1"}, follow=True
        )

    assert "This consultation has closed, so nobody more can be invited." in body(preview).decode()
    assert "This consultation has closed, so nobody more can be invited." in body(response).decode()
    assert (Invitation.objects.count(), mail.outbox) == (0, [])


def test_inviting_twice_emails_each_member_once(manager_client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(audience=Consultation.Audience.INVITED)
    MemberFactory(role=Role.PATIENT, user__email="p1@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # a double click
            manager_client.post(
                admin_url(consultation, "invite"), {"roles": [Role.PATIENT], "send": "1"}
            )

    assert [m.to for m in mail.outbox] == [["p1@example.org"]]


def test_remind_emails_those_who_have_not_responded(
    manager_client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(audience=Consultation.Audience.INVITED, features=1)
    voter = MemberFactory(user__email="voter@example.org")
    silent = MemberFactory(user__email="silent@example.org")
    services.invite_members(consultation=consultation, members=[voter, silent])
    services.cast_votes(
        member=voter, consultation=consultation, values={consultation.features.get().pk: 1}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(admin_url(consultation, "remind"), follow=True)

    assert "1 reminder emailed." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["silent@example.org"]]


def test_next_round_shows_members_their_own_score_beside_each_groups_scores(manager_client):
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=2)
    f1, f2 = consultation.features.order_by("sort_order")
    member = MemberFactory()
    services.cast_votes(member=member, consultation=consultation, values={f1.pk: 8, f2.pk: 2})
    member_client = Client()
    member_client.force_login(member.user)
    assert (
        "Your score then" not in member_client.get(consultation.get_absolute_url()).content.decode()
    )

    response = manager_client.post(admin_url(consultation, "next-round"), follow=True)

    assert (
        "Round 2 is open. Members now see their own round 1 scores beside the round 1 scores "
        "of each group. Only those who answered every feature in round 1 can take part."
    ) in words(response)
    consultation.refresh_from_db()
    assert consultation.delphi_round == 2
    page = soup(member_client.get(consultation.get_absolute_url()))
    assert "This is round 2." in words(page)
    first = page.find(id=f"feature-{f1.pk}")
    assert "Your score then: 8." in words(first)
    assert "1 person scored it: 100% gave 7 to 9 and 0% gave 1 to 3." in words(first)


def test_assisted_entry_in_round_two_starts_from_the_members_round_one_ratings(manager_client):
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=2)
    f1, f2 = consultation.features.order_by("sort_order")
    member = MemberFactory()
    services.cast_votes(member=member, consultation=consultation, values={f1.pk: 8, f2.pk: 2})
    services.open_next_delphi_round(consultation=consultation)

    page = manager_client.get(admin_url(consultation, "assisted") + f"?member={member.pk}")

    assert field_value(page, f"feature-{f1.pk}") == "8"
    assert field_value(page, f"feature-{f2.pk}") == "2"


def test_rounds_go_on_as_long_as_the_manager_opens_them(manager_client):
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=1)
    (f1,) = consultation.features.all()
    member = MemberFactory()
    for expected in (2, 3, 4):
        services.cast_votes(member=member, consultation=consultation, values={f1.pk: 5})
        response = manager_client.post(admin_url(consultation, "next-round"), follow=True)
        assert f"Round {expected} is open." in words(response)
    consultation.refresh_from_db()
    assert consultation.delphi_round == 4
    overview = manager_client.get(admin_url(consultation, "inspect"))
    assert "Open Delphi round 5" in words(overview)


def test_next_round_with_nobody_answering_is_refused_with_a_message(manager_client):
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI)
    response = manager_client.post(admin_url(consultation, "next-round"), follow=True)
    assert "Nobody has answered round 1 yet" in words(response)
    consultation.refresh_from_db()
    assert consultation.delphi_round == 1


def test_the_overview_tells_the_manager_the_points_budget_is_fixed(manager_client):
    """A quarter of 5 features, rounded up, is 2 points; fixed when opened, so a sixth feature
    (a quarter would be 2 still; a ninth, 3) does not change it."""
    consultation = ConsultationFactory(
        voting_method=Consultation.Method.POINTS, features=5, draft=True
    )
    draft = ConsultationFactory(voting_method=Consultation.Method.POINTS, features=5, draft=True)
    services.open_now(consultation=draft)
    for i in range(6, 10):
        draft.features.create(title=f"Feature {i}", sort_order=i)

    before = words(manager_client.get(admin_url(consultation, "inspect")))
    after = words(manager_client.get(admin_url(draft, "inspect")))

    assert "Each member will have 2 points to spend. The number is fixed when you open" in (before)
    assert "Each member has 2 points to spend. This was fixed when it was opened" in after


def test_attrition_export_per_round_and_group(manager_client):
    """Round 1: two patients and a carer answer both features, one more patient only one.
    Round 2: one of the two patients who finished round 1 answers both, the carer one.
    Round 2, patients: asked 2 (finished round 1), continued 1, dropped 1; carers: asked 1,
    continued 0 (answered one feature of two), dropped 1."""
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=2)
    f1, f2 = consultation.features.order_by("sort_order")
    p1, p2, p3 = (MemberFactory(role=Role.PATIENT) for _ in range(3))
    carer = MemberFactory(role=Role.CARER)
    for m in (p1, p2, carer):
        services.cast_votes(member=m, consultation=consultation, values={f1.pk: 7, f2.pk: 0})
    services.cast_votes(member=p3, consultation=consultation, values={f1.pk: 3})
    services.open_next_delphi_round(consultation=consultation)
    services.cast_votes(member=p1, consultation=consultation, values={f1.pk: 8, f2.pk: 9})
    services.cast_votes(member=carer, consultation=consultation, values={f1.pk: 8})

    rows = csv_rows(manager_client.get(admin_url(consultation, "attrition") + "?export=csv"))

    def row(r, group):
        found = next(x for x in rows if x["Round"] == r and x["Stakeholder group"] == group)
        return [found[k] for k in list(found)[2:]]

    assert row("1", "Everyone") == ["4", "3", "", "", ""]
    assert row("1", "Patients") == ["3", "2", "", "", ""]
    assert row("2", "Patients") == ["1", "1", "2", "1", "1"]
    assert row("2", "Carers") == ["1", "0", "1", "0", "1"]
    assert row("2", "Everyone") == ["2", "1", "3", "1", "2"]


# --- Nobody else gets in -----------------------------------------------------------------------

ADMIN_GETS = [
    "/admin/consultations/",
    "{overview}",
    "{close}",
    "{reopen}",
    "{results}",
    "{votes}",
    "{votes}?export=csv",
    "{totals}?export=csv",
    "{totals}?export=xlsx",
    "{attrition}?export=csv",
    "{assisted}?member={member}",
]
ADMIN_POSTS = [
    "{invite}",
    "{remind}",
    "{next_round}",
    "{assisted}",
    "{release}",
    "{open_now}",
    "{unschedule}",
    "{close}",
    "{reopen}",
    "{schedule_reminders}",
]


def _urls(consultation, member):
    return {
        "results": admin_url(consultation, "results"),
        "votes": admin_url(consultation, "votes"),
        "totals": admin_url(consultation, "totals"),
        "assisted": admin_url(consultation, "assisted"),
        "invite": admin_url(consultation, "invite"),
        "remind": admin_url(consultation, "remind"),
        "next_round": admin_url(consultation, "next-round"),
        "attrition": admin_url(consultation, "attrition"),
        "overview": admin_url(consultation, "inspect"),
        "release": admin_url(consultation, "release"),
        "open_now": admin_url(consultation, "open-now"),
        "unschedule": admin_url(consultation, "unschedule"),
        "close": admin_url(consultation, "close"),
        "reopen": admin_url(consultation, "reopen"),
        "schedule_reminders": admin_url(consultation, "schedule-reminders"),
        "member": member.pk,
    }


def _admin_only_user():
    """Can open the Wagtail admin but has no rights over consultations."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


# Where an outsider ends up: signed-out people at the sign-in page; signed-in people without
# admin access on a 403 page; admin users without rights over consultations on the admin home.
KEPT_OUT_AT = {
    ("/accounts/login/", 200),
    ("/admin/login/", 403),
    ("/admin/", 200),
}


def _kept_out(client, method, url, data=None):
    response = getattr(client, method)(url, data or {}, follow=True)
    final = (response.request["PATH_INFO"], response.status_code)
    assert final in KEPT_OUT_AT, (url, final, response.redirect_chain)
    return response


@pytest.fixture(params=["anonymous", "member", "admin_without_consultation_rights"])
def outsider_client(request):
    client = Client()
    if request.param == "member":
        client.force_login(MemberFactory().user)
    elif request.param == "admin_without_consultation_rights":
        client.force_login(_admin_only_user())
    return client


@pytest.mark.parametrize("template", ADMIN_GETS)
def test_outsiders_cannot_open_admin_pages(outsider_client, template):
    consultation = ConsultationFactory(title="Secret plans", features=1)
    member = MemberFactory(display_name="Ann Patient")
    services.cast_votes(
        member=member, consultation=consultation, values={consultation.features.get().pk: 1}
    )

    response = _kept_out(outsider_client, "get", template.format(**_urls(consultation, member)))

    content = body(response).decode(errors="replace")
    assert "Ann Patient" not in content
    assert "Feature 1" not in content


@pytest.mark.parametrize("template", ADMIN_POSTS)
def test_outsiders_cannot_change_anything(
    outsider_client, template, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(
        voting_method=Consultation.Method.DELPHI,
        audience=Consultation.Audience.INVITED,
        features=1,
    )
    member = MemberFactory()
    Invitation.objects.create(consultation=consultation, member=member)
    feature = consultation.features.get()

    with django_capture_on_commit_callbacks(execute=True):
        _kept_out(
            outsider_client,
            "post",
            template.format(**_urls(consultation, member)),
            {"everyone": "on", "member": member.pk, f"feature-{feature.pk}": "9"},
        )

    consultation.refresh_from_db()
    assert consultation.delphi_round == 1
    assert Vote.objects.count() == 0
    assert not Invitation.objects.filter(reminded_at__isnull=False).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("junk", ["²", "abc", "-1"])
def test_assisted_entry_with_a_junk_member_id_asks_for_a_member(manager_client, junk):
    consultation = ConsultationFactory(features=2)

    response = manager_client.get(admin_url(consultation, "assisted") + f"?member={junk}")

    assert response.status_code == 200


def consultation_form(client, consultation, **changes) -> dict:
    from wagtail.test.utils.form_data import querydict_from_html

    page = client.get(f"/admin/consultations/edit/{consultation.pk}/").content.decode()
    data = querydict_from_html(page, form_id="w-editor-form")
    data.update(changes)
    return data


def test_the_voting_method_cannot_change_once_members_have_voted(manager_client, voted):
    consultation, _people = voted
    url = f"/admin/consultations/edit/{consultation.pk}/"
    method = consultation.voting_method
    other = next(m for m in Consultation.Method.values if m != method)

    response = manager_client.post(
        url, consultation_form(manager_client, consultation, voting_method=other)
    )

    assert response.status_code == 200
    assert (
        "Members have already voted, so the voting method cannot change." in body(response).decode()
    )
    consultation.refresh_from_db()
    assert consultation.voting_method == method


def test_the_voting_method_can_change_before_anyone_votes(manager_client):
    consultation = ConsultationFactory(features=2, voting_method=Consultation.Method.SUPPORT)
    url = f"/admin/consultations/edit/{consultation.pk}/"

    response = manager_client.post(
        url, consultation_form(manager_client, consultation, voting_method="delphi")
    )

    assert response.status_code == 302, body(response).decode()[:3000]
    consultation.refresh_from_db()
    assert consultation.voting_method == "delphi"


FORGED = ["abc", "-1", "1.5", "9" * 30, "\x00", "1e3"]


@pytest.mark.parametrize("value", FORGED)
@pytest.mark.parametrize(
    "field",
    [
        "prototype",  # a chooser on the consultation
        "features-0-image",  # choosers inside an inline form
        "features-0-screen",
        "features-0-id",  # an inline form's own id
        "features-INITIAL_FORMS",
    ],
)
def test_a_forged_id_in_the_editor_is_an_error_not_a_server_error(manager_client, field, value):
    """Only a forged post sends such values: the editor answers with its own form again and
    changes nothing, whichever field carries them."""
    consultation = ConsultationFactory(features=2)
    url = f"/admin/consultations/edit/{consultation.pk}/"
    data = consultation_form(manager_client, consultation, title="Changed by a forged post")
    data[field] = value

    response = manager_client.post(url, data)

    assert response.status_code in (200, 302), body(response).decode()[:2000]
    consultation.refresh_from_db()
    assert consultation.features.count() == 2
    if response.status_code == 302:  # the value was read as "none chosen" or "a new row"
        assert field in ("features-0-image", "features-0-screen", "prototype")
    else:
        assert consultation.title != "Changed by a forged post"


def test_results_of_an_earlier_round_can_be_chosen(manager_client):
    """Round 1: a member scores feature 1 with 8; round 2: 2. Each round's page shows its own
    share scoring 7 to 9 (100 % then 0 %); a round not opened yet, or nonsense, shows the
    current one."""
    consultation = ConsultationFactory(voting_method=Consultation.Method.DELPHI, features=1)
    (f1,) = consultation.features.all()
    member = MemberFactory()
    services.cast_votes(member=member, consultation=consultation, values={f1.pk: 8})
    services.open_next_delphi_round(consultation=consultation)
    services.cast_votes(member=member, consultation=consultation, values={f1.pk: 2})

    def shares(query):
        page = manager_client.get(admin_url(consultation, "results") + query)
        rows = table_rows(captioned(page, "Scores for each feature, round"))
        return words(captioned(page, "Scores for each feature, round").caption), rows[1][5]

    assert shares("?round=1") == ("Scores for each feature, round 1, everyone together", "100%")
    assert shares("") == ("Scores for each feature, round 2, everyone together", "0%")
    for nonsense in ("?round=3", "?round=0", "?round=x", "?round=99999999999999999999"):
        assert shares(nonsense)[0] == "Scores for each feature, round 2, everyone together"
