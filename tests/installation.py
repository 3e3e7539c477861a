"""What a fresh installation has, put back after a transactional test flushed it."""


def restore_fresh_installation() -> None:
    """A transactional test (the live server's, or one with several server processes) has its
    database flushed afterwards, taking what a fresh installation has: the root page, root
    collection and locale that Wagtail's migrations made, the roles (cms.roles) and the first
    consent texts and interests (engagement.membership.initial_content). Put back the way a
    fresh installation gets them."""
    from django.apps import apps
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Collection, Locale, Page

    from cms.roles import apply_roles
    from engagement.membership.initial_content import create_initial_content

    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    apply_roles()
    create_initial_content(apps)
