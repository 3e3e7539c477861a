"""Outcome notices moved to feedback/outcomes (see feedback 0002): only Django's state forgets
them here; the table is renamed by feedback 0003."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0003_initial_content"),
        ("feedback", "0002_outcomes_from_cms"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutcomeNotice")], database_operations=[]
        )
    ]
