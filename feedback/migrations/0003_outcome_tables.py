"""The "you said, we did" models' last step into feedback: their tables (and the changes' link
tables) take feedback's names, and their content types move from cms and engagement to
feedback. A page's row in wagtailcore_page points at its content type by id, which stays the
same, so every existing outcome page (and its revisions and permissions) is now a
feedback.OutcomePage at the same URL."""

from django.db import migrations

MOVED = [
    ("cms", "outcomeindexpage"),
    ("cms", "outcomepage"),
    ("cms", "outcomechange"),
    ("engagement", "outcomenotice"),
]


def move_content_types(apps, schema_editor, *, to_feedback=True):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for old_label, model in MOVED:
        source, target = (old_label, "feedback") if to_feedback else ("feedback", old_label)
        if content_types.filter(app_label=source, model=model).exists():
            # An unused one that a post_migrate made meanwhile gives way to the one in use.
            content_types.filter(app_label=target, model=model).delete()
            content_types.filter(app_label=source, model=model).update(app_label=target)


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor, to_feedback=False)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("feedback", "0002_outcomes_from_cms"),
        ("cms", "0003_outcomes_to_feedback"),
        ("engagement", "0004_outcomenotice_to_feedback"),
    ]

    operations = [
        migrations.AlterModelTable(name="outcomeindexpage", table=None),
        migrations.AlterModelTable(name="outcomepage", table=None),
        migrations.AlterModelTable(name="outcomechange", table=None),
        migrations.AlterModelTable(name="outcomenotice", table=None),
        migrations.RunPython(move_content_types, backwards),
    ]
