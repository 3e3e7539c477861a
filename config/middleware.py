from csp.middleware import CSPMiddleware, PolicyParts


class SiteCSPMiddleware(CSPMiddleware):
    """The public site's policy everywhere; the Wagtail admin also needs inline styles and blob:
    image previews (its scripts still come only from 'self')."""

    ADMIN_EXTRA = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/") and parts.update is None:
            parts.update = self.ADMIN_EXTRA
        return parts
