"""Signals for closing the loop: publishing an outcome page tells the participants and marks
its consultation's outcome as published; unpublishing it undoes the mark when no other
outcome page of that consultation is live."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from engagement.consultations.services import mark_outcome_published

from . import services
from .models import OutcomePage


@receiver(page_published, sender=OutcomePage)
def notify_on_outcome_published(sender, instance, **kwargs):
    """Publishing a "you said, we did" page tells everyone who took part (once each)."""
    page = instance.specific
    mark_outcome_published(consultation=page.consultation)
    services.notify_outcome(page=page)


@receiver(page_unpublished, sender=OutcomePage)
def outcome_unpublished(sender, instance, **kwargs):
    page = instance.specific
    if not OutcomePage.objects.live().filter(consultation=page.consultation_id).exists():
        mark_outcome_published(consultation=page.consultation, published=False)
