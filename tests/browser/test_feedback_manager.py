"""A PPIE manager opens the analysis of a questionnaire in the Wagtail admin, filters it by
stakeholder group and downloads the spreadsheets; then the prototype's SUS analysis. axe checks
every page they see."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.feedback_support import manager_user, member, sign_in
from tests.browser.helpers import assert_accessible, screenshot
from tests.browser.joining import viewport_screenshot


@pytest.fixture
def reviewed(live_site):
    """Three items; four people (patient, carer, public, clinician) reviewed them all.

    "Energy": relevance 4, 4, 3, 1. "Brain fog": relevance 2 each, unclear for two, upsetting
    for one (3 flags). "Mood": relevance 3 each, no flags."""
    from engagement.models import Role
    from feedback.questionnaires import services
    from tests.factories.consultations import ConsultationFactory
    from tests.factories.feedback import QuestionnaireFactory, items_of

    questionnaire = QuestionnaireFactory(
        items=["Energy", "Brain fog", "Mood"],
        title="Recovery after CAR-T",
        consultation=ConsultationFactory(slug="recovery-questions"),
    )
    energy, fog, mood = items_of(questionnaire)
    answers = [
        (Role.PATIENT, [{"relevance": 4}, {"relevance": 2, "unclear_words": "fog"}]),
        (Role.CARER, [{"relevance": 4}, {"relevance": 2, "unclear_words": "brain"}]),
        (Role.PUBLIC, [{"relevance": 3}, {"relevance": 2, "suggested_rewording": "Muddled?"}]),
        (Role.CLINICIAN, [{"relevance": 1}, {"relevance": 2, "upsetting": "yes"}]),
    ]
    for role, (first, second) in answers:
        person = member(role=role)
        review = services.start_review(member=person, questionnaire=questionnaire)
        services.save_item_feedback(review=review, item=energy, data=first)
        services.save_item_feedback(review=review, item=fog, data=second)
        services.save_item_feedback(review=review, item=mood, data={"relevance": 3})
        services.submit_review(review=review)
    return questionnaire


def _rows(path) -> list[dict]:
    """The data rows of a downloaded export, by heading (under its title, date and filters)."""
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[4], row, strict=True)) for row in rows[5:]]


def test_manager_reads_the_analysis_and_downloads_the_spreadsheets(
    page, live_site, reviewed, tmp_path
):
    sign_in(page.context, manager_user(), live_site["url"])
    page.goto(f"{live_site['url']}/admin/questionnaires/")
    assert_accessible(page)
    page.get_by_role("link", name="Analysis and item-tracking matrix").click()

    expect(page).to_have_url(re.compile(rf"/admin/questionnaires/analysis/{reviewed.pk}/$"))
    expect(page.get_by_text("4 reviews started, 4 sent.")).to_be_visible()
    headings = page.locator(".ppie-item h2")
    expect(headings).to_have_text(["Item 2: “Brain fog”", "Item 1: “Energy”", "Item 3: “Mood”"])
    expect(page.locator(".ppie-item").first).to_contain_text(
        "4 answers · 3 flags · 0% quite or very relevant · 50% unclear · 25% upsetting"
    )
    assert_accessible(page)
    screenshot(page, "feedback-admin-analysis")  # Wagtail's admin scrolls inside the page:
    page.get_by_role("heading", name="What people wrote").first.scroll_into_view_if_needed()
    viewport_screenshot(page, "feedback-admin-analysis-texts")

    page.get_by_role("combobox", name="Stakeholder group").select_option(label="Patients")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?group=patients$"))
    expect(page.locator(".ppie-item").nth(1)).to_contain_text("1 answer · 0 flags · 100%")
    assert_accessible(page)

    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="anonymised responses (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == f"responses-{reviewed.pk}-v1.xlsx"
    download.save_as(tmp_path / "responses.xlsx")
    rows = _rows(tmp_path / "responses.xlsx")
    assert len(rows) == 4 * 3
    energy = sorted(r["Relevance"] for r in rows if r["Item"] == "Energy")
    assert energy == ["Not at all relevant", "Quite relevant", "Very relevant", "Very relevant"]
    assert {r["Stakeholder group"] for r in rows} == {
        "Patients",
        "Carers",
        "Public",
        "Professionals",
    }
    assert all(re.fullmatch(r"P-[0-9a-f]{10}", r["Participant"]) for r in rows)
    assert [r["Suggested rewording"] for r in rows if r["Suggested rewording"]] == ["Muddled?"]

    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="matrix (XLSX)").click()
    download_info.value.save_as(tmp_path / "matrix.xlsx")
    matrix = {r["Item"]: r for r in _rows(tmp_path / "matrix.xlsx")}
    assert matrix["Energy"]["Relevant pct"] == 75
    assert matrix["Brain fog"]["Unclear pct"] == 50
    assert matrix["Brain fog"]["Upsetting pct"] == 25
    assert matrix["Mood"]["Relevant pct"] == 100


def test_manager_records_decisions_and_creates_the_next_version(page, live_site, reviewed):
    from feedback.models import Questionnaire

    sign_in(page.context, manager_user(), live_site["url"])
    page.goto(f"{live_site['url']}/admin/questionnaires/analysis/{reviewed.pk}/")
    page.get_by_role("link", name="Record the decision for item 2").click()
    expect(page).to_have_url(re.compile(r"/matrix/\d+/#item-\d+$"))
    expect(page.locator(".ppie-matrix").nth(1)).to_contain_text("4 answers · 3 flags")
    for index, decision in enumerate(["Keep", "Revise", "Drop"]):  # energy, fog, mood
        page.locator(".ppie-matrix").nth(index).get_by_label("Decision").select_option(
            label=decision
        )
    page.get_by_role("button", name="Save the matrix").click()

    # Revise without new wording: nothing saved, the reason next to the field, choices kept.
    expect(
        page.get_by_text("Nothing was saved: the items marked below need a change")
    ).to_be_visible()
    fog = page.locator(".ppie-matrix").nth(1)
    expect(fog).to_contain_text(
        "Give the new wording or the new response options for a revised item"
    )
    expect(page.locator(".ppie-matrix").nth(2).get_by_label("Decision")).to_have_value("drop")
    assert_accessible(page)
    fog.get_by_label("Revised wording").fill("Hard to think?")
    page.get_by_role("button", name="Save the matrix").click()
    expect(page.get_by_text("The item-tracking matrix is saved.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "feedback-admin-matrix")

    page.get_by_role("button", name="Create the next version from these decisions").click()

    expect(page.get_by_text("Version 2 created from your decisions.")).to_be_visible()
    new = Questionnaire.objects.get(previous_version=reviewed)
    assert [i.text for i in new.items.order_by("sort_order")] == ["Energy", "Hard to think?"]


@pytest.fixture
def prototype_reviews(live_site):
    """v0.3 reviewed by four (SUS 75, 100, 50, 25), v0.4 by four as well."""
    from tests.factories.feedback import (
        add_screens,
        bulk_prototype_reviews,
        second_prototype,
    )

    add_screens(live_site["prototype"])
    bulk_prototype_reviews(live_site["prototype"], 4)
    v4 = second_prototype(live_site)
    bulk_prototype_reviews(v4, 4, scores=[[5, 1] * 5, [4, 2] * 5])
    return live_site["prototype"], v4


def test_manager_reads_the_prototype_analysis_and_compares_versions(
    page, live_site, prototype_reviews
):
    from django.template.defaultfilters import floatformat

    from feedback.prototypes.selectors import mean_ci

    v3, v4 = prototype_reviews
    sign_in(page.context, manager_user(), live_site["url"])
    page.goto(f"{live_site['url']}/admin/prototype_reviews/")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="v0.3").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/admin/prototype_reviews/{v3.pk}/$"))
    reference = mean_ci([75, 100, 50, 25])
    one = lambda value: floatformat(value, 1)  # noqa: E731 - as the page rounds
    expect(page.locator("table").first.locator("tbody tr").first.locator("td")).to_have_text(
        [
            "PRO-CAR-T app v0.3",
            "4",
            one(reference["mean"]),
            # shown within the SUS range 0–100
            f"{one(max(reference['low'], 0))} – {one(min(reference['high'], 100))}",
            "Not clear: the interval includes 68",
            # Bangor, Kortum and Miller 2009: |62.5 − 71.4| = 8.9 < |62.5 − 50.9| = 11.6
            "good (71.4)",
        ]
    )
    assert_accessible(page)
    screenshot(page, "feedback-admin-prototype")
    page.get_by_role("heading", name="Screens").scroll_into_view_if_needed()
    viewport_screenshot(page, "feedback-admin-prototype-screens")

    page.get_by_role("combobox", name="Compare with").select_option(value=str(v4.pk))
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(2)
    expect(page.locator("table").first).to_contain_text("PRO-CAR-T app v0.4")
    assert_accessible(page)
