from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"
    verbose_name = _("Site content")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .page_cache import watch_writes
        from .roles import apply_roles_after_migrate

        post_migrate.connect(apply_roles_after_migrate, sender=self, dispatch_uid="cms_roles")
        # Personal pages are kept until the next write to the database (cms/page_cache.py).
        connection_created.connect(watch_writes, dispatch_uid="page_cache_writes")
