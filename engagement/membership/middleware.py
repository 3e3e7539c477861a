"""Fresh agreement to new wording: when a manager publishes a new version of a consent text, a
member who agreed to an earlier one is sent, the next time they open one of their pages or a
consultation, to /me/agreements/new/ to agree or decline. Their data, leaving and taking an
agreement back stay reachable; form posts are never interrupted (answers are not lost)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from cms import page_cache
from engagement.membership import selectors
from engagement.membership.models import Member

CHECKED_PREFIXES = ("/me/", "/consultations/")
ALWAYS_OPEN = (
    "/me/agreements/new/",
    "/me/data/",
    "/me/withdraw/",
    "/me/withdrawn/",
    "/me/preferences/withdraw/",
)


class NewAgreementsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_ask(request):
            url = reverse("engagement:new_agreements")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_ask(self, request) -> bool:
        path = request.path_info
        if request.method not in ("GET", "HEAD") or not path.startswith(CHECKED_PREFIXES):
            return False
        if path.startswith(ALWAYS_OPEN) or not request.user.is_authenticated:
            return False
        # Kept for the person as their pages are (cms/page_cache.py): until anything is written
        # or a new wording comes into force, so a page kept for them is answered without
        # looking them up.
        return page_cache.for_person(request, "agree-again", lambda: self._outdated(request))

    def _outdated(self, request) -> bool:
        member = selectors.member_for(request.user)
        if member is None or member.status not in (Member.Status.ACTIVE, Member.Status.PAUSED):
            return False
        page_cache.changes_at(request, member.next_wording_at)
        return selectors.has_outdated_agreements(member)
