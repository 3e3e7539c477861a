"""PPIE managers run consultations: full rights on consultations, features and polls; votes,
poll answers and invitations are written by the services only, so managers may view them."""

from django.db import migrations

GROUP = "PPIE managers"
FULL = ["consultation", "feature", "poll", "pollchoice"]
VIEW_ONLY = ["vote", "pollanswer", "invitation"]


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
    dependencies = [("engagement", "0004_consultations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
