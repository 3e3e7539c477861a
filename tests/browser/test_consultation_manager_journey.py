"""A PPIE manager runs a consultation from nothing to its outcome without leaving the Wagtail
admin: creates it with two features and a quick question, adds a questionnaire from its
overview, opens it, previews and sends the invitations, sees a member answer, reminds the one
who has not, closes it early, downloads the totals and publishes the "you said, we did" page.
One member takes part in their own browser in between.

axe runs on every admin page the project adds (the overview, the invitation preview, the
closing confirmation, the results) and on the member's pages; Wagtail's own forms (the
consultation, questionnaire and page editors) are Wagtail's."""

import datetime
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.feedback_support import manager_user, member
from tests.browser.helpers import assert_accessible, screenshot, sign_in

TITLE = "Alerts in the app"
FEATURES = ["Reminder to take your temperature", "Alert when to call the team"]
QUESTION = "Which device would you use the app on?"
ANSWERS = ["Phone", "Tablet"]
QUESTIONNAIRE = "Side effects after CAR-T"
# Wagtail's editors are heavy (many scripts and styles): on a busy machine they take longer
# than the public pages' fail-fast timeout to load and save.
ADMIN_TIMEOUT_MS = 30_000


@pytest.fixture
def people(live_site):
    """The manager; Ann and Ben (active members who want email); a rate card for voting and
    quick questions; the "You said, we did" index."""
    from engagement.models import ActivityType, RateCard
    from tests.factories.outcomes import outcome_index

    for activity in (ActivityType.VOTING, ActivityType.POLL):
        RateCard.objects.create(
            activity_type=activity,
            amount=Decimal("27.00"),
            valid_from=timezone.localdate() - datetime.timedelta(days=30),
        )
    return {
        "manager": manager_user(),
        "ann": member(display_name="Ann", user__email="ann@example.org", verified_email=True),
        "ben": member(display_name="Ben", user__email="ben@example.org", verified_email=True),
        "index": outcome_index(live_site["home"]),
    }


