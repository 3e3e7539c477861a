"""A test client for requests whose work finishes after the commit (emails)."""

from django.test import Client, TestCase


class CommittingClient(Client):
    """Runs each request's on-commit callbacks (the emails) before the response comes back,
    as in production, where each request commits its own transaction; pytest-django's test
    transaction would otherwise hold them back until the end of the test."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)
