from django.db.models.signals import post_delete
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.images import get_image_model
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
# The site settings; a site's host name or root page (which chrome, cms/chrome.py, and pages a
# host gets); view restrictions; an image (its renditions are on stored pages).
page_cache.invalidate_on_change(SiteSettings, Site, PageViewRestriction, get_image_model())


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
