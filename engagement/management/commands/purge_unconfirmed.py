from django.conf import settings
from django.core.management.base import BaseCommand

from engagement.membership.services import purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete sign-ups whose email was never confirmed (default: after UNCONFIRMED_SIGNUP_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.UNCONFIRMED_SIGNUP_DAYS)

    def handle(self, *args, days, **options):
        if days < 1:
            self.stderr.write("--days must be at least 1")
            return
        count = purge_unconfirmed(older_than_days=days)
        self.stdout.write(f"Deleted {count} unconfirmed sign-up(s) older than {days} days.")
