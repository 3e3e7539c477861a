"""Factories for ideas members put forward.

IdeaFactory(member=m)                              waiting for the team
accepted_idea(member, consultation, title=...)     taken into the consultation as a feature
"""

import factory
from django.utils import timezone

from engagement.models import Feature, Idea


class IdeaFactory(factory.django.DjangoModelFactory):
    member = None  # always pass one
    kind = Idea.Kind.FEATURE
    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "It would help me on tired days."

    class Meta:
        model = Idea


def accepted_idea(member, consultation, *, title: str = "Idea taken forward", **fields) -> Idea:
    """An idea written straight to the tables as taken forward, with its feature (the service
    that does it has its own tests)."""
    idea = IdeaFactory(
        member=member, title=title, status=Idea.Status.ACCEPTED, decided_at=timezone.now(), **fields
    )
    Feature.objects.create(
        consultation=consultation, title=f"Feature: {title}", sort_order=99, idea=idea
    )
    return idea
