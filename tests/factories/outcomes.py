"""Builders for the "close the loop" tests: the "You said, we did" index, outcome pages with
their changes, a rate card, and members who took part in a consultation in each possible way.

Members, managers and consultations come from tests/engagement/, questionnaires and prototype
reviews from tests/feedback/, the page tree from tests/cms/factories.py (build_site)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from engagement.consultations import services
from engagement.models import ActivityType, RateCard
from feedback.outcomes.models import OutcomeChange, OutcomeIndexPage, OutcomePage

OUTCOME_INDEX_TITLE = "You said, we did"


def outcome_index(home) -> OutcomeIndexPage:
    """The one "You said, we did" page under the home page (created when missing)."""
    index = OutcomeIndexPage.objects.child_of(home).first()
    if index is None:
        index = OutcomeIndexPage(
            title=OUTCOME_INDEX_TITLE,
            slug="you-said-we-did",
            intro="What we changed in the app because of what you told us.",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def outcome_page(
    index: OutcomeIndexPage,
    consultation,
    *,
    changes: list[dict] = (),
    publish: bool = True,
    title: str = "What we changed in the app",
    slug: str | None = None,
    **fields,
) -> OutcomePage:
    """An outcome page with `changes` ({"title", "description", "app_version", "features",
    "items", "screens", "quote"}), saved as a draft and then, unless publish=False, published
    the way the page editor does it (which is what sends the emails)."""
    page = OutcomePage(
        title=title,
        slug=slug or f"outcome-{consultation.slug}",
        consultation=consultation,
        summary=fields.pop("summary", "You told us what matters most. Here is what we changed."),
        what_we_asked=fields.pop("what_we_asked", "<p>We asked you to vote on features.</p>"),
        reflections=fields.pop("reflections", ""),
        live=False,
        **fields,
    )
    index.add_child(instance=page)
    for order, spec in enumerate(changes):
        change = OutcomeChange.objects.create(
            page=page,
            title=spec["title"],
            description=spec.get("description", ""),
            app_version=spec.get("app_version"),
            quote=spec.get("quote", ""),
            sort_order=order,
        )
        change.features.set(spec.get("features", []))
        change.items.set(spec.get("items", []))
        change.screens.set(spec.get("screens", []))
        change.save()
    page = OutcomePage.objects.get(pk=page.pk)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return OutcomePage.objects.get(pk=page.pk)


def publish_again(page: OutcomePage) -> None:
    """A manager edits the page and publishes it once more."""
    page = OutcomePage.objects.get(pk=page.pk)
    page.summary += " Updated."
    page.save_revision().publish()


def rate(
    activity_type: str = ActivityType.VOTING,
    *,
    amount: str = "25.00",
    basis: str = RateCard.Basis.HOURLY,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> RateCard:
    """A rate card entry, checked as the admin form would (clean() refuses overlaps)."""
    card = RateCard(
        activity_type=activity_type,
        basis=basis,
        amount=Decimal(amount),
        valid_from=valid_from or timezone.localdate() - datetime.timedelta(days=365),
        valid_until=valid_until,
    )
    card.full_clean()
    card.save()
    return card


def vote_for(member, consultation, *features, value: int = 1) -> None:
    """The member votes through the service, as the vote form does."""
    services.cast_votes(
        member=member, consultation=consultation, values={f.pk: value for f in features}
    )


def answer(member, poll, choice_text: str) -> None:
    choice = poll.choices.get(text=choice_text)
    services.answer_poll(member=member, poll=poll, choice_ids=[choice.pk])
