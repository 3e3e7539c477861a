"""The PPIE manager's analysis of prototype reviews in the Wagtail admin: every version's reviews,
the SUS with its confidence interval, per-screen ease and a comparison of versions; and nobody
else gets in."""

import re

import pytest
from bs4 import BeautifulSoup
from django.template.defaultfilters import floatformat
from django.test import Client

from engagement.models import ConsentPurpose, Role
from feedback.prototypes import selectors
from feedback.prototypes import services as prototypes_services
from tests.factories.feedback import (
    add_screens,
    give_consent,
    prototype_consultation,
    second_prototype,
    sus_dict,
)
from tests.factories.membership import ManagerFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client():
    client = Client()
    client.force_login(ManagerFactory())
    return client


def html(response) -> str:
    return response.content.decode()


def row(label: str, count: int, pct: int) -> str:
    return f"<tr><td>{label}</td><td>{count}</td><td>{pct}%</td></tr>"


@pytest.fixture
def prototypes(site_tree):
    """v0.3 with four screens reviewed by four people (SUS 80, 75, 100, 50); v0.4 reviewed by
    two (SUS 90 and 95); one v0.3 review saved but not sent."""
    v3 = site_tree["prototype"]
    screens = add_screens(v3)
    consultation = prototype_consultation(v3)
    v3_answers = [
        ([4, 2, 5, 1, 3, 2, 4, 3, 5, 1], Role.PATIENT, 4, "Big clear buttons"),  # 80
        ([4, 2] * 5, Role.CARER, 3, ""),  # 75
        ([5, 1] * 5, Role.PATIENT, 5, "Loved it"),  # 100
        ([3] * 10, Role.CLINICIAN, 2, "Too much text"),  # 50
    ]
    people = []
    for sus, role, ease, comment in v3_answers:
        person = MemberFactory(role=role)
        people.append(person)
        prototypes_services.save_prototype_review(
            member=person,
            consultation=consultation,
            screens={screens[0].pk: {"ease": ease, "comment": comment}, screens[1].pk: {"ease": 4}},
            sus=sus_dict(sus),
            submit=True,
        )
    give_consent(people[0], ConsentPurpose.QUOTE)
    prototypes_services.save_prototype_review(
        member=MemberFactory(),
        consultation=consultation,
        screens={},
        sus={1: 5},
        submit=False,
    )
    v4 = second_prototype(site_tree)
    later = prototype_consultation(v4)
    for sus in ([5, 1, 5, 1, 5, 1, 5, 1, 3, 1], [5, 1, 5, 1, 5, 1, 5, 1, 4, 1]):  # 95, 97.5
        prototypes_services.save_prototype_review(
            member=MemberFactory(), consultation=later, screens={}, sus=sus_dict(sus), submit=True
        )
    return {"v3": v3, "v4": v4, "screens": screens}


def one_decimal(value: float) -> str:
    """As the page shows it (Django's floatformat rounds halves up: 96.25 → 96.3)."""
    return floatformat(value, 1)


def test_prototype_analysis_shows_mean_sus_and_its_95_ci(manager_client, prototypes):
    reference = selectors.mean_ci([80, 75, 100, 50])

    page = html(manager_client.get(f"/admin/prototype_reviews/{prototypes['v3'].pk}/"))

    assert reference["mean"] == 76.25
    expected = (
        f"<td>4</td><td>{one_decimal(reference['mean'])}</td>"
        # SUS lives on 0–100, and so does the interval shown
        f"<td>{one_decimal(max(reference['low'], 0))} – "
        f"{one_decimal(min(reference['high'], 100))}</td>"
        "<td>Not clear: the interval includes 68</td>"
    )
    assert expected in page
    assert "<td>76.3</td>" in page  # 76.25 shown to one decimal


def test_prototype_analysis_has_the_distribution_table(manager_client, prototypes):
    page = html(manager_client.get(f"/admin/prototype_reviews/{prototypes['v3'].pk}/"))

    table = page[page.index("Reviews per SUS band") :]
    assert "<tr><td>50–60</td><td>1</td></tr>" in table
    assert "<tr><td>70–80</td><td>1</td></tr>" in table
    assert "<tr><td>80–90</td><td>1</td></tr>" in table
    assert "<tr><td>90–100</td><td>1</td></tr>" in table
    assert "<tr><td>0–10</td><td>0</td></tr>" in table
    assert 'id="sus-chart"' in page


def test_prototype_analysis_shows_mean_ease_and_comments_per_screen(manager_client, prototypes):
    page = html(manager_client.get(f"/admin/prototype_reviews/{prototypes['v3'].pk}/"))

    by_screen = {
        re.search(r"<h3>([^<]+)</h3>", s).group(1): s
        for s in page.split('<section class="ppie-item">')[1:]
    }
    home = by_screen["Home screen"]
    assert "4 ratings, mean ease 3.5 out of 5" in home  # (4 + 3 + 5 + 2) / 4
    assert "Big clear buttons <em>(may be quoted)</em>" in home
    assert "Loved it</li>" in home and "Too much text</li>" in home
    assert "4 ratings, mean ease 4.0 out of 5" in by_screen["Sign in"]
    assert "0 ratings, mean ease – out of 5" in by_screen["My diary"]


def test_prototype_analysis_compares_two_versions(manager_client, prototypes):
    v3, v4 = prototypes["v3"], prototypes["v4"]
    other = selectors.mean_ci([95, 97.5])

    page = html(manager_client.get(f"/admin/prototype_reviews/{v3.pk}/?compare={v4.pk}"))

    assert f"<td>PRO-CAR-T app v0.4</td><td>2</td><td>{one_decimal(other['mean'])}</td>" in page
    assert f"{one_decimal(max(other['low'], 0))} – {one_decimal(min(other['high'], 100))}" in page
    assert f'<option value="{v4.pk}" selected>' in page
    assert "<td>Above 68</td>" in page  # 95 and 97.5: the interval is wide but above 68
    assert "<td>PRO-CAR-T app v0.3</td><td>4</td>" in page


def test_prototype_analysis_filtered_by_group(manager_client, prototypes):
    url = f"/admin/prototype_reviews/{prototypes['v3'].pk}/?group=patients"
    page = html(manager_client.get(url))

    reference = selectors.mean_ci([80, 100])
    assert f"<td>2</td><td>{one_decimal(reference['mean'])}</td>" in page
    assert "Too much text" not in page


def test_prototype_list_shows_reviews_sent_and_mean(manager_client, prototypes):
    soup = BeautifulSoup(manager_client.get("/admin/prototype_reviews/").content, "html.parser")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in soup.select("table tbody tr")
    ]

    assert [row[1:] for row in rows if "v0.3" in row] == [["v0.3", "4", "76.3"]]
    assert [row[1:] for row in rows if "v0.4" in row] == [["v0.4", "2", "96.3"]]
