"""PPIE managers design questionnaires and read (never edit) members' feedback."""

from django.db import migrations

GROUP = "PPIE managers"
FULL = ["questionnaire", "item"]
VIEW_ONLY = ["questionnairereview", "itemfeedback", "prototypereview", "screencomment"]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model in FULL + VIEW_ONLY:
        ct, _ = ContentType.objects.get_or_create(app_label="feedback", model=model)
        actions = ["view", "add", "change", "delete"] if model in FULL else ["view"]
        for action in actions:
            perm, _ = Permission.objects.get_or_create(
                content_type=ct,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("cms", "0002_ppie_managers_group")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
