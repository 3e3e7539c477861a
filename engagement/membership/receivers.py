"""Signals for membership: confirming the email activates a pending member; changing what
the join form shows starts a new page-cache version."""

from allauth.account.signals import email_confirmed
from django.contrib.auth import login
from django.dispatch import receiver

from cms import page_cache
from engagement.membership.models import Campaign, ConsentText, Interest, Member

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


# The join and kiosk pages are stored (cms/page_cache.form_page): a new campaign pitch, consent
# text or interest shows at once.
page_cache.invalidate_on_change(Campaign, ConsentText, Interest)
