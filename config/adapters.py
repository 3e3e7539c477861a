from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Members join through /join/ (engagement), which records their consent; allauth's
        # bare sign-up form would create accounts without it.
        return False

    def send_mail(self, template_prefix, email, context):
        """Render with allauth's templates, send through a background task."""
        from engagement.common.tasks import enqueue_message

        context = {**context, "email": email}
        enqueue_message(self.render_mail(template_prefix, email, context))

    def add_message(self, request, *args, **kwargs):
        # Kiosk requests keep nothing in the browser, not even a flash message.
        if getattr(request, "kiosk", False):
            return
        super().add_message(request, *args, **kwargs)

    def get_email_verification_redirect_url(self, email_address):
        return "/me/"
