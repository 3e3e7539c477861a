"""Leaving does exactly what the leave page says: a member with something in every table
leaves, and then their name, email, phone and free text are in no row of any table and in no
file, outside the finance record that the law says must be kept (and that is erased on time)."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import models
from django.test import Client

from engagement.models import (
    ConsentRecord,
    EqualityAnswers,
    Feature,
    FinanceRecord,
    Idea,
    Invitation,
    InvolvementRecord,
    Member,
    PollAnswer,
    Registration,
    Role,
    Vote,
)
from feedback.models import ItemFeedback, PrototypeReview, QuestionnaireReview, ScreenComment
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.factories.personal_data import EMAIL, NAME, PHONE, SECRETS, member_with_everything
from tests.html import section, soup, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def rows_naming(secrets, *, skip=(FinanceRecord,)) -> list[str]:
    """Every (table, column) where any of the secrets appears, in every model's table."""
    found = []
    for model in apps.get_models():
        if model in skip or model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            for name, value in zip(names, row, strict=True):
                text = str(value).lower()
                found += [
                    f"{model._meta.db_table}.{name}: {secret}"
                    for secret in secrets
                    if secret.lower() in text
                ]
    return found


def stored_files():
    """(storage, path) of every stored file: receipts and media (in memory in the tests)."""
    for alias in ("receipts", "default"):
        storage = storages[alias]
        pending = [""]
        while pending:
            folder = pending.pop()
            dirs, files = storage.listdir(folder)
            pending += [f"{folder}/{d}".lstrip("/") for d in dirs]
            for file in files:
                yield alias, storage, f"{folder}/{file}".lstrip("/")


@pytest.fixture(autouse=True)
def empty_storage():
    """The in-memory storages live as long as the test process: start each test empty."""
    for _alias, storage, path in list(stored_files()):
        storage.delete(path)


def files_naming(secrets, *, allowed=()) -> list[str]:
    """Every stored file (receipts, media) whose name or content holds a secret."""
    found = []
    for alias, storage, path in stored_files():
        if path in allowed:
            continue
        with storage.open(path) as handle:
            content = handle.read().decode("latin-1").lower()
        found += [
            f"{alias}:{path}: {secret}"
            for secret in secrets
            if secret.lower() in path.lower() or secret.lower() in content
        ]
    return found


@pytest.fixture
def zelda(site_tree):
    return member_with_everything(site_tree, scale=2)


def leave(member):
    client = Client()
    client.force_login(member.user)
    response = client.post("/me/withdraw/")
    assert response["Location"] == "/me/withdrawn/"


def test_the_secrets_are_really_there_before(zelda):
    """Guard: the search finds them while the member is still in the group."""
    found = " ".join(rows_naming(SECRETS) + files_naming(SECRETS))
    for secret in SECRETS:
        assert secret.lower() in found.lower()


def test_after_leaving_nothing_names_them_outside_the_finance_record(zelda):
    votes_before = Vote.objects.filter(member=zelda).count()
    other = MemberFactory(display_name="Bob Stays", phone="07700 900777")

    leave(zelda)

    assert rows_naming(SECRETS) == []
    kept = FinanceRecord.objects.all()
    assert files_naming(SECRETS, allowed={r.receipt.name for r in kept}) == []
    # What finance must keep, apart: one per record with money in it, with its receipt.
    assert [(r.payee_name, r.payee_email) for r in kept] == [(NAME, EMAIL)] * 2
    assert {r.amount_due for r in kept} == {Decimal("34.50")}
    assert all(r.receipt for r in kept)
    # The anonymous member row: role generalised, no contact details, votes kept as counts.
    member = Member.objects.get(pk=zelda.pk)
    assert (member.status, member.role, member.user_id) == ("withdrawn", Role.OTHER, None)
    assert Vote.objects.filter(member=member).count() == votes_before
    assert not InvolvementRecord.objects.filter(member=member).exclude(receipt="").exists()
    assert InvolvementRecord.objects.filter(member=member).count() == 2  # amounts only
    assert PollAnswer.objects.filter(member=member, choice__isnull=False).count() == 2
    assert not PollAnswer.objects.filter(member=member, choice__isnull=True).exists()
    assert QuestionnaireReview.objects.filter(member=member, overall_comment="").count() == 2
    assert ItemFeedback.objects.filter(review__member=member, relevance=3).count() == 4
    assert PrototypeReview.objects.get(member=member, prototype__title="Design 0").sus_1 == 4
    assert ScreenComment.objects.filter(review__member=member, ease=4).count() == 2
    assert not Invitation.objects.filter(member=member).exclude(access_needs="").exists()
    assert not ConsentRecord.objects.filter(member=member, withdrawn_at__isnull=True).exists()
    assert not EqualityAnswers.objects.filter(member=member).exists()
    # Their ideas: the words gone, what happened to each kept; the team's feature stays.
    words = Idea.objects.filter(member=member).values_list("title", "description", "decline_reason")
    assert set(words) == {("", "", "")}
    assert Idea.objects.filter(member=member, status="accepted").count() == 2
    assert Feature.objects.filter(idea__member=member).count() == 2
    # Places at events to come given up (signed in or not); the rows stay, naming nobody.
    assert set(
        Registration.objects.values_list("status", "name", "email", "access_needs", "dietary_needs")
    ) == {("cancelled", "", "", "", "")}
    # Nobody else is touched.
    other.refresh_from_db()
    assert (other.display_name, other.phone) == ("Bob Stays", "07700 900777")


