"""Joining at /join/ and /join/<code>/: what a visitor sees, including when things go wrong."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core import mail
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from engagement.membership.forms import JoinForm
from engagement.membership.selectors import current_consent_texts
from engagement.models import Campaign, Channel, ConsentPurpose, ConsentText, Member, Role
from tests.clients import CommittingClient as Client
from tests.factories.membership import CampaignFactory, ConsentTextFactory, InterestFactory
from tests.html import soup, words

User = get_user_model()
pytestmark = pytest.mark.django_db


WAIT_A_MINUTE = "Please wait a minute and press “Join” again"
TOKEN = "health_role:1,join:1,quote:1"  # the versions migration 0003 publishes
# A multiple of 600 and of 60: every fixed rate-limit window starts here.
T0 = 1_800_000_000


def answers(**overrides) -> dict:
    values = {
        "display_name": "Ann",
        "email": "ann@example.org",
        "role": Role.PUBLIC,
        "contact_preference": "email",
        "phone": "",
        "access_needs": "",
        "consent_join": "on",
        "consent_versions": TOKEN,
        "website": "",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def join_form_data(response):
    """What the browser would send from the join form as the page stands (no JavaScript)."""
    html = response.content.decode()
    forms = soup(html).find_all("form")
    index = next(i for i, f in enumerate(forms) if "join-form" in f.get("class", []))
    return querydict_from_html(html, form_index=index, exclude_csrf=False)


def field_feedback(page, name: str) -> tuple[str, bool]:
    """(error text shown inside the field's form group, whether the field is marked invalid).

    A text box or tick box is marked with aria-invalid; a group of radios or checkboxes is a
    fieldset that points at its error message with aria-describedby."""
    element = page.find(id=f"id_{name}")
    assert element is not None, f"no field {name} on the page"
    group = element.find_parent("div", class_="form-group")
    message = group.select_one(".error-message")
    text = words(message) if message else ""
    if element.name == "fieldset":
        invalid = f"id_{name}-error" in element.get("aria-describedby", "")
    else:
        invalid = element.get("aria-invalid") == "true"
    return text, invalid


def error_summary(page) -> str:
    summary = page.select_one(".error-summary")
    return words(summary) if summary else ""


def assert_nothing_saved():
    assert not Member.objects.exists()
    assert not User.objects.exists()
    assert mail.outbox == []


# --- The page ---------------------------------------------------------------------------------


def test_join_page_shows_every_consent_statement_in_full_with_its_version(client):
    response = client.get("/join/")

    assert response.status_code == 200
    page = soup(response)
    consents = page.select(".consent")
    assert len(consents) == 3
    shown = " ".join(words(c) for c in consents)
    # The agreements asked on joining (equality monitoring and phone contact are not tick boxes
    # here: the first is asked on its own page, the second is the phone field's own words).
    for text in ConsentText.objects.filter(version=1, purpose__in=["join", "health_role", "quote"]):
        assert " ".join(text.statement.split()) in shown
        assert " ".join(text.body.split()) in shown
    assert [c.select_one(".consent__version").get_text(strip=True) for c in consents] == [
        "(version 1)"
    ] * 3
    # Every tick box starts empty: nobody agrees by default.
    for name in ["consent_join", "consent_health_role", "consent_quote"]:
        assert not page.find(id=f"id_{name}").has_attr("checked")


def test_join_page_shows_the_newest_published_version(client):
    ConsentTextFactory(purpose=ConsentPurpose.QUOTE, statement="Quote me, second wording.")
    ConsentTextFactory(purpose=ConsentPurpose.JOIN, statement="Draft wording", published_at=None)

    page = soup(client.get("/join/"))
    text = page.get_text(" ", strip=True)

    assert "Quote me, second wording." in text
    assert "Draft wording" not in text
    assert page.find(id="id_consent_versions")["value"] == "health_role:1,join:1,quote:2"


def test_join_works_without_javascript():
    """A plain form: what a browser without JavaScript submits, from the page's own HTML."""
    browser = Client(enforce_csrf_checks=True)
    response = browser.get("/join/")
    page = soup(response)
    form = page.find("form", class_="join-form")
    assert form["method"] == "post"
    assert form.find("button", type="submit")

    data = join_form_data(response)
    data.update(
        {
            "display_name": "Ann",
            "email": "ann@example.org",
            "role": Role.CARER,
            "consent_join": "on",
            "consent_health_role": "on",
        }
    )
    assert data["contact_preference"] == "email"  # chosen for them already
    response = browser.post("/join/", data)

    assert response.status_code == 302
    assert response["Location"] == "/join/thanks/"
    member = Member.objects.get()
    assert (member.display_name, member.role, member.channel) == ("Ann", Role.CARER, Channel.WEB)
    assert member.campaign is None
    assert len(mail.outbox) == 1


def test_thanks_page_tells_them_to_check_their_email(client):
    response = client.post("/join/", answers(), follow=True)

    assert response.redirect_chain == [("/join/thanks/", 302)]
    assert "Check your email" in soup(response).h1.get_text()
    assert mail.outbox[0].to == ["ann@example.org"]


def test_join_page_and_its_styles_weigh_under_30_kb(client):
    response = client.get("/join/")
    page = soup(response)
    assets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assets += [script["src"] for script in page.find_all("script", src=True)]
    assert assets, "expected at least the site stylesheet"
    total = len(response.content)
    for url in assets:
        assert url.startswith("/static/"), f"third-party or odd asset: {url}"
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"{url} is linked but not found in the static files"
        with open(path, "rb") as f:
            total += len(f.read())

    assert total <= 30 * 1024, f"join page weighs {total} bytes"


# --- Bad input --------------------------------------------------------------------------------

LONG_NAME = "A" * 81
LONG_NEEDS = "x" * 1001

BAD_INPUT = [
    ("display_name", {"display_name": ""}, "Enter the name you would like us to use"),
    ("display_name", {"display_name": "   "}, "Enter the name you would like us to use"),
    ("display_name", {"display_name": LONG_NAME}, "Name must be 80 characters or fewer"),
    ("email", {"email": ""}, "Enter your email address"),
    ("email", {"email": "ann-at-example"}, "Enter an email address like name@example.com"),
    ("role", {"role": None}, "Choose the option that describes you best"),
    ("role", {"role": "hacker"}, "Choose one of the options shown"),
    ("interests", {"interests": "999999"}, "Choose from the options shown"),
    ("access_needs", {"access_needs": LONG_NEEDS}, "keep this to 1000 characters or fewer"),
    ("contact_preference", {"contact_preference": "pigeon"}, "Choose one of the options shown"),
    (
        "phone",
        {"contact_preference": "phone", "phone": "  "},
        "Enter a phone number so that we can call or text you",
    ),
    (
        "phone",
        {"contact_preference": "text", "phone": None},
        "Enter a phone number so that we can call or text you",
    ),
    ("phone", {"phone": "0" * 31}, "Phone number must be 30 characters or fewer"),
    ("consent_join", {"consent_join": None}, "You need to agree to this to join the group"),
    (
        "consent_health_role",
        {"role": Role.PATIENT, "consent_health_role": None},
        "Because of the role you chose, we need your agreement to store it",
    ),
    (
        "consent_health_role",
        {"role": Role.CARER, "consent_health_role": None},
        "we need your agreement to store it",
    ),
]


@pytest.mark.parametrize(
    "field, bad, message",
    BAD_INPUT,
    ids=[f"{field}-{i}" for i, (field, _, _) in enumerate(BAD_INPUT)],
)
def test_bad_input_is_explained_next_to_the_field(client, field, bad, message):
    interest = InterestFactory(name="Checking questionnaires")
    posted = answers(
        display_name="Ann Example",
        email="ann@example.org",
        role=Role.CARER,
        consent_health_role="on",
        consent_quote="on",
        access_needs="Large print please",
        contact_preference="phone",
        phone="07700 900123",
        interests=str(interest.pk),
    )
    posted.update(bad)
    posted = {k: v for k, v in posted.items() if v is not None}

    response = client.post("/join/", posted)

    assert response.status_code == 200
    page = soup(response)
    text, invalid = field_feedback(page, field)
    assert message in text
    assert invalid
    assert message in error_summary(page)
    assert page.title.get_text().strip().startswith("Error:")
    assert_nothing_saved()
    # The other answers are still there.
    if field != "display_name":
        assert page.find(id="id_display_name")["value"] == "Ann Example"
    if field != "email":
        assert page.find(id="id_email")["value"] == "ann@example.org"
    if field == "access_needs":
        assert page.find(id="id_access_needs").get_text().strip() == LONG_NEEDS
    else:
        assert page.find(id="id_access_needs").get_text().strip() == "Large print please"
    if field != "role":
        checked = page.select('input[name="role"][checked]')
        assert [r["value"] for r in checked] == [posted["role"]]
    if field != "interests":
        assert page.find("input", attrs={"name": "interests", "value": str(interest.pk)}).has_attr(
            "checked"
        )
    assert page.find(id="id_consent_quote").has_attr("checked")
    if field == "display_name" and bad["display_name"] == LONG_NAME:
        assert page.find(id="id_display_name")["value"] == LONG_NAME


def test_every_error_at_once_is_each_shown_by_its_field(client):
    response = client.post(
        "/join/",
        {
            "email": "nope",
            "role": "hacker",
            "contact_preference": "phone",
            "consent_versions": TOKEN,
        },
    )

    page = soup(response)
    expected = {
        "display_name": "Enter the name you would like us to use",
        "email": "Enter an email address like name@example.com",
        "role": "Choose one of the options shown",
        "phone": "Enter a phone number",
        "consent_join": "You need to agree to this to join the group",
    }
    for field, message in expected.items():
        text, invalid = field_feedback(page, field)
        assert message in text, field
        assert invalid, field
    # The error summary links to each field.
    links = [a["href"] for a in page.select(".error-summary a")]
    assert links == [f"#id_{f}" for f in expected]
    assert_nothing_saved()


# --- Campaign codes ---------------------------------------------------------------------------


def test_a_campaign_link_attributes_the_sign_up(client):
    campaign = CampaignFactory(code="cart-day", pitch="Meet us at the CAR-T day.")

    page = soup(client.get("/join/cart-day/"))
    assert "Meet us at the CAR-T day." in page.get_text()
    response = client.post("/join/cart-day/", answers())

    assert response["Location"] == "/join/cart-day/thanks/"
    member = Member.objects.get()
    assert (member.campaign, member.channel) == (campaign, Channel.QR)
    assert member.consents.get().channel == Channel.QR
    campaign.refresh_from_db()
    assert (campaign.visit_count, campaign.signup_count) == (1, 1)


def test_a_forged_campaign_code_still_lets_people_join_unattributed(client):
    CampaignFactory(code="cart-day")

    response = client.get("/join/nope/")
    assert response.status_code == 200
    assert "could not find the event or leaflet" in soup(response).select_one(".message").text

    response = client.post("/join/nope/", answers())
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.campaign is None
    assert member.channel == Channel.WEB
    assert Campaign.objects.get().signup_count == 0


def test_an_ended_campaign_still_lets_people_join_unattributed(client):
    now = timezone.now()
    campaign = CampaignFactory(
        code="last-year",
        active_from=now - datetime.timedelta(days=400),
        active_until=now - datetime.timedelta(days=365),
    )

    response = client.get("/join/last-year/")
    assert response.status_code == 200
    assert "no longer in use" in soup(response).select_one(".message").text

    response = client.post("/join/last-year/", answers())
    assert response.status_code == 302
    assert Member.objects.get().campaign is None
    campaign.refresh_from_db()
    assert (campaign.visit_count, campaign.signup_count) == (0, 0)


def test_a_campaign_that_has_not_started_is_not_attributed(client):
    CampaignFactory(code="next-year", active_from=timezone.now() + datetime.timedelta(days=30))
    client.post("/join/next-year/", answers())
    assert Member.objects.get().campaign is None


# --- Forms that should not go through ---------------------------------------------------------


def test_missing_csrf_token_gets_a_friendly_403_and_saves_nothing():
    browser = Client(enforce_csrf_checks=True)
    browser.get("/join/")

    response = browser.post("/join/", answers())

    assert response.status_code == 403
    page = soup(response)
    assert "Your form had expired" in page.h1.get_text()
    assert "Nothing was saved" in page.get_text()
    assert_nothing_saved()

    # With the page's token the same browser gets through (the 403 was the token, nothing else).
    token = browser.cookies["csrftoken"].value
    response = browser.post("/join/", {**answers(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_honeypot_filled_in_looks_fine_but_saves_nothing(client):
    response = client.post("/join/", answers(website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == "/join/thanks/"
    assert_nothing_saved()


def test_consent_text_changed_while_the_page_was_open(client):
    opened = client.get("/join/")
    data = join_form_data(opened)
    data.update({"display_name": "Ann", "email": "ann@example.org", "consent_join": "on"})
    data["role"] = Role.PUBLIC
    new_join = ConsentTextFactory(
        purpose=ConsentPurpose.JOIN, statement="I agree to the new wording."
    )

    response = client.post("/join/", data)

    assert response.status_code == 200
    page = soup(response)
    assert "has changed since you opened this page" in error_summary(page)
    assert "I agree to the new wording." in page.get_text()
    assert_nothing_saved()
    assert page.find(id="id_display_name")["value"] == "Ann"

    # Ticking the box under the new wording and pressing Join again works.
    again = join_form_data(response)
    again["consent_join"] = "on"
    response = client.post("/join/", again)

    assert response.status_code == 302, error_summary(soup(response))
    record = Member.objects.get().consents.get()
    assert record.text == new_join


def test_the_form_asks_to_tick_again_after_the_wording_changed(client):
    """The ticks given to the old wording are not carried over to the new wording."""
    data = answers(consent_quote="on")
    ConsentTextFactory(purpose=ConsentPurpose.QUOTE)

    page = soup(client.post("/join/", data))

    assert "has changed" in error_summary(page)
    assert not page.find(id="id_consent_join").has_attr("checked")
    assert not page.find(id="id_consent_quote").has_attr("checked")
    assert page.find(id="id_consent_versions")["value"] == "health_role:1,join:1,quote:2"


def test_get_and_post_only(client):
    assert client.put("/join/").status_code == 405


# --- Rate limits ------------------------------------------------------------------------------


def post_at(client, when, n, ip="203.0.113.7", headers=None, **extra):
    """Sign-up number n, posted from address ip at the given epoch second."""
    with mock.patch("engagement.membership.ratelimit.time.time", return_value=when):
        return client.post(
            "/join/",
            answers(email=f"person{n}@example.org", **extra),
            REMOTE_ADDR=ip,
            headers=headers,
        )


def test_thirty_a_minute_from_one_address_pass_the_31st_waits(client):
    statuses = [post_at(client, T0 + n, n).status_code for n in range(30)]
    assert statuses == [302] * 30

    response = post_at(client, T0 + 45, 30, display_name="Number 31", access_needs="Braille")

    assert response.status_code == 429
    page = soup(response)
    assert WAIT_A_MINUTE in error_summary(page)
    assert page.find(id="id_display_name")["value"] == "Number 31"
    assert page.find(id="id_email")["value"] == "person30@example.org"
    assert page.find(id="id_access_needs").get_text().strip() == "Braille"
    assert page.find(id="id_consent_join").has_attr("checked")
    assert Member.objects.count() == 30
    assert len(mail.outbox) == 30

    # Someone on another network is not held up.
    assert post_at(client, T0 + 46, 31, ip="198.51.100.1").status_code == 302
    # A minute later, pressing Join again works.
    assert post_at(client, T0 + 60, 30).status_code == 302
    assert Member.objects.filter(user__email="person30@example.org").count() == 1


def test_a_crowd_of_100_joining_over_ten_minutes_from_one_address_all_get_in(client):
    statuses = [post_at(client, T0 + 6 * n, n).status_code for n in range(100)]

    assert statuses == [302] * 100
    assert Member.objects.count() == 100
    assert len(mail.outbox) == 100


def test_hundreds_in_a_minute_from_one_address_are_refused_clearly(client):
    statuses = [post_at(client, T0 + n * 0.3, n).status_code for n in range(200)]

    assert statuses[:30] == [302] * 30
    assert statuses[30:] == [429] * 170
    assert Member.objects.count() == 30


def test_a_steady_30_a_minute_is_capped_at_200_in_ten_minutes(client):
    """The ten-minute window: bots posting just under the per-minute limit are still stopped.
    (Filled-in honeypot posts count like any other post and are cheap to make.)"""
    statuses = [
        post_at(client, T0 + 2 * n, n, website="x").status_code for n in range(200)
    ]  # 30 a minute, for six minutes and 40 seconds
    assert statuses == [302] * 200

    response = post_at(client, T0 + 400, 200)
    assert response.status_code == 429
    assert WAIT_A_MINUTE in error_summary(soup(response))
    assert post_at(client, T0 + 600, 201).status_code == 302  # the next ten minutes


def test_behind_a_trusted_proxy_people_are_told_apart_by_the_address_it_wrote(client, settings):
    """With one trusted proxy (ALLAUTH_TRUSTED_PROXY_COUNT=1) the last X-Forwarded-For entry is
    the client's address: thirty people at one stand do not use up the next person's turn."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(30):
        post_at(client, T0, n, website="x", headers={"x-forwarded-for": f"192.0.2.{n}"})

    response = post_at(client, T0, 30, headers={"x-forwarded-for": "192.0.2.200"})

    assert response.status_code == 302


@pytest.mark.parametrize("proxies", [0, 1])
def test_entries_a_client_writes_itself_do_not_get_round_the_limit(client, settings, proxies):
    """A script writing a new first X-Forwarded-For entry each time is still one address: with
    no trusted proxy the header is ignored, with one only the entry the proxy added counts."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    for n in range(30):
        forged = {"x-forwarded-for": f"192.0.2.{n}, 198.51.100.7"}
        post_at(client, T0, n, website="x", headers=forged)

    response = post_at(client, T0, 30, headers={"x-forwarded-for": "192.0.2.200, 198.51.100.7"})

    assert response.status_code == 429


def test_a_header_shorter_than_the_proxy_count_is_not_a_server_error(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2

    response = post_at(client, T0, 0, headers={"x-forwarded-for": "192.0.2.1"})

    assert response.status_code == 302


# --- Never a server error ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"consent_versions": "garbage"},
        {"interests": ["abc", "1"], "role": ["patient", "carer"]},
        {"email": "a@" + "b" * 300 + ".org"},
        {"display_name": "\x00"},
        {"consent_versions": "x" * 5000, "website": ""},
    ],
    ids=["empty", "bad-token", "junk-lists", "long-email", "nul", "huge-token"],
)
def test_junk_posts_get_a_form_back_not_a_server_error(client, data):
    response = client.post("/join/", data)

    assert response.status_code == 200
    assert soup(response).select_one(".error-summary")
    assert_nothing_saved()


def test_current_consent_texts_match_the_token_used_here():
    """Guard for this module: TOKEN is what a fresh installation shows."""
    texts = {p: t for p, t in current_consent_texts().items() if p in JoinForm.CONSENT_FIELDS}
    assert ",".join(f"{p}:{t.version}" for p, t in sorted(texts.items())) == TOKEN


def test_email_addresses_are_matched_whatever_their_case(client):
    client.post("/join/", answers(email="Ann@Example.org"))
    client.post("/join/", answers(email="ANN@EXAMPLE.ORG"))
    assert User.objects.get().email == "ann@example.org"
    assert Member.objects.count() == 1
    assert len(mail.outbox) == 1


def test_confirmation_email_link_is_for_this_site(client):
    client.post("/join/", answers())
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", mail.outbox[0].body)


# --- Joining when already signed in (a manager's account, say) -------------------------------


def test_a_signed_in_account_without_membership_joins_straight_away(client):
    from tests.factories.membership import ManagerFactory

    manager = ManagerFactory(email="mo@example.org")
    client.force_login(manager)
    campaign = CampaignFactory(code="stand")

    page = client.get("/join/stand/")
    email = soup(page).find(id="id_email")
    response = client.post(
        "/join/stand/", answers(email="someone-else@example.org", display_name="Mo"), follow=True
    )

    assert email["value"] == "mo@example.org" and email.has_attr("disabled")
    assert "you join straight away" in page.content.decode()
    assert response.redirect_chain[-1][0] == "/me/"
    assert "Welcome to the stakeholder group." in response.content.decode()
    member = Member.objects.get()
    assert (member.user, member.status, member.channel) == (manager, "active", Channel.QR)
    assert Campaign.objects.get(pk=campaign.pk).signup_count == 1
    assert mail.outbox == []


def test_a_signed_in_join_with_a_problem_says_so_by_the_field(client):
    from tests.factories.membership import ManagerFactory

    client.force_login(ManagerFactory())

    response = client.post("/join/", answers(display_name="   ", consent_join=None))

    page = soup(response)
    assert (
        field_feedback(page, "display_name")[0] == "Error: Enter the name you would like us to use"
    )
    assert not Member.objects.exists()


def test_a_member_who_opens_the_join_page_is_taken_to_their_page(client):
    from tests.factories.membership import MemberFactory

    member = MemberFactory()
    client.force_login(member.user)

    response = client.get("/join/", follow=True)

    assert response.redirect_chain[-1][0] == "/me/"
    assert "You are already in the stakeholder group." in response.content.decode()
    assert Member.objects.count() == 1
