"""Signals for closing the loop: publishing an outcome page tells the participants."""

from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import OutcomePage


@receiver(page_published, sender=OutcomePage)
def notify_on_outcome_published(sender, instance, **kwargs):
    """Publishing a "you said, we did" page tells everyone who took part (once each)."""
    services.notify_outcome(page=instance.specific)
