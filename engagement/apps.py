from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "engagement"
    verbose_name = _("Stakeholder group")

    def ready(self):
        from engagement.consultations import receivers as _consultation_receivers  # noqa: F401
        from engagement.consultations import rules  # noqa: F401  (permissions by name)
        from engagement.ideas import rules as _ideas_rules  # noqa: F401
        from engagement.membership import receivers  # noqa: F401
