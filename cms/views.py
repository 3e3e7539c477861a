from django.shortcuts import render
from wagtail.models import Page

from .models import paginate

MAX_QUERY_LENGTH = 200
SEARCH_PAGE_SIZE = 10


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page = paginate(request, results, SEARCH_PAGE_SIZE)
    return render(request, "search/search.html", {"search_query": query, "results": page})
