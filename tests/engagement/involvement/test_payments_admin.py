"""Payments, manager side (Wagtail admin): mark a record paid after a confirmation, only when
something is waiting to be paid; a paid record can no longer be edited; bad numbers in the form
are field errors, never a server error; the finance export; nobody else gets in."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.test.utils.form_data import querydict_from_html

from engagement.models import ActivityType, InvolvementRecord
from tests.factories.involvement import make_record
from tests.factories.membership import MemberFactory, UserFactory
from tests.html import soup, text_of, words

pytestmark = pytest.mark.django_db


def to_pay(member=None, **fields) -> InvolvementRecord:
    """A £30 workshop the member chose to be paid for in full: £30 to pay."""
    record = make_record(member or MemberFactory(), **fields)
    record.payment_choice = InvolvementRecord.PaymentChoice.FULL
    record.status = InvolvementRecord.Status.TO_PAY
    record.save()
    return record


def mark_paid_url(record) -> str:
    return f"/admin/involvement/paid/{record.pk}/"


def messages_of(response) -> str:
    return " ".join(words(m) for m in soup(response).select(".messages li"))


# --- Marking as paid ---------------------------------------------------------------------------


def test_the_listing_offers_mark_paid_only_for_records_to_pay(manager_client):
    waiting = to_pay(MemberFactory(display_name="Waiting Wendy"))
    make_record(MemberFactory(display_name="Nothing Ned"))

    html = soup(manager_client.get("/admin/involvement/"))

    links = [a["href"] for a in html.find_all("a", string="Mark paid")]
    assert links == [mark_paid_url(waiting)]


def test_mark_paid_asks_first_then_marks_it_paid(manager_client):
    record = to_pay(MemberFactory(display_name="Ann"))

    confirm = manager_client.get(mark_paid_url(record))

    assert confirm.status_code == 200
    assert "£30.00" in text_of(confirm)
    assert "Once marked as paid, the record can no longer be changed." in text_of(confirm)
    record.refresh_from_db()
    assert record.status == InvolvementRecord.Status.TO_PAY  # a GET changes nothing

    response = manager_client.post(mark_paid_url(record), follow=True)

    assert response.redirect_chain[0] == ("/admin/involvement/", 302)
    assert "Marked as paid." in messages_of(response)
    record.refresh_from_db()
    assert record.status == InvolvementRecord.Status.PAID
    assert record.paid_at is not None


@pytest.mark.parametrize(
    "status, paid_at",
    [("nothing_due", None), ("paid", datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))],
)
def test_only_records_waiting_for_payment_can_be_marked_paid(manager_client, status, paid_at):
    record = make_record(MemberFactory(), status=status, paid_at=paid_at)
    before = (record.status, record.paid_at)

    confirm = manager_client.get(mark_paid_url(record))
    response = manager_client.post(mark_paid_url(record), follow=True)

    assert "is not waiting for payment" in text_of(confirm)
    assert "<button" not in confirm.content.decode().split('id="main"')[-1]

    assert "Only records waiting for payment can be marked as paid." in messages_of(response)
    record.refresh_from_db()
    assert (record.status, record.paid_at) == before


def test_mark_paid_for_a_missing_record_is_not_found(manager_client):
    assert manager_client.post("/admin/involvement/paid/999999/").status_code == 404


# --- Editing in the admin form -----------------------------------------------------------------


def form_data(client, url) -> dict:
    """The admin form's fields as the browser would send them."""
    form = next(
        f
        for f in soup(client.get(url)).find_all("form")
        if f.find(attrs={"name": "contact_minutes"})
    )
    return querydict_from_html(str(form))


def test_a_paid_record_can_no_longer_be_changed_in_the_admin(manager_client):
    record = to_pay()
    InvolvementRecord.objects.filter(pk=record.pk).update(
        status="paid", paid_at="2026-02-01T10:00Z"
    )
    url = f"/admin/involvement/edit/{record.pk}/"
    data = form_data(manager_client, url)
    data["contact_minutes"] = "240"
    data["payment_offered"] = "120.00"

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert "This record has been paid and can no longer be changed." in text_of(response)
    record.refresh_from_db()
    assert (record.minutes, record.payment_offered) == (60, Decimal("30.00"))


def test_an_unpaid_record_can_be_corrected(manager_client):
    record = to_pay()
    url = f"/admin/involvement/edit/{record.pk}/"
    data = form_data(manager_client, url)
    data["preparation_minutes"] = "30"
    data["contact_minutes"] = "60"
    data["mode"] = InvolvementRecord.Mode.IN_PERSON
    data["payment_offered"] = "45.00"

    response = manager_client.post(url, data)

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.minutes, record.payment_offered) == (90, Decimal("45.00"))
    assert (record.preparation_minutes, record.contact_minutes, record.mode) == (
        30,
        60,
        "in_person",
    )


def field_errors(response) -> dict[str, str]:
    """Field name → its error text, from Wagtail's form."""
    form = response.context["form"]
    return {name: " ".join(errs) for name, errs in form.errors.items()}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_minutes", "-30", "greater than or equal to 0"),
        ("preparation_minutes", "-5", "greater than or equal to 0"),
        ("payment_offered", "-10.00", "The amount cannot be negative"),
        ("expenses_claimed", "-2.50", "The amount cannot be negative"),
    ],
)
@pytest.mark.parametrize("action", ["new", "edit"])
def test_negative_numbers_are_field_errors_not_server_errors(
    manager_client, field, value, message, action
):
    member = MemberFactory(display_name="Ann")
    if action == "edit":
        record = make_record(member)
        url = f"/admin/involvement/edit/{record.pk}/"
    else:
        record = None
        url = "/admin/involvement/new/"
    data = form_data(manager_client, url)
    if action == "new":
        data.update(
            {
                "member": str(member.pk),
                "activity_type": ActivityType.MEETING,
                "description": "Workshop",
                "date": "2026-01-20",
                "contact_minutes": "60",
                "payment_offered": "30.00",
                "expenses_claimed": "0",
                "status": InvolvementRecord.Status.NOTHING_DUE,
            }
        )
    data[field] = value

    response = manager_client.post(url, data)

    assert response.status_code == 200
    errors = field_errors(response)
    assert message in errors.get(field, ""), errors
    assert message in text_of(response)  # shown on the page, by the field
    if record is None:
        assert not InvolvementRecord.objects.exists()
    else:
        record.refresh_from_db()
        assert (record.minutes, record.payment_offered, record.expenses_claimed) == (
            60,
            Decimal("30.00"),
            Decimal("0.00"),
        )


