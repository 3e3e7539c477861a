"""The item-tracking matrix records several problem types per item (one flag each, the old
single problem type carried over), revised response options, new instructions and recall period
for the next version, and new items for it."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


PROBLEMS = ["comprehension", "relevance", "recall", "options", "sensitive", "other"]


def problem_type_to_problems(apps, schema_editor):
    Item = apps.get_model("feedback", "Item")
    for code in PROBLEMS:
        Item.objects.filter(problem_type=code).update(**{f"problem_{code}": True})


def problems_to_problem_type(apps, schema_editor):
    """Back to one problem type: the first flagged, in the order above."""
    Item = apps.get_model("feedback", "Item")
    for code in reversed(PROBLEMS):
        Item.objects.filter(**{f"problem_{code}": True}).update(problem_type=code)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_outcome_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="problem_comprehension",
            field=models.BooleanField(default=False, verbose_name="not understood as intended"),
        ),
        migrations.AddField(
            model_name="item",
            name="problem_options",
            field=models.BooleanField(default=False, verbose_name="response options"),
        ),
        migrations.AddField(
            model_name="item",
            name="problem_other",
            field=models.BooleanField(default=False, verbose_name="other problem"),
        ),
        migrations.AddField(
            model_name="item",
            name="problem_recall",
            field=models.BooleanField(default=False, verbose_name="recall period"),
        ),
        migrations.AddField(
            model_name="item",
            name="problem_relevance",
            field=models.BooleanField(default=False, verbose_name="not relevant"),
        ),
        migrations.AddField(
            model_name="item",
            name="problem_sensitive",
            field=models.BooleanField(default=False, verbose_name="upsetting or intrusive"),
        ),
        migrations.RunPython(problem_type_to_problems, problems_to_problem_type),
        migrations.RemoveField(
            model_name="item",
            name="problem_type",
        ),
        migrations.AddField(
            model_name="item",
            name="revised_options",
            field=models.TextField(
                blank=True,
                help_text="One per line. Leave empty to keep the response options as they are.",
                max_length=2000,
                verbose_name="revised response options",
            ),
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="revised_instructions",
            field=models.TextField(
                blank=True,
                help_text="Leave empty to keep the instructions as they are.",
                max_length=3000,
                verbose_name="new instructions for the next version",
            ),
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="revised_recall_period",
            field=models.CharField(
                blank=True,
                help_text="For example “the past 24 hours”. Leave empty to keep it.",
                max_length=100,
                verbose_name="new recall period for the next version",
            ),
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="revision_rationale",
            field=models.TextField(
                blank=True,
                max_length=2000,
                verbose_name="why the instructions or recall period change",
            ),
        ),
        migrations.CreateModel(
            name="NewItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("text", models.CharField(max_length=500, verbose_name="item text")),
                (
                    "response_type",
                    models.CharField(
                        choices=[
                            ("scale", "Rating scale"),
                            ("yes_no", "Yes / no"),
                            ("choice", "Choose from a list"),
                            ("number", "Number"),
                            ("text", "Free text"),
                        ],
                        default="scale",
                        max_length=10,
                        verbose_name="response type",
                    ),
                ),
                (
                    "response_options",
                    models.TextField(
                        blank=True,
                        help_text="One per line.",
                        max_length=2000,
                        verbose_name="response options",
                    ),
                ),
                (
                    "help_text",
                    models.CharField(blank=True, max_length=300, verbose_name="help text"),
                ),
                (
                    "rationale",
                    models.TextField(blank=True, max_length=2000, verbose_name="why it is added"),
                ),
                (
                    "questionnaire",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="new_items",
                        to="feedback.questionnaire",
                    ),
                ),
            ],
            options={
                "verbose_name": "new item for the next version",
                "verbose_name_plural": "new items for the next version",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
    ]
