"""The roles the whole project shares, declared once, here, and applied after every `migrate`
(and by tests and `load_demo` through `apply_roles()`): the group is made to hold exactly the
permissions listed, so this file, not the database's history, says what a PPIE manager may do.

Permissions are named by app label and model, as strings: cms imports neither engagement nor
feedback. A name that matches no permission is an error, not a silent gap.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

MANAGERS_GROUP = "PPIE managers"

FULL = ("view", "add", "change", "delete")
VIEW = ("view",)


def _model_perms(app_label: str, model: str, actions) -> list[tuple[str, str, str]]:
    return [(app_label, model, f"{action}_{model}") for action in actions]


# (app label, model, codename) of every model permission a PPIE manager holds.
MANAGER_PERMISSIONS: list[tuple[str, str, str]] = [
    ("wagtailadmin", "admin", "access_admin"),
    ("cms", "sitesettings", "change_sitesettings"),
    *_model_perms("wagtailredirects", "redirect", ("add", "change", "delete")),
    # The stakeholder group. People join themselves (which records their consent), so managers
    # never add members; consent is recorded by members, never edited by staff.
    *_model_perms("engagement", "member", ("view", "change", "delete")),
    *_model_perms("engagement", "campaign", FULL),
    *_model_perms("engagement", "consenttext", FULL),
    *_model_perms("engagement", "interest", FULL),
    *_model_perms("engagement", "consentrecord", VIEW),
    # Consultations. Votes, poll answers and invitations are written by the services only.
    *_model_perms("engagement", "consultation", FULL),
    *_model_perms("engagement", "feature", FULL),
    *_model_perms("engagement", "poll", FULL),
    *_model_perms("engagement", "pollchoice", FULL),
    *_model_perms("engagement", "vote", VIEW),
    *_model_perms("engagement", "pollanswer", VIEW),
    *_model_perms("engagement", "invitation", VIEW),
    # Ideas members put forward: managers review them (accept, join, decline); the words stay
    # the member's, so never added or deleted by staff.
    *_model_perms("engagement", "idea", ("view", "change")),
    # Involvement and payments.
    *_model_perms("engagement", "ratecard", FULL),
    *_model_perms("engagement", "involvementrecord", FULL),
    # What finance must keep after a member left: looked at, never changed (erased on time).
    *_model_perms("engagement", "financerecord", VIEW),
    # Events: managers set an event's places; people register and cancel themselves (the
    # services keep the places), so managers only view registrations and change them through
    # the workspace's actions: marking who came, cancelling for someone. Never deleted here.
    *_model_perms("engagement", "registrationsettings", ("view", "add", "change")),
    *_model_perms("engagement", "registration", ("view", "change")),
    # Feedback: managers design questionnaires and read (never edit) members' feedback.
    *_model_perms("feedback", "questionnaire", FULL),
    *_model_perms("feedback", "item", FULL),
    *_model_perms("feedback", "questionnairereview", VIEW),
    *_model_perms("feedback", "itemfeedback", VIEW),
    *_model_perms("feedback", "prototypereview", VIEW),
    *_model_perms("feedback", "screencomment", VIEW),
    *_model_perms("feedback", "outcomenotice", VIEW),
]
# Every page, from the root down.
MANAGER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Every image and document, from the root collection down.
MANAGER_COLLECTION_PERMISSIONS = [
    *_model_perms("wagtailimages", "image", ("add", "change", "choose", "delete")),
    *_model_perms("wagtaildocs", "document", ("add", "change", "choose", "delete")),
]


def _permissions(apps, names, using):
    Permission = apps.get_model("auth", "Permission")
    found = {
        (p.content_type.app_label, p.content_type.model, p.codename): p
        for p in Permission.objects.using(using)
        .select_related("content_type")
        .filter(codename__in={codename for _app, _model, codename in names})
    }
    missing = [name for name in names if name not in found]
    if missing:
        raise LookupError(f"cms.roles names permissions that do not exist: {missing}")
    return [found[name] for name in names]


def apply_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the database match the roles above (idempotent). Content types and permissions of
    every app are created first, so the order in which apps finish migrating does not matter.
    Page and collection permissions need Wagtail's root page and collection: where there are
    none yet (an emptied test database), they are given the next time this runs."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using, apps=apps)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.using(using).get_or_create(name=MANAGERS_GROUP)
    group.permissions.set(_permissions(apps, MANAGER_PERMISSIONS, using))

    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root_page = Page.objects.using(using).filter(depth=1).first()
    if root_page is not None:
        page_perms = _permissions(
            apps, [("wagtailcore", "page", name) for name in MANAGER_PAGE_PERMISSIONS], using
        )
        GroupPagePermission.objects.using(using).filter(group=group).exclude(
            page=root_page, permission__in=page_perms
        ).delete()
        for permission in page_perms:
            GroupPagePermission.objects.using(using).get_or_create(
                group=group, page=root_page, permission=permission
            )

    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    if root_collection is not None:
        collection_perms = _permissions(apps, MANAGER_COLLECTION_PERMISSIONS, using)
        GroupCollectionPermission.objects.using(using).filter(group=group).exclude(
            collection=root_collection, permission__in=collection_perms
        ).delete()
        for permission in collection_perms:
            GroupCollectionPermission.objects.using(using).get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def apply_roles_after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (connected for the cms app in CmsConfig.ready)."""
    apply_roles(apps=apps, using=using)


def may_use_admin(user) -> bool:
    """Whether the site shows this user the way into the Wagtail admin ("Manage"): staff, or
    anyone given Wagtail's access_admin permission, themselves or through a group."""
    return bool(
        user.is_authenticated and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))
    )
