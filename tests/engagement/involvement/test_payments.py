"""Payments, member side: on /me/involvement/<pk>/ a member takes the payment, a smaller amount,
a voucher or nothing, and claims expenses with a receipt. Only their own records; never one that
has been paid. Every refusal says what to do."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from engagement.involvement.models import ActivityType
from engagement.models import InvolvementRecord
from tests.factories.files import JPEG, PDF, PNG, pdf_bytes
from tests.factories.involvement import make_record
from tests.factories.membership import MemberFactory
from tests.html import labelled, saved_message, soup, table_rows, text_of, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(member):
    return make_record(member)


def url(record) -> str:
    return f"/me/involvement/{record.pk}/"


def snapshot(record) -> tuple:
    record = InvolvementRecord.objects.get(pk=record.pk)
    return (
        record.payment_choice,
        record.reduced_amount,
        record.expenses_claimed,
        record.receipt.name,
        record.status,
        record.paid_at,
    )


def test_the_page_shows_the_activity_and_the_offer(member_client, record):
    response = member_client.get(url(record))

    assert response.status_code == 200
    text = text_of(response)
    assert "Meeting or workshop: Design workshop" in text
    assert "20 January 2026" in text
    assert "60 minutes" in text
    assert "£30.00" in text
    assert "You do not have to accept payment." in text


@pytest.mark.parametrize(
    ("data", "choice", "due", "status"),
    [
        ({"pay-choice": "full"}, "full", "30.00", "to_pay"),
        ({"pay-choice": "reduced", "pay-reduced_amount": "12.50"}, "reduced", "12.50", "to_pay"),
        ({"pay-choice": "reduced", "pay-reduced_amount": "30.00"}, "reduced", "30.00", "to_pay"),
        ({"pay-choice": "reduced", "pay-reduced_amount": "0"}, "reduced", "0.00", "nothing_due"),
        ({"pay-choice": "declined"}, "declined", "0.00", "nothing_due"),
        ({"pay-choice": "voucher"}, "voucher", "30.00", "to_pay"),
    ],
)
def test_each_payment_choice_sets_what_is_due(member_client, record, data, choice, due, status):
    response = member_client.post(url(record), data)

    assert response.status_code == 302
    assert response["Location"] == "/me/#involvement-saved"
    record.refresh_from_db()
    assert record.payment_choice == choice
    assert record.amount_due == Decimal(due)
    assert record.status == status
    me = member_client.get("/me/").content.decode()
    assert "Your choice is saved." in me
    assert record.get_payment_choice_display() in me


def test_a_reduced_amount_is_forgotten_when_the_member_changes_their_mind(member_client, record):
    member_client.post(url(record), {"pay-choice": "reduced", "pay-reduced_amount": "10.00"})

    member_client.post(url(record), {"pay-choice": "full", "pay-reduced_amount": "10.00"})

    record.refresh_from_db()
    assert record.reduced_amount is None
    assert record.amount_due == Decimal("30.00")


def test_declining_the_fee_still_pays_back_expenses(member_client, record):
    member_client.post(url(record), {"pay-choice": "declined"})
    member_client.post(
        url(record), {"exp-amount": "8.40", "exp-receipt": SimpleUploadedFile("r.png", PNG)}
    )

    record.refresh_from_db()
    assert record.amount_due == Decimal("8.40")
    assert record.status == InvolvementRecord.Status.TO_PAY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"pay-choice": "reduced", "pay-reduced_amount": "30.01"},
            "This is more than the £30.00 offered",
        ),
        (
            {"pay-choice": "reduced", "pay-reduced_amount": "-5"},
            "The amount cannot be negative",
        ),
        ({"pay-choice": "reduced", "pay-reduced_amount": ""}, "Enter the amount you would like"),
        ({"pay-choice": "reduced", "pay-reduced_amount": "lots"}, "Enter an amount like 12.50"),
        ({"pay-choice": "cash-in-hand"}, "Choose one of the options shown"),
        ({"pay-choice": ""}, "Choose what you would like"),
        # Nothing ticked: a browser sends no radio at all, only the empty amount box.
        ({"pay-reduced_amount": ""}, "Choose what you would like"),
    ],
)
def test_a_wrong_choice_is_explained_and_nothing_changes(member_client, record, data, message):
    before = snapshot(record)

    response = member_client.post(url(record), data)

    assert response.status_code == 400
    assert message in text_of(response)
    assert "Error:" in soup(response).title.get_text()
    assert snapshot(record) == before


def test_another_members_record_is_not_found_and_stays_as_it_was(member_client):
    theirs = make_record(MemberFactory(display_name="Bob"), description="Bob's workshop")
    before = snapshot(theirs)

    assert member_client.get(url(theirs)).status_code == 404
    assert member_client.post(url(theirs), {"pay-choice": "full"}).status_code == 404
    response = member_client.post(
        url(theirs), {"exp-amount": "99.00", "exp-receipt": SimpleUploadedFile("r.png", PNG)}
    )

    assert response.status_code == 404
    assert snapshot(theirs) == before


def test_someone_signed_out_is_sent_to_sign_in(record):
    response = Client().post(url(record), {"pay-choice": "full"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot(record)[0] == ""


def paid(record) -> InvolvementRecord:
    InvolvementRecord.objects.filter(pk=record.pk).update(
        payment_choice="full", status=InvolvementRecord.Status.PAID, paid_at="2026-02-01T10:00Z"
    )
    return InvolvementRecord.objects.get(pk=record.pk)


@pytest.mark.parametrize(
    "data",
    [
        {"pay-choice": "declined"},
        {"pay-choice": "reduced", "pay-reduced_amount": "1.00"},
        {"exp-amount": "5.00"},
    ],
)
def test_a_paid_record_cannot_be_changed(member_client, record, data):
    record = paid(record)
    before = snapshot(record)

    response = member_client.post(url(record), data)

    assert response.status_code == 400
    assert "This has already been paid, so it cannot be changed." in text_of(response)
    assert snapshot(record) == before


def test_a_paid_record_shows_as_paid_on_the_members_page(member_client, record):
    paid(record)

    html = soup(member_client.get("/me/"))

    row = html.find("td", string=lambda s: s and "Design workshop" in s).find_parent("tr")
    assert row.find_all("td")[-1].get_text(strip=True) == "Paid"
    assert row.find("a") is None


# --- Expenses and receipts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"), [("receipt.png", PNG), ("receipt.jpg", JPEG), ("receipt.pdf", PDF)]
)
def test_a_receipt_photo_or_pdf_is_accepted(member_client, record, name, content):
    response = member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.expenses_claimed == Decimal("12.00")
    assert record.receipt.read() == content
    # Stored under a generated name, with the extension of what the file is.
    folder, stored = record.receipt.name.rsplit("/", 1)
    assert folder.startswith("receipts/")
    assert stored != name and len(stored.split(".")[0]) == 32
    assert stored.endswith("." + {"receipt.png": "png", "receipt.jpg": "jpg"}.get(name, "pdf"))
    assert record.amount_due == Decimal("12.00")  # no payment chosen yet: the expenses only
    assert record.status == InvolvementRecord.Status.TO_PAY
    assert response["Location"] == "/me/#involvement-saved"
    me = member_client.get("/me/")
    assert saved_message(me, "involvement") == "Your expenses claim is saved."
    assert labelled(me, "involvement-heading").find(id="involvement-saved") is not None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("receipt.txt", b"Train ticket, 12 pounds"),
        ("receipt.png", b"this is not really a PNG"),  # the name is not enough
        ("receipt.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_other_files_are_refused_with_what_to_upload(member_client, record, name, content):
    before = snapshot(record)

    response = member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    assert "Upload a photo (JPEG or PNG) or a PDF" in text_of(response)
    assert snapshot(record) == before


DAMAGED = "This file could not be opened: it may be damaged or only partly uploaded."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut-off.png", PNG[: len(PNG) // 2], DAMAGED),
        ("cut-off.jpg", JPEG[: len(JPEG) // 2], DAMAGED),
        ("header-only.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, DAMAGED),
        ("header-only.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, DAMAGED),
        ("header-only.pdf", b"%PDF-1.7\n" + b"\x00" * 200, DAMAGED),
        ("cut-off.pdf", PDF[: len(PDF) - 40], DAMAGED),
        ("locked.pdf", pdf_bytes(password="secret"), "protected by a password"),
    ],
)
def test_a_file_that_only_starts_like_a_receipt_is_refused(
    member_client, record, name, content, message
):
    """The whole file must parse: the first bytes of a PNG, JPEG or PDF are not enough."""
    before = snapshot(record)

    response = member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    assert message in text_of(response)
    assert snapshot(record) == before


def test_the_uploaded_name_is_never_used(member_client, record):
    """A name can carry a path, personal details or a false extension."""
    upload = SimpleUploadedFile("../../Zelda Quartermaine bank details.png", PDF)

    member_client.post(url(record), {"exp-amount": "12.00", "exp-receipt": upload})

    record.refresh_from_db()
    assert "Zelda" not in record.receipt.name and ".." not in record.receipt.name
    assert record.receipt.name.endswith(".pdf")


def test_an_oversized_receipt_is_refused_with_the_limit(member_client, record, settings):
    settings.RECEIPT_MAX_BYTES = 1024 * 1024
    before = snapshot(record)
    too_big = PNG + b"\x00" * (1024 * 1024 + 1 - len(PNG))

    response = member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile("big.png", too_big)}
    )

    assert response.status_code == 400
    assert "The receipt is too big. Please upload a file of 1.0 MB or less." in text_of(response)
    assert "JPEG, PNG or PDF, up to 1.0 MB." in text_of(response)  # the hint says the same
    assert snapshot(record) == before

    just_fits = too_big[:-1]
    response = member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile("ok.png", just_fits)}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-3.00", "The amount cannot be negative"),
        ("", "Enter the amount"),
        ("£5", "Enter an amount"),
    ],
)
def test_a_wrong_expenses_amount_is_explained(member_client, record, amount, message):
    before = snapshot(record)

    response = member_client.post(url(record), {"exp-amount": amount})

    assert response.status_code == 400
    assert message in text_of(response)
    assert snapshot(record) == before


def test_expenses_without_a_receipt_keep_the_earlier_receipt(member_client, record):
    member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile("r.pdf", PDF)}
    )
    first = InvolvementRecord.objects.get(pk=record.pk).receipt.name

    member_client.post(url(record), {"exp-amount": "14.00"})

    record.refresh_from_db()
    assert record.expenses_claimed == Decimal("14.00")
    assert record.receipt.name == first


def test_a_receipt_is_for_managers_only_and_not_in_public_media(member_client, record, settings):
    from tests.factories.membership import ManagerFactory

    member_client.post(
        url(record), {"exp-amount": "12.00", "exp-receipt": SimpleUploadedFile("r.pdf", PDF)}
    )
    record.refresh_from_db()
    link = record.receipt.url

    manager = Client()
    manager.force_login(ManagerFactory())
    served = manager.get(link)
    edit = manager.get(f"/admin/involvement/edit/{record.pk}/").content.decode()

    assert link == f"/admin/involvement/receipts/{record.receipt.name}"
    assert f'href="{link}"' in edit  # the admin form links to the protected copy
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    # The member who sent it, anyone signed out, and the public media URL: no receipt.
    assert member_client.get(link).status_code in {302, 403}
    assert Client().get(link).status_code == 302
    assert Client().get(f"/media/{record.receipt.name}").status_code == 404
    assert manager.get("/admin/involvement/receipts/receipts/2026/01/forged.pdf").status_code == 404


def test_the_reduced_amount_says_when_it_is_needed_not_that_it_is_optional(member_client, record):
    page = soup(member_client.get(url(record)).content)
    group = page.find(id="id_pay-reduced_amount").find_parent("div", class_="form-group")
    text = words(group)

    assert "Only if you chose a reduced amount." in text
    assert "(optional)" not in text


# --- What the database keeps -----------------------------------------------------------------


def test_the_database_works_out_what_is_due_and_sums_it(member):
    make_record(member, payment_choice="full", expenses_claimed=Decimal("4.20"))  # 34.20
    make_record(member, payment_choice="reduced", reduced_amount=Decimal("99"))  # capped: 30.00
    make_record(member, payment_choice="reduced")  # no amount given yet: 0.00
    make_record(member, payment_choice="declined", expenses_claimed=Decimal("8.40"))  # 8.40
    make_record(member)  # not chosen yet: 0.00

    dues = sorted(InvolvementRecord.objects.values_list("amount_due", flat=True))
    total = InvolvementRecord.objects.aggregate(total=Sum("amount_due"))["total"]

    assert dues == [Decimal("0.00"), Decimal("0.00"), Decimal("8.40"), Decimal("30.00"),
                    Decimal("34.20")]  # fmt: skip
    assert Decimal(total).quantize(Decimal("0.01")) == Decimal("72.60")


def test_the_database_refuses_paid_without_a_date_and_a_date_without_paid(member):
    record = make_record(member, payment_choice="full", status="to_pay")

    with pytest.raises(IntegrityError), transaction.atomic():
        InvolvementRecord.objects.filter(pk=record.pk).update(status="paid")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvolvementRecord.objects.filter(pk=record.pk).update(paid_at=timezone.now())


# --- No choice about nothing: an activity with no payment offered


@pytest.fixture
def unpaid_activity(member):
    return make_record(
        member,
        activity_type=ActivityType.POLL,
        description="Answering a poll",
        payment_offered=Decimal("0.00"),
    )


def test_me_offers_no_choice_for_an_activity_without_payment(
    member_client, record, unpaid_activity
):
    me = member_client.get("/me/")
    rows = {row[0]: row for row in table_rows(labelled(me, "involvement-heading"))[1:]}
    poll = next(row for name, row in rows.items() if "Answering a poll" in name)
    assert "£0.00" not in " ".join(poll)
    assert "Choose" not in poll[3]
    assert poll[3].startswith("No payment for this")
    assert "Claim expenses" in poll[3]
    workshop = next(row for name, row in rows.items() if "Design workshop" in name)
    assert workshop[2] == "£30.00"
    assert workshop[3].startswith("Choose")


def test_record_page_without_payment_shows_no_payment_choice(member_client, unpaid_activity):
    page = soup(member_client.get(url(unpaid_activity)))
    assert page.find("input", attrs={"name": "pay-choice"}) is None
    assert page.find("button", string="Save my choice") is None
    assert "There is nothing to choose about payment for this activity." in words(page)
    assert page.find("input", attrs={"name": "exp-amount"}) is not None  # expenses still


def test_a_payment_choice_for_nothing_is_refused(member_client, unpaid_activity):
    response = member_client.post(
        url(unpaid_activity), {"pay-choice": "full", "pay-reduced_amount": ""}
    )
    assert response.status_code == 400
    assert "There is no payment for this activity" in words(soup(response))
    unpaid_activity.refresh_from_db()
    assert unpaid_activity.payment_choice == ""


def test_expenses_can_still_be_claimed_without_payment(member_client, unpaid_activity):
    response = member_client.post(url(unpaid_activity), {"exp-amount": "4.20"})
    assert response["Location"] == "/me/#involvement-saved"
    unpaid_activity.refresh_from_db()
    assert unpaid_activity.amount_due == Decimal("4.20")
