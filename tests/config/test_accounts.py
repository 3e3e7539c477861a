"""Signing in with an emailed code (allauth), the admin's door, and the closed sign-up form."""

import re
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from cms.roles import MANAGERS_GROUP
from tests.html import soup, text_of

pytestmark = pytest.mark.django_db
SITE_TREE_ONCE = True  # built once for the module (tests/conftest.py)

MEMBER_EMAIL = "member@example.org"
CODE_RE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def same_url(a, b):
    """Equal once the query strings are decoded (?next=%2Fadmin%2F is ?next=/admin/)."""
    a, b = urlsplit(a), urlsplit(b)
    return (a.path, parse_qs(a.query)) == (b.path, parse_qs(b.query))


def make_user(email=MEMBER_EMAIL, groups=()):
    user = get_user_model().objects.create_user(email=email, password=None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def request_code(client, email, **extra):
    return client.post(reverse("account_request_login_code"), {"email": email, **extra})


def code_from(message):
    match = CODE_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def confirm(client, code):
    return client.post(reverse("account_confirm_login_code"), {"code": code})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def account(site_tree):
    return make_user()


# --- Sign in by emailed code


def test_login_page_offers_an_emailed_code(client, site_tree):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    form = soup(response).find("button", string="Email me a sign-in code").find_parent("form")
    assert form["action"] == reverse("account_request_login_code")
    assert form.find("input", attrs={"name": "email"})["type"] == "email"


def test_sign_in_with_an_emailed_code_end_to_end(client, account):
    response = request_code(client, MEMBER_EMAIL)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [MEMBER_EMAIL]
    assert message.subject == "PPIE Hub: Your sign-in code"
    code = code_from(message)

    page = client.get(reverse("account_confirm_login_code"))
    assert f"We have emailed a code to {MEMBER_EMAIL}" in text_of(page)
    assert "The code works for 15 minutes." in text_of(page)
    assert not signed_in(client)

    response = confirm(client, code)
    assert response.status_code == 302
    assert response["Location"] == "/me/"  # a member's own page, not the home page
    assert client.session["_auth_user_id"] == str(account.pk)
    home = client.get("/")
    nav = soup(home).find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Sign out") is not None
    assert nav.find("a", string="Sign in") is None


def test_code_is_accepted_in_lower_case_with_spaces(client, account):
    request_code(client, MEMBER_EMAIL)
    code = code_from(mail.outbox[0])
    confirm(client, f"  {code.lower()} ")
    assert signed_in(client)


def test_sign_in_returns_to_the_page_asked_for(client, account):
    request_code(client, MEMBER_EMAIL, next="/events/")
    response = client.post(
        reverse("account_confirm_login_code") + "?next=/events/",
        {"code": code_from(mail.outbox[0]), "next": "/events/"},
    )
    assert response["Location"] == "/events/"


def test_sign_in_does_not_return_to_another_site(client, account):
    request_code(client, MEMBER_EMAIL)
    response = client.post(
        reverse("account_confirm_login_code"),
        {"code": code_from(mail.outbox[0]), "next": "https://evil.example.com/"},
    )
    assert signed_in(client)
    assert response["Location"] == "/me/"


@pytest.mark.parametrize("bad_code", ["abc", "", "ZZZZ-ZZZZ"], ids=["malformed", "empty", "wrong"])
def test_a_bad_code_is_refused_with_a_message(client, account, bad_code):
    request_code(client, MEMBER_EMAIL)
    response = confirm(client, bad_code)
    assert response.status_code == 200
    assert not signed_in(client)
    expected = (
        "Enter the code from the email"
        if bad_code == ""
        else "That code is not right. Check the code in the email and type it again."
    )
    assert expected in text_of(response)
    field = soup(response).find("input", attrs={"name": "code"})
    assert field is not None  # the form is shown again to try once more


def test_the_right_code_still_works_after_a_typo(client, account):
    request_code(client, MEMBER_EMAIL)
    confirm(client, "ZZZZ-ZZZZ")
    confirm(client, code_from(mail.outbox[0]))
    assert signed_in(client)


def test_too_many_wrong_codes_end_the_attempt(client, account, settings):
    request_code(client, MEMBER_EMAIL)
    code = code_from(mail.outbox[0])
    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS):
        confirm(client, "ZZZZ-ZZZZ")
    response = confirm(client, code)  # too late: the code was thrown away
    assert not signed_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_login_code")


