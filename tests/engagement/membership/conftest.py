import pytest


@pytest.fixture
def client():
    """Joining, the kiosk and /me/ send emails once the request commits: this client sends them
    before the response comes back, as in production (see CommittingClient)."""
    from tests.clients import CommittingClient

    return CommittingClient()
