"""The PPIE manager's workspace for the stakeholder group (Wagtail admin)."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
import segno
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from engagement.membership import services
from engagement.models import ConsentPurpose, ConsentText, Member, Role
from tests.factories.membership import (
    CampaignFactory,
    ConsentTextFactory,
    InterestFactory,
    MemberFactory,
    UserFactory,
    consent_text,
)
from tests.html import soup
from tests.spreadsheets import workbook, xlsx_table

pytestmark = pytest.mark.django_db


def listed_names(response) -> set[str]:
    rows = soup(response).select("table.listing td.title .title-wrapper a")
    return {a.get_text(strip=True) for a in rows}


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def campaign(db):
    return CampaignFactory(code="cart-day", label="Regional CAR-T day")


# --- Who can see what -------------------------------------------------------------------------


def wagtail_editor():
    """Can use the Wagtail admin (to edit pages) but is not a PPIE manager."""
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(editors)
    return editor


def manager_urls(campaign, member):
    text = consent_text(ConsentPurpose.JOIN)
    return [
        "/admin/members/",
        "/admin/members/?export=csv",
        f"/admin/members/edit/{member.pk}/",
        f"/admin/members/inspect/{member.pk}/",
        "/admin/campaigns/",
        "/admin/campaigns/new/",
        f"/admin/campaigns/edit/{campaign.pk}/",
        "/admin/consent_texts/",
        "/admin/consent_texts/new/",
        f"/admin/consent_texts/edit/{text.pk}/",
        "/admin/interests/",
        f"/admin/campaigns/qr/{campaign.pk}.svg",
        f"/admin/campaigns/qr/{campaign.pk}.png",
        f"/admin/campaigns/poster/{campaign.pk}/",
    ]


def test_managers_can_open_every_page(manager_client, campaign):
    member = MemberFactory()
    for url in manager_urls(campaign, member):
        assert manager_client.get(url).status_code == 200, url


def assert_refused(response, url):
    if response.status_code == 302:
        assert response["Location"].startswith(("/accounts/login/", "/admin/")), url
        assert response["Location"] != url
    else:
        assert response.status_code == 403, url


@pytest.mark.parametrize("who", ["member", "editor", "anonymous"])
def test_everybody_else_is_refused(client, campaign, who):
    member = MemberFactory(display_name="Secret Sam", user__email="sam@example.org")
    if who == "member":
        client.force_login(member.user)
    elif who == "editor":
        client.force_login(wagtail_editor())

    for url in manager_urls(campaign, member):
        response = client.get(url)
        assert_refused(response, url)
        assert b"sam@example.org" not in content_of(response), url
        assert b"Secret Sam" not in content_of(response), url


def test_managers_cannot_add_members_in_the_admin(manager_client):
    response = manager_client.get("/admin/members/new/")
    assert_refused(response, "/admin/members/new/")

    response = manager_client.post(
        "/admin/members/new/",
        {"display_name": "Made up", "role": Role.PUBLIC, "status": "active"},
    )
    assert_refused(response, "/admin/members/new/")
    assert not Member.objects.exists()

    listing = soup(manager_client.get("/admin/members/"))
    assert not listing.find("a", href="/admin/members/new/")


def test_sign_ups_panel_is_for_managers_only(client):
    client.force_login(wagtail_editor())

    response = client.get("/admin/")

    assert response.status_code == 200
    assert not soup(response).find(id="signups-panel-heading")


# --- Members list: filters and exports --------------------------------------------------------


@pytest.fixture
def members(campaign):
    designs, meetings = InterestFactory(name="Designs"), InterestFactory(name="Meetings")
    return {
        "pat": MemberFactory(
            display_name="Pat", role=Role.PATIENT, campaign=campaign, interests=[designs]
        ),
        "cara": MemberFactory(
            display_name="Cara",
            role=Role.CARER,
            access_needs="Large print",
            interests=[designs, meetings],
        ),
        "pete": MemberFactory(display_name="Pete", pending=True, campaign=campaign),
        "paula": MemberFactory(
            display_name="Paula", role=Role.CLINICIAN, status=Member.Status.PAUSED
        ),
        "designs": designs,
        "meetings": meetings,
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Pat", "Cara", "Pete", "Paula"}),
        ("status=pending", {"Pete"}),
        ("status=paused", {"Paula"}),
        ("role=patient", {"Pat"}),
        ("role=carer", {"Cara"}),
        ("campaign={campaign}", {"Pat", "Pete"}),
        ("interests={meetings}", {"Cara"}),
        ("interests={designs}", {"Pat", "Cara"}),
        ("has_access_needs=true", {"Cara"}),
        ("has_access_needs=false", {"Pat", "Pete", "Paula"}),
        ("status=active&interests={designs}&role=patient", {"Pat"}),
        ("q=Paula", {"Paula"}),
    ],
)
def test_member_filters(manager_client, members, campaign, query, expected):
    query = query.format(
        campaign=campaign.pk, meetings=members["meetings"].pk, designs=members["designs"].pk
    )
    response = manager_client.get(f"/admin/members/?{query}")

    assert response.status_code == 200
    assert listed_names(response) == expected


def test_member_listing_shows_contact_and_interests(manager_client, members):
    response = manager_client.get("/admin/members/?role=carer")
    row = soup(response).select_one("table.listing tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1] == members["cara"].user.email
    assert "Designs, Meetings" in cells


FORMULAS = {
    "display_name": '=HYPERLINK("http://evil.example","click")',
    "access_needs": "@SUM(1+1)",
    "phone": "+44 7700 900000",
}


@pytest.fixture
def formula_member(db):
    return MemberFactory(**FORMULAS, user__email="formula@example.org")


def test_csv_export_has_the_members_and_no_formulas(manager_client, members, formula_member):
    response = manager_client.get("/admin/members/?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    by_email = {row["Email"]: row for row in rows}
    assert set(by_email) == {m.user.email for m in Member.objects.all()}
    cara = by_email[members["cara"].user.email]
    assert cara["Name to use"] == "Cara"
    assert cara["Access needs"] == "Large print"
    assert cara["Interests"] == "Designs, Meetings"
    # Labels a person can read, as in the listing, not the codes stored.
    assert cara["Role"] == members["cara"].get_role_display()
    assert cara["Stakeholder group"] == members["cara"].stakeholder_group.label
    assert cara["Status"] == members["cara"].get_status_display()
    assert cara["Preferred contact"] == members["cara"].get_contact_preference_display()
    assert cara["Joined through"] == members["cara"].get_channel_display()
    assert cara["Stakeholder group"] in {"Patients", "Carers", "Public", "Professionals"}
    evil = by_email["formula@example.org"]
    for field, heading in [
        ("display_name", "Name to use"),
        ("access_needs", "Access needs"),
        ("phone", "Phone number"),
    ]:
        assert evil[heading] == "'" + FORMULAS[field]


def test_csv_export_follows_the_filters(manager_client, members):
    response = manager_client.get("/admin/members/?status=pending&export=csv")
    rows = list(csv.DictReader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    assert [row["Name to use"] for row in rows] == ["Pete"]


def test_xlsx_export_has_the_members_and_no_formulas(manager_client, members, formula_member):
    response = manager_client.get("/admin/members/?export=xlsx")

    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    table = xlsx_table(response)
    assert {row["Name to use"] for row in table} == {
        "Pat",
        "Cara",
        "Pete",
        "Paula",
        FORMULAS["display_name"],  # as typed: XLSX keeps it as text, no apostrophe added
    }
    assert FORMULAS["phone"] in {row["Phone number"] for row in table}  # "+44 ..." as typed
    for row in workbook(response).active.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value}"


# --- Consent texts ----------------------------------------------------------------------------


def consent_form(text, **changes):
    data = {
        "purpose": text.purpose,
        "version": text.version,
        "statement": text.statement,
        "body": text.body,
        "published_at": text.published_at.strftime("%Y-%m-%d %H:%M") if text.published_at else "",
    }
    data.update(changes)
    return data


def test_a_consent_text_people_agreed_to_cannot_be_edited(manager_client):
    MemberFactory(consents=[ConsentPurpose.JOIN])
    text = consent_text(ConsentPurpose.JOIN)
    before = ConsentText.objects.values().get(pk=text.pk)

    response = manager_client.post(
        f"/admin/consent_texts/edit/{text.pk}/",
        consent_form(text, statement="I agree to something else."),
    )

    assert response.status_code == 200
    assert "cannot be changed. Create a new version" in soup(response).get_text(" ")
    assert ConsentText.objects.values().get(pk=text.pk) == before


def test_a_consent_text_nobody_agreed_to_yet_can_be_corrected(manager_client):
    text = consent_text(ConsentPurpose.QUOTE)

    response = manager_client.post(
        f"/admin/consent_texts/edit/{text.pk}/",
        consent_form(text, statement="You may quote me (corrected typo)."),
    )

    assert response.status_code == 302
    text.refresh_from_db()
    assert text.statement == "You may quote me (corrected typo)."


def test_a_new_version_can_be_added_and_is_what_visitors_see(manager_client):
    MemberFactory(consents=[ConsentPurpose.JOIN])
    old = consent_text(ConsentPurpose.JOIN)

    response = manager_client.post(
        "/admin/consent_texts/new/",
        {
            "purpose": ConsentPurpose.JOIN,
            "version": 2,
            "statement": "I agree to join, second wording.",
            "body": "The second version of the full text.",
            "published_at": (timezone.localtime() - datetime.timedelta(minutes=1)).strftime(
                "%Y-%m-%d %H:%M"
            ),
        },
    )

    assert response.status_code == 302
    assert ConsentText.objects.get(purpose=ConsentPurpose.JOIN, version=2)
    join_page = Client().get("/join/").content.decode()
    assert "I agree to join, second wording." in join_page
    assert old.statement not in join_page
    # The member who agreed to version 1 still has their record to version 1.
    assert Member.objects.get().consents.get().text == old


def test_a_duplicate_version_number_is_an_error_not_a_crash(manager_client):
    response = manager_client.post(
        "/admin/consent_texts/new/",
        {
            "purpose": ConsentPurpose.JOIN,
            "version": 1,
            "statement": "Duplicate",
            "body": "Duplicate",
            "published_at": "",
        },
    )

    assert response.status_code == 200
    assert ConsentText.objects.filter(purpose=ConsentPurpose.JOIN).count() == 1


def test_a_consent_text_people_agreed_to_cannot_be_deleted(manager_client):
    MemberFactory(consents=[ConsentPurpose.JOIN])
    text = consent_text(ConsentPurpose.JOIN)
    url = f"/admin/consent_texts/delete/{text.pk}/"

    for response in [manager_client.get(url, follow=True), manager_client.post(url, follow=True)]:
        assert response.status_code == 200
        assert "cannot be deleted" in soup(response).get_text(" ")
    assert ConsentText.objects.filter(pk=text.pk).exists()

    draft = ConsentTextFactory(purpose=ConsentPurpose.QUOTE, published_at=None)
    response = manager_client.post(f"/admin/consent_texts/delete/{draft.pk}/")
    assert response.status_code == 302
    assert not ConsentText.objects.filter(pk=draft.pk).exists()


# --- Campaigns: QR codes and posters ----------------------------------------------------------

CAMPAIGN_URL = "https://ppie.example.org/join/cart-day/"


@pytest.fixture(autouse=True)
def public_address(settings):
    """Posters and QR codes print the public address, whatever the admin is reached by."""
    settings.PUBLIC_BASE_URL = "https://ppie.example.org"


def test_qr_svg_encodes_the_campaign_address(manager_client, campaign):
    response = manager_client.get(f"/admin/campaigns/qr/{campaign.pk}.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    expected = io.BytesIO()
    segno.make(CAMPAIGN_URL, error="m").save(expected, kind="svg", scale=8, border=4, xmldecl=False)
    assert response.content == expected.getvalue()


def test_qr_png_encodes_the_campaign_address(manager_client, campaign):
    response = manager_client.get(f"/admin/campaigns/qr/{campaign.pk}.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    expected = io.BytesIO()
    segno.make(CAMPAIGN_URL, error="m").save(expected, kind="png", scale=16, border=4)
    assert response.content == expected.getvalue()


def test_qr_download_links_save_a_named_file(manager_client, campaign):
    listing = soup(manager_client.get("/admin/campaigns/"))
    links = {a.get_text(strip=True): a["href"] for a in listing.select("table.listing a")}
    for label, ext in [("QR (SVG)", "svg"), ("QR (PNG)", "png")]:
        response = manager_client.get(links[label])
        assert response["Content-Disposition"] == f'attachment; filename="join-cart-day.{ext}"'
    assert manager_client.get(links["Poster"]).status_code == 200


def test_qr_in_an_unknown_format_is_not_found(manager_client, campaign):
    response = manager_client.get(f"/admin/campaigns/qr/{campaign.pk}.gif")
    assert response.status_code == 404


def test_poster_shows_the_short_address_and_the_pitch(manager_client, campaign):
    response = manager_client.get(f"/admin/campaigns/poster/{campaign.pk}/")

    page = soup(response)
    assert page.select_one(".url").get_text(strip=True) == CAMPAIGN_URL
    assert campaign.pitch in page.get_text()
    assert page.select_one(".qr svg")


def test_campaign_listing_counts_visits_sign_ups_and_confirmations(manager_client, campaign):
    visitor = Client()
    for _ in range(4):
        visitor.get("/join/cart-day/")
    for email in ["a@example.org", "b@example.org"]:
        visitor.post(
            "/join/cart-day/",
            {
                "display_name": "Visitor",
                "email": email,
                "role": Role.PUBLIC,
                "contact_preference": "email",
                "consent_join": "on",
            },
        )
    services.activate_member(user=Member.objects.get(user__email="a@example.org").user)

    row = soup(manager_client.get("/admin/campaigns/")).select_one("table.listing tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]

    assert cells[0].startswith("Regional CAR-T day")
    assert cells[3:6] == ["4", "2", "1"]


# --- Admin home: sign-ups panel ---------------------------------------------------------------


def week_start(moment):
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


def test_admin_home_sign_ups_panel_matches_the_data(manager_client):
    stand = CampaignFactory(label="Stand A", code="stand-a")
    leaflet = CampaignFactory(label="Leaflet", code="leaflet")
    now = timezone.now()
    joined = [
        (stand, now),
        (stand, now),
        (stand, now - datetime.timedelta(days=7)),
        (leaflet, now - datetime.timedelta(days=14)),
        (None, now),
        (None, now - datetime.timedelta(days=35)),
        (None, now - datetime.timedelta(days=200)),  # older than the 12 weeks shown
    ]
    for campaign, when in joined:
        MemberFactory(campaign=campaign, joined_at=when)
    MemberFactory(campaign=stand, joined_at=now, pending=True)  # sign-ups count, of any status
    joined.append((stand, now))

    response = manager_client.get("/admin/")

    heading = soup(response).find(id="signups-panel-heading")
    assert heading, "no sign-ups panel on the admin home"
    panel = heading.find_parent("section")
    table = panel.find("table")
    weeks = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    assert len(weeks) == 12
    this_week = week_start(now)
    starts = [this_week - datetime.timedelta(weeks=11 - i) for i in range(12)]
    assert weeks == [d.strftime("%d %b") for d in starts]

    expected: dict[str, list[int]] = {}
    for campaign, when in joined:
        label = campaign.label if campaign else "No campaign (website)"
        counts = expected.setdefault(label, [0] * 12)
        if week_start(when) in starts:
            counts[starts.index(week_start(when))] += 1
    shown = {
        tr.th.get_text(strip=True): [int(td.get_text()) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    }
    assert shown == expected
    totals = [int(td.get_text()) for td in table.select("tfoot td")]
    assert totals == [sum(col) for col in zip(*expected.values(), strict=True)]
    assert sum(totals) == 7


def member_form(client, member, **changes) -> dict:
    from wagtail.test.utils.form_data import querydict_from_html

    page = client.get(f"/admin/members/edit/{member.pk}/").content.decode()
    data = querydict_from_html(page, form_id="w-editor-form")
    data.update(changes)
    return data


def test_a_manager_can_pause_a_member_but_not_withdraw_them_by_picking_a_status(manager_client):
    member = MemberFactory(display_name="Ann")
    url = f"/admin/members/edit/{member.pk}/"
    options = [o["value"] for o in soup(manager_client.get(url)).select("#id_status option")]

    forged = manager_client.post(url, member_form(manager_client, member, status="withdrawn"))
    paused = manager_client.post(url, member_form(manager_client, member, status="paused"))

    assert "withdrawn" not in options and "paused" in options
    assert forged.status_code == 200  # the form again, with the reason by the field
    assert "Select a valid choice." in soup(forged).get_text(" ")
    assert paused.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.display_name, member.user is not None) == ("paused", "Ann", True)


def test_a_withdrawn_members_status_cannot_be_changed_in_the_admin(manager_client):
    member = MemberFactory()
    services.withdraw_member(member=member)

    page = soup(manager_client.get(f"/admin/members/edit/{member.pk}/"))

    assert page.select_one("#id_status").has_attr("disabled")