def test_an_expired_code_is_refused(client, account, settings):
    request_code(client, MEMBER_EMAIL)
    code = code_from(mail.outbox[0])
    later = time.time() + settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 60
    with mock.patch("time.time", return_value=later):
        response = confirm(client, code)
        assert not signed_in(client)
        # Sent back to ask for a new code.
        assert response.status_code == 302
        assert response["Location"] == reverse("account_request_login_code")
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert soup(page).find("input", attrs={"name": "email"}) is not None
    assert "Your sign-in code has run out (codes last 15 minutes) or was already used." in text_of(
        page
    )
    assert not signed_in(client)


def test_a_used_code_page_says_why_it_sends_people_back(client, account):
    request_code(client, MEMBER_EMAIL)
    confirm(client, code_from(mail.outbox[0]))
    client.logout()

    response = client.get(reverse("account_confirm_login_code"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_request_login_code")
    assert "or was already used" in text_of(response)


def test_too_many_wrong_codes_say_so_and_nothing_else(client, account, settings):
    request_code(client, MEMBER_EMAIL)
    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS):
        response = confirm(client, "ZZZZ-ZZZZ")
    page = text_of(client.get(response["Location"]))

    assert "run out" not in page
    assert "That code was typed wrongly too many times, so it no longer works." in page
    assert "failed" not in page


def test_an_unknown_email_gets_the_same_answer_and_no_code(client, account):
    known = Client()
    known_response = request_code(known, MEMBER_EMAIL)
    known_page = text_of(known.get(known_response["Location"]))
    mail.outbox.clear()

    unknown_response = request_code(client, "stranger@example.org")
    assert unknown_response.status_code == known_response.status_code == 302
    assert unknown_response["Location"] == known_response["Location"]
    unknown_page = text_of(client.get(unknown_response["Location"]))
    assert unknown_page == known_page.replace(MEMBER_EMAIL, "stranger@example.org")

    for message in mail.outbox:  # allauth may tell the address it has no account here
        assert message.to == ["stranger@example.org"]
        assert not CODE_RE.search(message.body), message.body
    # ... and guessing a code for it gets nowhere.
    confirm(client, "ABCD-EFGH")
    assert not signed_in(client)


def test_unknown_account_email_points_to_join_not_the_closed_signup(client, site_tree):
    request_code(client, "stranger@example.org")
    (message,) = mail.outbox
    assert message.to == ["stranger@example.org"]
    assert "No member of the stakeholder group uses this email address" in message.body
    assert "http://testserver/join/" in message.body
    assert "/accounts/signup/" not in message.body  # sign-up there is closed


def test_requests_for_codes_are_rate_limited_per_address(client, account):
    for _ in range(3):  # "3/m/key"
        assert request_code(Client(), MEMBER_EMAIL).status_code == 302
    response = request_code(client, MEMBER_EMAIL)
    assert not signed_in(client)
    assert response.status_code == 200
    page = text_of(response)
    assert "Please wait 1 minute, then ask again." in page
    assert "failed" not in page  # nothing failed: they asked often
    assert "Too many" not in page
    assert len(mail.outbox) == 3


def test_sign_out_needs_a_post(client, account):
    client.force_login(account)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert signed_in(client)  # a link preview or prefetch does not sign anyone out
    client.post(reverse("account_logout"))
    assert not signed_in(client)


# --- The site's own words, no passwords, and where people land


def test_sign_in_page_has_no_password_option(client, site_tree):
    page = soup(client.get(reverse("account_login")))
    assert page.find("input", attrs={"type": "password"}) is None
    assert "password instead" not in page.get_text()
    assert page.find("input", attrs={"name": "email"})["autocomplete"] == "email"


@pytest.mark.parametrize(
    "path", ["/accounts/password/reset/", "/accounts/password/change/", "/accounts/password/set/"]
)
def test_password_pages_are_not_there(client, account, path):
    client.force_login(account)
    assert client.get(path).status_code == 404


def test_sign_in_by_posting_the_email_to_the_sign_in_page_sends_a_code(client, account):
    # allauth's own sign-in form, with no password field, asks for a code too.
    response = client.post(reverse("account_login"), {"login": MEMBER_EMAIL})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert [m.to for m in mail.outbox] == [[MEMBER_EMAIL]]


def test_sign_in_page_keeps_the_page_asked_for(client, account):
    page = soup(client.get(reverse("account_login") + "?next=/events/"))
    form = page.find("button", string="Email me a sign-in code").find_parent("form")
    assert form.find("input", attrs={"name": "next"})["value"] == "/events/"
    response = client.post(form["action"], {"email": MEMBER_EMAIL, "next": "/events/"})
    assert same_url(response["Location"], reverse("account_confirm_login_code") + "?next=/events/")
    code_page = soup(client.get(response["Location"]))
    assert code_page.find("input", attrs={"name": "next"})["value"] == "/events/"
    response = client.post(
        response["Location"], {"code": code_from(mail.outbox[0]), "next": "/events/"}
    )
    assert response["Location"] == "/events/"


def test_manager_lands_in_the_admin_without_asking(client, site_tree):
    make_user("manager@example.org", groups=[MANAGERS_GROUP])
    request_code(client, "manager@example.org")
    response = confirm(client, code_from(mail.outbox[0]))
    assert response["Location"] == "/admin/"


def test_a_signed_in_member_opening_the_sign_in_page_goes_to_their_page(client, account):
    client.force_login(account)
    response = client.get(reverse("account_login"))
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_code_email_in_plain_words(client, account):
    request_code(client, MEMBER_EMAIL)
    (message,) = mail.outbox
    body = message.body
    assert "Here is your code to sign in" in body
    assert "It works for 15 minutes, once." in body
    assert "If you did not ask for a code, you can ignore this email." in body
    for stock in ("initiate", "listed below", "Sign-In", "Hello from"):
        assert stock not in body + message.subject


def test_unknown_account_email_has_a_plain_subject(client, site_tree):
    request_code(client, "stranger@example.org")
    (message,) = mail.outbox
    assert message.subject == "PPIE Hub: You asked for a sign-in code"


def test_the_wait_is_counted_from_the_oldest_request(client, account):
    start = time.time()
    with mock.patch("time.time", return_value=start):
        for _ in range(3):
            request_code(Client(), MEMBER_EMAIL)
    # 59 seconds later the oldest of the three still counts: about a minute to wait.
    with mock.patch("time.time", return_value=start + 59):
        assert "Please wait 1 minute" in text_of(request_code(client, MEMBER_EMAIL))
    # After the minute the limit has passed and a code is sent.
    with mock.patch("time.time", return_value=start + 61):
        assert request_code(client, MEMBER_EMAIL).status_code == 302


def test_wait_message_rounds_up_to_whole_minutes():
    from config.adapters import wait_message

    assert "wait 1 minute," in wait_message(0)
    assert "wait 1 minute," in wait_message(60)
    assert "wait 2 minutes," in wait_message(61)


def test_too_many_requests_page_says_how_long_to_wait(client, site_tree, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client.post(reverse("account_login"), {"login": "a@example.org"})
    response = client.post(reverse("account_login"), {"login": "a@example.org"})
    assert response.status_code == 429
    page = soup(response)
    assert page.h1.get_text() == "Please wait a minute"
    assert "Please wait 1 minute, then try again." in page.get_text()


def test_sign_out_page_in_plain_words(client, account):
    client.force_login(account)
    page = soup(client.get(reverse("account_logout")))
    assert page.h1.get_text() == "Sign out"
    assert page.find("button", string="Sign out") is not None
    assert page.find("a", string="Stay signed in")["href"] == "/me/"
    response = client.post(reverse("account_logout"), follow=True)
    assert "You have signed out." in text_of(response)


def test_expired_confirmation_link_says_what_to_do(client, site_tree):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    page = soup(response)
    assert page.h1.get_text() == "This link does not work any more"
    assert page.find("a", string="Join the stakeholder group")["href"] == "/join/"
    assert page.find("a", string="Sign in")["href"] == reverse("account_login")
    assert "issue a new email confirmation request" not in page.get_text()


def test_confirmation_page_in_plain_words(client, site_tree):
    from allauth.account.models import EmailConfirmationHMAC

    user = get_user_model().objects.create_user(email="new@example.org", password=None)
    address = EmailAddress.objects.create(user=user, email="new@example.org", primary=True)
    key = EmailConfirmationHMAC(address).key
    page = soup(client.get(reverse("account_confirm_email", args=[key])))
    assert page.h1.get_text() == "Confirm your email address"
    assert "Press the button to confirm that new@example.org is your email address." in (
        page.get_text()
    )
    assert "for user" not in page.get_text()
    assert page.find("button", string="Confirm") is not None


# --- The Wagtail admin's door


def test_admin_sends_anonymous_visitors_to_the_sign_in_page(client, site_tree):
    response = client.get("/admin/", follow=True)
    assert same_url(response.redirect_chain[-1][0], "/accounts/login/?next=/admin/")
    assert response.status_code == 200
    assert soup(response).find("button", string="Email me a sign-in code") is not None


def test_wagtails_own_login_page_redirects_to_allauth(client, site_tree):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"


def test_managers_group_has_admin_and_page_permissions():
    group = Group.objects.get(name=MANAGERS_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("wagtailadmin", "access_admin") in codenames
    root = Page.get_first_root_node()
    page_perms = set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= page_perms


def test_manager_signs_in_by_code_and_lands_in_the_admin(client, site_tree):
    manager = make_user("manager@example.org", groups=[MANAGERS_GROUP])
    login = client.get("/admin/", follow=True)
    assert same_url(login.redirect_chain[-1][0], "/accounts/login/?next=/admin/")
    request_code(client, "manager@example.org", next="/admin/")
    response = client.post(
        reverse("account_confirm_login_code"),
        {"code": code_from(mail.outbox[0]), "next": "/admin/"},
    )
    assert client.session["_auth_user_id"] == str(manager.pk)
    assert response["Location"] == "/admin/"

    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    home = site_tree["home"]
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert editor.status_code == 200
    assert soup(editor).find("form", id="page-edit-form") is not None
    # The public site shows the way back to the workspace.
    nav = soup(client.get("/")).find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Manage")["href"] == "/admin/"


def test_member_without_the_group_cannot_use_the_admin(client, account, site_tree):
    client.force_login(account)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[site_tree["home"].pk]))
    assert editor.status_code in (302, 403)
    assert b'id="page-edit-form"' not in editor.content
    nav = soup(client.get("/")).find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Manage") is None


def test_member_without_the_group_gets_a_clear_answer_not_a_redirect_loop(client, account):
    client.force_login(account)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert response.status_code == 403
    page = text_of(response)
    assert "You cannot see this page" in page
    assert "You do not have permission to access the admin." in page
    assert signed_in(client)


# --- Sign-up is closed (members join at /join/, which records consent)


def test_signup_is_closed(client, site_tree):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Join the stakeholder group"
    assert page.find("a", string="Join the stakeholder group", class_="button")["href"] == "/join/"
    assert page.find("input", attrs={"name": "email"}) is None

    users_before = get_user_model().objects.count()
    client.post(reverse("account_signup"), {"email": "new@example.org"})
    assert get_user_model().objects.count() == users_before
    assert mail.outbox == []