@pytest.fixture
def member_page(browser, browser_context_args):
    """The member's own browser: a separate context, with its own cookies."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def overview_section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def create_the_consultation(page, base: str) -> None:
    page.goto(f"{base}/admin/consultations/new/", timeout=ADMIN_TIMEOUT_MS)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_slug").fill("alerts")
    page.locator("#id_summary").fill("Which alerts should the app give you after treatment?")

    open_tab(page, "When and who")
    now = timezone.localtime()
    page.locator("#id_opens_at").fill(
        (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    )
    page.locator("#id_closes_at").fill(
        (now + datetime.timedelta(days=14)).strftime("%Y-%m-%d %H:%M")
    )
    page.locator("#id_audience").select_option(label="Invited members only")

    open_tab(page, "Voting")
    for number, feature in enumerate(FEATURES):
        page.locator("#id_features-ADD").click()
        page.locator(f"#id_features-{number}-title").fill(feature)

    open_tab(page, "Quick questions")
    page.locator("#id_polls-ADD").click()
    page.locator("#id_polls-0-question").fill(QUESTION)
    for number, answer in enumerate(ANSWERS):
        page.locator("#id_polls-0-choices-ADD").click()
        page.locator(f"#id_polls-0-choices-{number}-text").fill(answer)

    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(TITLE, timeout=ADMIN_TIMEOUT_MS)


def add_the_questionnaire(page) -> None:
    """From the overview: the questionnaire form has the consultation chosen already."""
    overview = page.url
    page.get_by_role("link", name="Add a questionnaire to this consultation").click()
    page.wait_for_url(re.compile(r"/admin/questionnaires/new/"), timeout=ADMIN_TIMEOUT_MS)
    expect(page.locator("#id_consultation option:checked")).to_have_text(TITLE)
    page.locator("#id_title").fill(QUESTIONNAIRE)
    page.locator("#id_items-ADD").click()
    page.locator("#id_items-0-text").fill("In the past 7 days, how tired have you felt?")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(QUESTIONNAIRE, timeout=ADMIN_TIMEOUT_MS)
    page.goto(overview, timeout=ADMIN_TIMEOUT_MS)


def test_a_manager_runs_a_consultation_from_nothing_to_its_outcome_in_the_admin(
    page, member_page, live_site, people, tmp_path
):
    from engagement.models import Consultation, Invitation, Vote
    from feedback.outcomes.models import OutcomePage

    base = live_site["url"]
    sign_in(page.context, people["manager"], base)
    page.set_default_timeout(ADMIN_TIMEOUT_MS)

    # 1. From nothing: the consultation, its features and its quick question.
    create_the_consultation(page, base)
    consultation = Consultation.objects.get(slug="alerts")
    assert [f.title for f in consultation.features.order_by("sort_order")] == FEATURES
    assert [c.text for c in consultation.polls.get().choices.order_by("sort_order")] == ANSWERS

    # 2. Its one place: the overview, from the listing, says it is a draft nobody can see.
    page.goto(f"{base}/admin/consultations/", timeout=ADMIN_TIMEOUT_MS)
    page.locator("td.title .title-wrapper").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{base}/admin/consultations/inspect/{consultation.pk}/")
    expect(page.locator(".ppie-status")).to_contain_text("Draft Members cannot see it yet.")
    asked = overview_section(page, "What members are asked")
    expect(asked).to_contain_text("2 features to vote on: " + "; ".join(FEATURES))
    expect(asked).to_contain_text(f"1 quick question: “{QUESTION}” (2 answers)")
    assert_accessible(page)
    screenshot(page, "manager-journey-overview-draft", phone_too=True)

    add_the_questionnaire(page)
    expect(overview_section(page, "Questionnaires and the prototype")).to_contain_text(
        f"{QUESTIONNAIRE} (v1) (1 question)"
    )

    # 3. Open it now.
    page.get_by_role("button", name="Open it now").click()
    expect(page.locator(".messages")).to_contain_text("It is open: members can take part until")
    expect(page.locator(".ppie-status")).to_contain_text("Open")
    assert_accessible(page)

    # 4. Invite: the email is shown before anything is sent.
    mail.outbox.clear()
    who = overview_section(page, "Who takes part")
    who.get_by_label("Invite every active member").check()
    who.get_by_role("button", name="Preview the invitation").click()
    expect(page.get_by_role("heading", name="Check the invitation before it goes")).to_be_visible()
    preview = page.locator(".ppie-email-preview")
    expect(preview).to_contain_text(f"You are invited: {TITLE}")
    expect(preview).to_contain_text("Vote on 2 app features (about 10 minutes)")
    expect(preview).to_contain_text(f"Check the 1 question of “{QUESTIONNAIRE}” (about 30 minutes)")
    expect(preview).to_contain_text("About 42 minutes in all.")
    # £27 an hour for voting (10 minutes) and the quick question (2); none for questionnaires.
    expect(preview).to_contain_text("We offer £5.40 for your time.")
    expect(preview).to_contain_text("It is open until")
    assert mail.outbox == [] and not Invitation.objects.exists()
    assert_accessible(page)
    screenshot(page, "manager-journey-invitation-preview", phone_too=True)
    page.get_by_role("button", name="Invite 2 members").click()
    expect(page.locator(".messages")).to_contain_text("2 members invited: 2 by email")
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "ben@example.org"]
    expect(overview_section(page, "Who takes part")).to_contain_text("2 invited, 0 of them")

    # 5. Ann takes part, in her own browser, from the link in her email.
    (ann_email,) = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    path = re.search(r"https?://[^/\s]+(/consultations/alerts/)", ann_email.body).group(1)
    sign_in(member_page.context, people["ann"].user, base)
    member_page.goto(base + path)
    expect(member_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    feature = member_page.locator("li.feature").filter(
        has=member_page.get_by_role("heading", name=FEATURES[1])
    )
    feature.get_by_label("I support this").check()
    member_page.get_by_role("button", name="Save my votes").click()
    expect(member_page.get_by_text("Your votes are saved")).to_be_visible()
    assert_accessible(member_page)
    assert Vote.objects.filter(member=people["ann"]).count() == 1

    # 6. Remind the rest: only Ben, and only once.
    page.reload()
    expect(overview_section(page, "Who takes part")).to_contain_text("2 invited, 1 of them")
    reminders = overview_section(page, "Reminders")
    expect(reminders).to_contain_text("1 member has not answered and can be reminded by email: Ben")
    mail.outbox.clear()
    reminders.get_by_role("button", name="Email the reminders now").click()
    expect(page.locator(".messages")).to_contain_text("1 reminder emailed.")
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]
    overview_section(page, "Reminders").get_by_role(
        "button", name="Email the reminders now"
    ).click()
    expect(page.locator(".messages")).to_contain_text(
        "Nobody was emailed: everyone invited has answered or been reminded once."
    )
    assert len(mail.outbox) == 1

    # 7. Close it early, after saying yes.
    page.get_by_role("link", name="Close it early…").click()
    expect(page.get_by_role("heading", name=f"Close “{TITLE}” now?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, close it now").click()
    expect(page.locator(".ppie-status")).to_contain_text("Closed")
    consultation.refresh_from_db()
    assert consultation.status() == Consultation.Status.CLOSED

    # 8. The results, and the totals downloaded.
    results = overview_section(page, "Results and downloads")
    results.get_by_role("link", name="Results", exact=True).click()
    votes = page.get_by_role("table", name="Supports for each feature")
    expect(votes.get_by_role("row").nth(1)).to_contain_text(FEATURES[1])  # first, with 1 vote
    assert_accessible(page)
    screenshot(page, "manager-journey-results", phone_too=True)
    page.go_back()
    with page.expect_download() as download:
        overview_section(page, "Results and downloads").get_by_role("link", name="XLSX").click()
    saved = tmp_path / "totals.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert any(TITLE in cell for cell in cells[:3])  # the title row names the consultation
    assert FEATURES[1] in cells and FEATURES[0] in cells

    # 9. The outcome: written and published from the overview's link.
    overview_section(page, "You said, we did").get_by_role(
        "link", name="Write its outcome page"
    ).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/feedback/outcomepage/"))
    page.locator("#id_title").fill("Alerts: what we changed")
    page.locator("#id_consultation").select_option(label=TITLE)
    page.locator("#id_summary").fill("You chose the alert for when to call the team.")
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "Page 'Alerts: what we changed' created and published."
    )
    outcome = OutcomePage.objects.get(consultation=consultation)
    assert outcome.live
    page.goto(f"{base}/admin/consultations/inspect/{consultation.pk}/")
    expect(page.locator(".ppie-status")).to_contain_text("Outcome published")
    expect(overview_section(page, "You said, we did")).to_contain_text(
        "Its outcome page is published: Alerts: what we changed"
    )
    assert_accessible(page)
    screenshot(page, "manager-journey-overview-outcome", phone_too=True)
    assert "/admin/" in page.url  # never left the admin


def test_every_other_admin_page_the_project_adds_is_accessible(page, live_site, people):
    """The pages the journey above does not reach, each with something on it: a closed
    consultation with a vote (reopen, anonymised votes, entering votes for a member), the admin
    home's dashboard, the payments log, a payment to mark paid, the yearly totals, a campaign's
    QR poster, the GRIPP2 report, the rate card."""
    from django.urls import reverse

    from engagement.models import Consultation
    from tests.factories.consultations import ConsultationFactory
    from tests.factories.involvement import make_record
    from tests.factories.membership import CampaignFactory
    from tests.factories.outcomes import vote_for

    closed = ConsultationFactory(title=TITLE, features=2)
    vote_for(people["ann"], closed, closed.features.first())
    Consultation.objects.filter(pk=closed.pk).update(
        closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    record = make_record(people["ann"], payment_choice="full", status="to_pay")
    campaign = CampaignFactory(label="Regional CAR-T day")
    base = live_site["url"]
    sign_in(page.context, people["manager"], base)
    page.set_default_timeout(ADMIN_TIMEOUT_MS)

    pages = {
        "/admin/": "PPIE dashboard",
        reverse("consultations:inspect", args=[closed.pk]): "Reopen it…",
        reverse("consultations:reopen", args=[closed.pk]): "Open until",
        reverse("consultations:votes", args=[closed.pk]): "Anonymised votes",
        reverse("consultations:assisted", args=[closed.pk]): TITLE,
        reverse("involvement:index"): "Ann",
        reverse("involvement:mark_paid", args=[record.pk]): "Ann",
        reverse("involvement:yearly"): "Ann",
        reverse("rate_card:index"): "Rate card",
        reverse("campaigns:poster", args=[campaign.pk]): f"/join/{campaign.code}/",
        reverse("gripp2:index"): "GRIPP2",
    }
    for path, text in pages.items():
        page.goto(base + path, timeout=ADMIN_TIMEOUT_MS)
        expect(page.locator("main")).to_contain_text(text)
        assert_accessible(page)
        screenshot(page, "admin" + path.replace("/", "-").rstrip("-"), phone_too=True)
