"""The issue's demo case: the demo's closed consultation ("what-first") shows the same prototype
version as the open one ("which-features-matter"), and the ten demo prototype reviews were all
sent in the open one. Each review counts once, in its own consultation: the closed one's
outcome page reports no SUS, and the GRIPP2 report over both adds up to ten raters."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from engagement.models import Consultation
from feedback.models import PrototypeReview
from feedback.outcomes.findings import findings
from feedback.outcomes.models import OutcomePage
from feedback.outcomes.reports import gripp2
from tests.html import soup, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    return {
        "closed": Consultation.objects.get(slug="what-first"),
        "open": Consultation.objects.get(slug="which-features-matter"),
    }


def raters(lines: list[str]) -> int:
    """The people each SUS finding counts, added up."""
    return sum(
        int(match.group(1))
        for line in lines
        if (match := re.search(r"(\d+) (?:people|person) rated how easy", line))
    )


def test_a_consultation_with_no_reviews_reports_none(demo):
    assert demo["closed"].prototype_id == demo["open"].prototype_id
    assert not PrototypeReview.objects.filter(consultation=demo["closed"]).exists()
    page = OutcomePage.objects.get(consultation=demo["closed"])

    heard = words(soup(Client().get(page.url)).find(id="heard-heading").parent)

    assert "rated how easy" not in heard
    assert "out of 100" not in heard
    assert raters(findings(demo["closed"])) == 0


def test_the_gripp2_results_add_up_to_the_reviews_sent(demo):
    sent = PrototypeReview.objects.filter(submitted_at__isnull=False).count()
    assert sent == 10

    report = gripp2([demo["closed"], demo["open"]])
    results = next(s for s in report["sections"] if s["number"] == 3)["lines"]

    assert raters(results) == sent
    assert raters(findings(demo["open"])) == sent
    sus = [line for line in results if "rated how easy" in line]
    assert len(sus) == 1 and sus[0].startswith("Which app features matter most to you? – 10 people")
