"""PPIE managers keep the rate card and the involvement log, and see outcome notices."""

from django.db import migrations

GROUP = "PPIE managers"
FULL = ["ratecard", "involvementrecord"]
VIEW_ONLY = ["outcomenotice"]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model in FULL + VIEW_ONLY:
        ct, _ = ContentType.objects.get_or_create(app_label="engagement", model=model)
        actions = ["view", "add", "change", "delete"] if model in FULL else ["view"]
        for action in actions:
            perm, _ = Permission.objects.get_or_create(
                content_type=ct,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("engagement", "0006_ratecard_involvementrecord_outcomenotice")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
