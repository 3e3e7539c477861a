"""Background jobs. With the immediate backend (default) they run at once; in production with
TASKS_BACKEND=database, `manage.py db_worker` runs them."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html: str | None = None,
    attachments: list[dict] | None = None,
) -> None:
    """Send one email. `attachments`: [{"filename", "content" (text), "mimetype"}], plain data
    so that the database backend can queue it."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments or []:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    message.send()


def enqueue_message(message) -> None:
    """Queue a rendered EmailMessage/EmailMultiAlternatives for sending."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    send_email.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        from_email=str(message.from_email),
        to=[str(a) for a in message.to],
        html=html,
    )


def render_templated(template_prefix: str, context: dict) -> tuple[str, str]:
    """(subject, body) of <prefix>_subject.txt and <prefix>_message.txt: what send_templated
    sends, and what a manager previews before sending."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from cms.site_url import public_base_url

    context = {"public_base_url": public_base_url(), **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}_message.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body


def send_templated(
    template_prefix: str, to: str, context: dict, *, attachments: list[dict] | None = None
) -> None:
    """Render an email (render_templated) and queue it, with any attachments (send_email)."""
    from django.conf import settings

    subject, body = render_templated(template_prefix, context)
    send_email.enqueue(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        attachments=attachments,
    )
