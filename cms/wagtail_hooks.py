from django.db.models.signals import post_delete, post_save
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache
from .models import SiteSettings

hooks.register("before_serve_page", page_cache.mark_cacheable)

# Any change to what visitors see starts a new page-cache version.
page_published.connect(page_cache.invalidate, dispatch_uid="page_cache_published")
page_unpublished.connect(page_cache.invalidate, dispatch_uid="page_cache_unpublished")
post_page_move.connect(page_cache.invalidate, dispatch_uid="page_cache_moved")
post_delete.connect(page_cache.invalidate, sender=Page, dispatch_uid="page_cache_deleted")
post_save.connect(page_cache.invalidate, sender=SiteSettings, dispatch_uid="page_cache_settings")
# A site's host name or root page: which chrome (cms/chrome.py) and pages a host gets.
post_save.connect(page_cache.invalidate, sender=Site, dispatch_uid="page_cache_site")
post_delete.connect(page_cache.invalidate, sender=Site, dispatch_uid="page_cache_site_deleted")
post_save.connect(page_cache.invalidate, sender=PageViewRestriction, dispatch_uid="page_cache_vr")
post_delete.connect(
    page_cache.invalidate, sender=PageViewRestriction, dispatch_uid="page_cache_vr_deleted"
)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
