"""What the outcome browser tests (tests/browser/test_outcome_*.py) need on top of the shared
live site: people signed in
by copying a Django test-client session cookie into a Playwright context, and a consultation
with one member who took part and one who did not."""

from __future__ import annotations

from tests.browser.helpers import assert_accessible, sign_in  # noqa: F401  (re-exported)

PARTICIPANT_EMAIL = "vera@example.org"
BYSTANDER_EMAIL = "nadia@example.org"
CONSULTATION_TITLE = "Which app features matter?"
FEATURES = ["Symptom diary", "Contact my care team", "Medicine reminders"]


def set_up_consultation(tree) -> dict:
    """A closed consultation on three features of the prototype: Vera voted for two, Nadia
    (an active member too) did not take part; the "You said, we did" index; a manager."""
    import datetime

    from django.utils import timezone

    from engagement.models import Consultation
    from tests.factories.consultations import ConsultationFactory, FeatureFactory
    from tests.factories.membership import ManagerFactory, MemberFactory
    from tests.factories.outcomes import outcome_index, vote_for

    consultation = ConsultationFactory(
        title=CONSULTATION_TITLE, slug="app-features", prototype=tree["prototype"]
    )
    features = [
        FeatureFactory(consultation=consultation, title=title, sort_order=order)
        for order, title in enumerate(FEATURES)
    ]
    vera = MemberFactory(
        display_name="Vera", user__email=PARTICIPANT_EMAIL, role="patient", verified_email=True
    )
    nadia = MemberFactory(display_name="Nadia", user__email=BYSTANDER_EMAIL, verified_email=True)
    vote_for(vera, consultation, features[0], features[1])
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=20),
        closes_at=timezone.now() - datetime.timedelta(days=2),
    )
    return {
        "consultation": consultation,
        "features": features,
        "vera": vera,
        "nadia": nadia,
        "manager": ManagerFactory(),
        "index": outcome_index(tree["home"]),
    }


def check_public_page(page) -> None:
    """axe on one of our public pages (never on Wagtail's admin, whose own issues are
    Wagtail's to fix)."""
    assert "/admin/" not in page.url
    assert_accessible(page)
