"""The PPIE manager's analysis of prototype reviews in the Wagtail admin: every version's reviews,
the SUS with its confidence interval, per-screen ease and a comparison of versions; and nobody
else gets in."""

import pytest
from django.template.defaultfilters import floatformat

from feedback.prototypes import selectors
from tests.html import soup, table_rows, words

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def row(label: str, count: int, pct: int) -> str:
    return f"<tr><td>{label}</td><td>{count}</td><td>{pct}%</td></tr>"


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

    table = soup(page).find("caption", string="Reviews per SUS band").find_parent("table")
    bands = dict(table_rows(table)[1:])  # after the heading row
    assert bands["50–60"] == bands["70–80"] == bands["80–90"] == bands["90–100"] == "1"
    assert bands["0–10"] == "0"
    assert soup(page).find(id="sus-chart") is not None


def test_prototype_analysis_shows_mean_ease_and_comments_per_screen(manager_client, prototypes):
    page = html(manager_client.get(f"/admin/prototype_reviews/{prototypes['v3'].pk}/"))

    by_screen = {words(s.h3): s for s in soup(page).select("section.ppie-item")}
    home = by_screen["Home screen"]
    assert "4 ratings, mean ease 3.5 out of 5" in words(home)  # (4 + 3 + 5 + 2) / 4
    comments = {words(li): li for li in home.find_all("li")}
    assert set(comments) == {"Big clear buttons (may be quoted)", "Loved it", "Too much text"}
    assert words(comments["Big clear buttons (may be quoted)"].em) == "(may be quoted)"
    assert comments["Loved it"].em is None  # not agreed to be quoted
    assert "4 ratings, mean ease 4.0 out of 5" in words(by_screen["Sign in"])
    assert "0 ratings, mean ease – out of 5" in words(by_screen["My diary"])


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
    listing = soup(manager_client.get("/admin/prototype_reviews/"))
    rows = [
        [words(cell) for cell in row.find_all("td")] for row in listing.select("table tbody tr")
    ]

    assert [row[1:] for row in rows if "v0.3" in row] == [["v0.3", "4", "76.3"]]
    assert [row[1:] for row in rows if "v0.4" in row] == [["v0.4", "2", "96.3"]]


def test_from_a_consultation_the_analysis_shows_only_its_reviews(manager_client, prototypes):
    """The v0.3 reviews were sent in one consultation (80, 75, 100, 50: mean 76.25); a second
    consultation showing v0.3 has two reviews of its own (100 and 50: mean 75). Each review is
    counted in its own consultation, and the version's page without one has all six."""
    from feedback.models import PrototypeReview
    from tests.factories.feedback import bulk_prototype_reviews, prototype_consultation

    v3 = prototypes["v3"]
    first = PrototypeReview.objects.filter(prototype=v3).first().consultation
    second = prototype_consultation(v3, slug="second-look")
    bulk_prototype_reviews(v3, 2, scores=[[5, 1] * 5, [3] * 10], consultation=second)
    url = f"/admin/prototype_reviews/{v3.pk}/"

    def sus_row(query: str) -> list[str]:
        page = soup(manager_client.get(url + query))
        return table_rows(page.find("caption", string=lambda s: s and "SUS scores" in s).parent)[1]

    assert sus_row(f"?consultation={second.pk}")[1:3] == ["2", "75.0"]
    assert sus_row(f"?consultation={first.pk}")[1:3] == ["4", "76.3"]
    assert sus_row("")[1:3] == ["6", one_decimal((80 + 75 + 100 + 50 + 100 + 50) / 6)]
    page = words(soup(manager_client.get(url + f"?consultation={second.pk}")))
    assert "Only the reviews sent in “Try the app design”." in page
    # A consultation about another version, or a forged id, is ignored.
    other = prototype_consultation(prototypes["v4"], slug="v4-look")
    for query in (f"?consultation={other.pk}", "?consultation=99999999999999999999"):
        assert sus_row(query)[1] == "6"


def test_the_consultation_overview_links_to_its_own_reviews(manager_client, proto):
    consultation = proto["consultation"]

    page = soup(manager_client.get(f"/admin/consultations/inspect/{consultation.pk}/"))

    link = page.find("a", string="What members said about it in this consultation")
    assert link["href"] == (
        f"/admin/prototype_reviews/{proto['prototype'].pk}/?consultation={consultation.pk}"
    )
