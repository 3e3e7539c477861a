"""Create the "PPIE managers" group: Wagtail admin access, edit and publish every page,
manage images, documents, redirects and site settings. Later apps add their own permissions."""

from django.db import migrations

GROUP = "PPIE managers"  # cms.roles.MANAGERS_GROUP at the time of this migration

MODEL_PERMS = [
    ("wagtailadmin", "admin", ["access_admin"]),
    ("cms", "sitesettings", ["change_sitesettings"]),
    ("wagtailredirects", "redirect", ["add_redirect", "change_redirect", "delete_redirect"]),
]
COLLECTION_PERMS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image", "delete_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document", "delete_document"]),
]
PAGE_PERMS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _perm(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=ct, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return perm


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codenames in MODEL_PERMS:
        for codename in codenames:
            group.permissions.add(_perm(apps, app_label, model, codename))
    root_page = Page.objects.filter(depth=1).first()
    if root_page:
        for codename in PAGE_PERMS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_perm(apps, "wagtailcore", "page", codename)
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection:
        for app_label, model, codenames in COLLECTION_PERMS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_perm(apps, app_label, model, codename),
                )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