def test_the_finance_record_is_for_managers_only(zelda):
    leave(zelda)
    record = FinanceRecord.objects.first()

    manager = Client()
    manager.force_login(ManagerFactory())
    listing = manager.get("/admin/finance_records/")
    assert listing.status_code == 200
    assert NAME in text_of(listing)
    assert manager.get(f"/admin/involvement/receipts/{record.receipt.name}").status_code == 200

    member = Client()
    member.force_login(MemberFactory().user)
    assert member.get("/admin/finance_records/").status_code == 302  # not into the admin
    assert member.get(f"/admin/involvement/receipts/{record.receipt.name}").status_code == 302


def test_retention_erases_finance_records_on_their_date(zelda, django_capture_on_commit_callbacks):
    leave(zelda)
    kept = list(FinanceRecord.objects.all())
    # The activity was on 20 January 2026: tax year ends 5 April 2026, plus six years.
    assert {r.retain_until for r in kept} == {datetime.date(2032, 4, 5)}

    call_command("apply_retention")
    assert FinanceRecord.objects.count() == 2  # not yet

    FinanceRecord.objects.update(retain_until=datetime.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention")
    assert not FinanceRecord.objects.exists()
    assert files_naming(SECRETS) == []  # the receipts went with them


def test_the_leave_page_says_what_goes_and_what_stays(zelda):
    client = Client()
    client.force_login(zelda.user)

    response = client.get("/me/withdraw/")

    deleted = section(response, "deleted-heading")
    for expected in [
        "name, email address, phone number and access needs",
        "equality",
        "“Other”",
        "the ideas you suggested",
    ]:
        assert expected in deleted
    kept = section(response, "kept-heading")
    assert "anonymous counts" in kept
    assert "6 years after the tax year" in kept
    assert soup(response).find("form", method="post")


@pytest.mark.parametrize("months, erased", [(0, False), (3, True)])
def test_free_text_retention_is_off_unless_set(site_tree, settings, months, erased):
    zelda = member_with_everything(site_tree)
    consultation = Invitation.objects.get(member=zelda).consultation
    consultation.opens_at = consultation.opens_at - datetime.timedelta(days=400)
    consultation.closes_at = consultation.opens_at + datetime.timedelta(days=10)
    consultation.save()
    settings.FREE_TEXT_RETENTION_MONTHS = months

    call_command("apply_retention")

    review = QuestionnaireReview.objects.get(member=zelda)
    assert (review.overall_comment == "") is erased
    assert (ScreenComment.objects.get(review__member=zelda).comment == "") is erased
    assert PollAnswer.objects.filter(member=zelda, choice__isnull=True).exists() is not erased
    assert ItemFeedback.objects.filter(review=review, relevance=3).count() == 2  # ratings stay
    suggested = Idea.objects.get(member=zelda, consultation=consultation)
    assert (suggested.title == suggested.description == "") is erased
    assert Idea.objects.filter(member=zelda, consultation=None).exclude(title="").count() == 2
    zelda.refresh_from_db()
    assert zelda.display_name == NAME and zelda.phone == PHONE  # members are not touched
