from csp.middleware import CSPMiddleware, PolicyParts


class SiteCSPMiddleware(CSPMiddleware):
    """The public site's strict policy (no inline script or style) everywhere members and
    visitors go. The Wagtail admin, used only by signed-in PPIE managers, also needs inline
    scripts and styles (Wagtail 8 starts InlinePanel, choosers and date pickers with inline
    <script>) and blob: image previews."""

    ADMIN_EXTRA = {
        "script-src": ["'unsafe-inline'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["blob:"],
    }

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/") and parts.update is None:
            parts.update = self.ADMIN_EXTRA
        return parts
