"""Signals for membership: confirming the email activates a pending member."""

from allauth.account.signals import email_confirmed
from django.contrib.auth import login
from django.dispatch import receiver

from engagement.membership.models import Member

from . import services


@receiver(email_confirmed)
def activate_on_confirmation(sender, request, email_address, **kwargs):
    """Confirming the email makes a pending member active and signs them in."""
    before = Member.objects.filter(user_id=email_address.user_id).values_list("status", flat=True)
    was_pending = list(before) == [Member.Status.PENDING]
    member = services.activate_member(user=email_address.user)
    if (
        was_pending
        and member is not None
        and request is not None
        and not request.user.is_authenticated
    ):
        login(
            request,
            email_address.user,
            backend="allauth.account.auth_backends.AuthenticationBackend",
        )
