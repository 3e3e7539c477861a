from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # One sign-in for everybody: Wagtail's own login and logout go through allauth.
    re_path(r"^admin/login/$", views.admin_login),
    re_path(r"^admin/logout/$", RedirectView.as_view(pattern_name="account_logout")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # allauth's code page, with a reason given when a code has run out (config/views.py).
    path("accounts/login/code/confirm/", views.confirm_login_code),
    # Nobody has a password (sign-in is by emailed code only), so allauth's password pages
    # (change, set, reset) are not there.
    re_path(r"^accounts/password/", views.page_not_found),
    path("accounts/", include("allauth.urls")),
    path("search/", cms_views.search, name="search"),
    path("", include("engagement.urls")),
    path("", include("feedback.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # Page images (Wagtail's originals and renditions) served by Django when no separate media
    # server is set up. Only images: documents go through Wagtail's /documents/ view, which
    # applies their privacy settings, and receipts are not under MEDIA_ROOT at all.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
# allauth's answer when one of its rate limits is reached (allauth looks for it here).
handler429 = "config.views.too_many_requests"
