"""Yearly totals per member and UK tax year (6 April to 5 April): on the member's own page, in
the admin, and in the payments log's export with its title, filters, totals and notes."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from engagement.involvement.models import InvolvementRecord
from engagement.involvement.selectors import tax_year_of, yearly_totals
from tests.factories.involvement import make_record
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.html import labelled, table_rows
from tests.spreadsheets import xlsx_notes, xlsx_table, xlsx_title, xlsx_totals

pytestmark = pytest.mark.django_db


def paid(member, day, amount, **fields) -> InvolvementRecord:
    record = make_record(
        member,
        date=day,
        payment_offered=Decimal(amount),
        payment_choice=InvolvementRecord.PaymentChoice.FULL,
        status=InvolvementRecord.Status.PAID,
        paid_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
        **fields,
    )
    return record


@pytest.fixture
def ann():
    """Ann: two activities in the tax year 2025/26 (one on its last day, 5 April 2026), one
    in 2026/27 (on its first day, 6 April 2026) still to be paid, with £12.50 expenses."""
    member = MemberFactory(display_name="Ann")
    paid(member, datetime.date(2025, 9, 1), "30.00", contact_minutes=60)
    paid(member, datetime.date(2026, 4, 5), "45.00", contact_minutes=90)
    make_record(
        member,
        date=datetime.date(2026, 4, 6),
        payment_offered=Decimal("75.00"),
        payment_choice=InvolvementRecord.PaymentChoice.FULL,
        status=InvolvementRecord.Status.TO_PAY,
        preparation_minutes=30,
        contact_minutes=120,
        expenses_claimed=Decimal("12.50"),
    )
    return member


def test_the_tax_year_turns_on_6_april():
    assert tax_year_of(datetime.date(2026, 4, 5)) == 2025
    assert tax_year_of(datetime.date(2026, 4, 6)) == 2026


def test_totals_per_tax_year_newest_first(ann):
    MemberFactory()  # someone with nothing recorded is not in anyone's totals
    newest, oldest = yearly_totals(member=ann)

    assert newest["label"] == "6 April 2026 to 5 April 2027"
    assert (newest["activities"], newest["minutes"]) == (1, 150)
    assert (newest["paid"], newest["to_pay"], newest["expenses"]) == (
        Decimal("0.00"),
        Decimal("87.50"),  # £75 fee + £12.50 expenses
        Decimal("12.50"),
    )
    assert oldest["label"] == "6 April 2025 to 5 April 2026"
    assert (oldest["activities"], oldest["minutes"], oldest["paid"]) == (2, 150, Decimal("75.00"))


def test_the_member_sees_their_own_totals_on_their_page(ann):
    other = MemberFactory()
    paid(other, datetime.date(2025, 9, 1), "999.00")
    client = Client()
    client.force_login(ann.user)

    rows = table_rows(labelled(client.get("/me/"), "yearly-heading"))

    assert rows == [
        ["Tax year", "Activities", "Time", "Paid to you", "Still to pay", "Of which expenses"],
        ["6 April 2026 to 5 April 2027", "1", "2 hours 30 minutes", "£0.00", "£87.50", "£12.50"],
        ["6 April 2025 to 5 April 2026", "2", "2 hours 30 minutes", "£75.00", "£0.00", "£0.00"],
    ]


def test_managers_see_everyones_totals_and_download_them(ann):
    bob = MemberFactory(display_name="Bob")
    paid(bob, datetime.date(2025, 6, 1), "20.00", contact_minutes=45)
    client = Client()
    client.force_login(ManagerFactory())

    page = client.get("/admin/involvement/yearly/")
    assert page.status_code == 200
    export = client.get("/admin/involvement/yearly/?export=xlsx")

    assert xlsx_title(export)[0] == "Involvement: yearly totals per member"
    table = xlsx_table(export)
    assert [(row["Member"], row["Tax year"], row["Paid (£)"]) for row in table] == [
        (str(ann), "6 April 2026 to 5 April 2027", 0),
        (str(ann), "6 April 2025 to 5 April 2026", 75),
        (str(bob), "6 April 2025 to 5 April 2026", 20),
    ]
    assert xlsx_totals(export)["Minutes"] == 345
    assert "6 April to 5 April" in xlsx_notes(export)["Tax year"]


def test_a_member_cannot_open_the_admin_totals(ann):
    client = Client()
    client.force_login(ann.user)
    assert client.get("/admin/involvement/yearly/").status_code in (302, 403)


def test_the_payments_export_says_what_it_is_which_filters_and_what_the_sums_are(ann):
    client = Client()
    client.force_login(ManagerFactory())

    export = client.get(
        "/admin/involvement/",
        {"export": "xlsx", "status": "paid", "date_from": "2025-04-06", "date_to": "2026-04-05"},
    )

    title, exported, filters = xlsx_title(export)
    assert title == "Involvement and payments log"
    assert exported.startswith("Exported ")
    assert "Payment status: Paid" in filters
    assert "Date of the activity: from 6 Apr 2025 to 5 Apr 2026" in filters
    assert len(xlsx_table(export)) == 2
    assert xlsx_totals(export)["Amount due (£)"] == 75
    notes = xlsx_notes(export)
    assert "rate card" in notes["Payment offered (£)"]
    assert "expenses" in notes["Amount due (£)"]
