"""The "you said, we did" pages moved to feedback/outcomes (see feedback 0002): only Django's
state forgets them here; their tables, rows and pages stay, renamed by feedback 0003."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_initial"),
        ("engagement", "0004_outcomenotice_to_feedback"),
        ("feedback", "0002_outcomes_from_cms"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OutcomeChange"),
                migrations.DeleteModel(name="OutcomePage"),
                migrations.DeleteModel(name="OutcomeIndexPage"),
            ],
            database_operations=[],
        )
    ]
