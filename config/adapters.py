from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook point for the project's account rules (sign-up lives at /join/, see engagement)."""

    def is_open_for_signup(self, request):
        # Members join through /join/ (engagement), which records consent; allauth's bare
        # sign-up form would create accounts without it.
        return False
