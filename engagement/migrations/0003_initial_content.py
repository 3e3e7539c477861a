from django.db import migrations

from engagement.membership.initial_content import create_initial_content


def forwards(apps, schema_editor):
    create_initial_content(apps)


class Migration(migrations.Migration):
    dependencies = [("engagement", "0002_stakeholder_group")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
