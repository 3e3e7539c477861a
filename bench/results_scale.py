"""Results at scale: a consultation with 1,000 members × 30 features (Delphi ratings), a
questionnaire with 1,000 reviews × 30 items and a prototype version with 1,000 reviews (SUS)
× 30 screens; times the results and analysis pages rendered
through Django's full request stack (median of 10 after a warm-up) and counts their queries.

  DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=... python bench/results_scale.py
"""

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from cms.models import PrototypePage, PrototypeScreen  # noqa: E402
from cms.roles import MANAGERS_GROUP  # noqa: E402
from engagement.models import Consultation, Feature, Member, User, Vote  # noqa: E402
from feedback.models import (  # noqa: E402
    Item,
    ItemFeedback,
    PrototypeReview,
    Questionnaire,
    QuestionnaireReview,
    ScreenComment,
)
from feedback.prototypes.services import sus_score  # noqa: E402

MEMBERS, FEATURES = 1000, 30
ROLES = ["patient", "carer", "public", "clinician", "researcher"]


def build():
    now = timezone.now()
    consultation, created = Consultation.objects.get_or_create(
        slug="bench-results",
        defaults={
            "title": "Bench results",
            "summary": "Scale",
            "opens_at": now - timezone.timedelta(days=2),
            "released_at": now - timezone.timedelta(days=2),
            "closes_at": now + timezone.timedelta(days=2),
            "voting_method": Consultation.Method.DELPHI,
            "results_visibility": Consultation.Visibility.LIVE,
        },
    )
    if not created:
        return consultation, Questionnaire.objects.get(title="Bench questionnaire")
    features = Feature.objects.bulk_create(
        [
            Feature(consultation=consultation, title=f"Feature {i}", sort_order=i)
            for i in range(FEATURES)
        ]
    )
    members = Member.objects.bulk_create(
        [
            Member(
                display_name=f"M{i}",
                role=ROLES[i % len(ROLES)],
                status="active",
                channel="assisted",
            )
            for i in range(MEMBERS)
        ]
    )
    Vote.objects.bulk_create(
        [
            Vote(
                consultation=consultation,
                feature=f,
                member=m,
                kind="rating",
                value=1 + (m.pk * 7 + f.pk) % 9,
            )
            for m in members
            for f in features
        ],
        batch_size=5000,
    )
    questionnaire = Questionnaire.objects.create(
        title="Bench questionnaire", consultation=consultation
    )
    items = Item.objects.bulk_create(
        [
            Item(questionnaire=questionnaire, text=f"Item {i}?", sort_order=i)
            for i in range(FEATURES)
        ]
    )
    reviews = QuestionnaireReview.objects.bulk_create(
        [
            QuestionnaireReview(member=m, questionnaire=questionnaire, submitted_at=now)
            for m in members
        ]
    )
    ItemFeedback.objects.bulk_create(
        [
            ItemFeedback(
                review=r,
                item=it,
                relevance=1 + (r.pk + it.pk) % 4,
                upsetting="a_little" if (r.pk + it.pk) % 11 == 0 else "",
                comment="Clearer please" if (r.pk + it.pk) % 37 == 0 else "",
            )
            for r in reviews
            for it in items
        ],
        batch_size=5000,
    )
    return consultation, questionnaire


def build_prototype(members):
    """A prototype version with 30 screens and 1,000 submitted reviews: SUS answers, and an ease
    rating per screen with now and then a comment."""
    prototype = PrototypePage.objects.filter(slug="bench-prototype").first()
    if prototype:
        return prototype
    prototype = Page.objects.get(depth=2).add_child(
        instance=PrototypePage(
            title="Bench prototype", slug="bench-prototype", version_label="v1", summary="Scale"
        )
    )
    screens = PrototypeScreen.objects.bulk_create(
        [
            PrototypeScreen(page=prototype, title=f"Screen {i}", sort_order=i)
            for i in range(FEATURES)
        ]
    )
    now = timezone.now()
    reviews = []
    for m in members:
        answers = [1 + (m.pk * 3 + k) % 5 for k in range(10)]
        reviews.append(
            PrototypeReview(
                member=m,
                prototype=prototype,
                submitted_at=now,
                sus_score=sus_score(answers),
                **{f"sus_{k}": v for k, v in enumerate(answers, start=1)},
            )
        )
    reviews = PrototypeReview.objects.bulk_create(reviews)
    ScreenComment.objects.bulk_create(
        [
            ScreenComment(
                review=r,
                screen=s,
                ease=1 + (r.pk + s.pk) % 5,
                comment="Bigger buttons please" if (r.pk + s.pk) % 37 == 0 else "",
            )
            for r in reviews
            for s in screens
        ],
        batch_size=5000,
    )
    return prototype


def measure(client, path, runs=10):
    client.get(path)  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return {
        "path": path,
        "median_ms": round(statistics.median(times) * 1000),
        "max_ms": round(max(times) * 1000),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def main():
    consultation, questionnaire = build()
    prototype = build_prototype(Member.objects.filter(display_name__startswith="M"))
    manager, _ = User.objects.get_or_create(email="bench-manager@example.org")
    manager.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    rows = [
        measure(client, f"/consultations/{consultation.slug}/results/"),
        measure(client, f"/consultations/{consultation.slug}/results/?weights=equal"),
        measure(client, f"/admin/consultations/results/{consultation.pk}/"),
        measure(client, f"/admin/questionnaires/analysis/{questionnaire.pk}/"),
        measure(client, f"/admin/questionnaires/matrix/{questionnaire.pk}/"),
        measure(client, f"/admin/prototype_reviews/{prototype.pk}/"),
    ]
    print(json.dumps({"members": MEMBERS, "features_or_items": FEATURES, "pages": rows}))


if __name__ == "__main__":
    main()