def test_a_manager_records_a_meeting_by_hand(manager_client):
    member = MemberFactory(display_name="Ann")
    data = form_data(manager_client, "/admin/involvement/new/")
    data.update(
        {
            "member": str(member.pk),
            "activity_type": ActivityType.MEETING,
            "description": "Steering group",
            "date": "2026-01-20",
            "contact_minutes": "120",
            "payment_offered": "55.00",
            "expenses_claimed": "0",
            "status": InvolvementRecord.Status.NOTHING_DUE,
        }
    )

    response = manager_client.post("/admin/involvement/new/", data)

    assert response.status_code == 302
    record = InvolvementRecord.objects.get()
    assert record.source == InvolvementRecord.Source.MANAGER
    assert (record.minutes, record.payment_offered) == (120, Decimal("55.00"))
    # Worked out from the amounts: nothing is due until the member chooses their payment.
    assert record.status == InvolvementRecord.Status.NOTHING_DUE
    assert record.paid_at is None


def test_the_edit_form_cannot_mark_a_record_paid_or_set_its_status(manager_client):
    record = to_pay(MemberFactory())
    url = f"/admin/involvement/edit/{record.pk}/"
    data = form_data(manager_client, url)
    data.update({"status": InvolvementRecord.Status.PAID, "expenses_claimed": "12.50"})

    response = manager_client.post(url, data)

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.paid_at) == (InvolvementRecord.Status.TO_PAY, None)
    assert record.expenses_claimed == Decimal("12.50")


# --- Finance export ----------------------------------------------------------------------------


def xlsx_rows(response) -> list[tuple]:
    """The payments sheet from its headings on: after the title, the export date and filters,
    and an empty row (engagement.common.exports)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Payments"]
    return list(sheet.iter_rows(values_only=True))[4:]


def test_the_finance_export_has_every_record_and_what_is_due(manager_client):
    ann, bob = MemberFactory(display_name="Ann"), MemberFactory(display_name="Bob")
    full = to_pay(ann, description="Workshop in full")
    reduced = make_record(
        bob,
        description="Workshop reduced",
        payment_choice="reduced",
        reduced_amount=Decimal("12.50"),
        expenses_claimed=Decimal("8.40"),
        status="to_pay",
    )
    declined = make_record(
        bob,
        description="Workshop declined",
        payment_choice="declined",
        date=datetime.date(2026, 1, 2),
    )

    response = manager_client.get("/admin/involvement/?export=xlsx")

    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "involvement-payments" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    header = list(rows[0])
    assert "Amount due (£)" in header and "Member" in header and "Record" in header
    by_record = {
        row[header.index("Record")]: dict(zip(header, row, strict=True))
        for row in rows[1:]
        if row[0] != "Total"
    }
    assert set(by_record) == {full.pk, reduced.pk, declined.pk}
    assert Decimal(str(by_record[full.pk]["Amount due (£)"])) == Decimal("30.00")
    assert Decimal(str(by_record[reduced.pk]["Amount due (£)"])) == Decimal("20.90")
    assert Decimal(str(by_record[declined.pk]["Amount due (£)"])) == 0
    assert by_record[full.pk]["Member"] == "Ann"


def test_the_export_follows_the_status_filter(manager_client):
    waiting = to_pay(description="To pay")
    make_record(MemberFactory(), description="Nothing due")

    rows = xlsx_rows(manager_client.get("/admin/involvement/?status=to_pay&export=xlsx"))

    header = list(rows[0])
    assert [row[header.index("Record")] for row in rows[1:-1]] == [waiting.pk]
    assert rows[-1][0] == "Total"

    listing = text_of(manager_client.get("/admin/involvement/?status=to_pay"))
    assert "To pay" in listing


# --- Nobody else ----------------------------------------------------------------------------


def wagtail_editor():
    """Can use the Wagtail admin (to edit pages) but is not a PPIE manager."""
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(editors)
    return editor


@pytest.mark.parametrize("who", ["member", "editor", "anonymous"])
def test_nobody_else_sees_or_pays(who):
    record = to_pay(MemberFactory(display_name="Secret Sam"))
    client = Client()
    if who == "member":
        client.force_login(record.member.user)
    elif who == "editor":
        client.force_login(wagtail_editor())

    for url in [
        "/admin/involvement/",
        "/admin/involvement/?export=xlsx",
        "/admin/involvement/?export=csv",
        f"/admin/involvement/edit/{record.pk}/",
        "/admin/rate_card/",
        mark_paid_url(record),
    ]:
        response = client.get(url)
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/login/", "/admin/")), url
            assert not response["Location"].startswith(url), url
        else:
            assert response.status_code == 403, url
        assert b"Secret Sam" not in (b"" if response.streaming else response.content), url

    response = client.post(mark_paid_url(record))
    assert response.status_code in {302, 403}
    record.refresh_from_db()
    assert record.status == InvolvementRecord.Status.TO_PAY
