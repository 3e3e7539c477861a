"""The "you said, we did" models move to feedback/outcomes (the top of the dependency graph),
step 1 of 4: feedback takes them over in Django's state, still on their old tables, so that
nothing in the database changes yet (engagement 0004 and cms 0003 then let go of them, and
feedback 0003 renames the tables and moves their content types, so existing pages keep their
ids, URLs and revisions)."""

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_initial"),
        ("engagement", "0003_initial_content"),
        ("feedback", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="OutcomeIndexPage",
            fields=[
                ("page_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ("intro", models.TextField(blank=True, max_length=500, verbose_name="introduction")),
            ],
            options={"verbose_name": "outcomes index page", "db_table": "cms_outcomeindexpage"},
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="OutcomePage",
            fields=[
                ("page_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ("summary", models.TextField(max_length=400, verbose_name="summary")),
                ("what_we_asked", wagtail.fields.RichTextField(blank=True, verbose_name="what we asked")),
                ("reflections", wagtail.fields.RichTextField(blank=True, help_text="Used in the GRIPP2 report (critical reflection).", verbose_name="reflections: what went well, what did not")),
                ("consultation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="outcome_pages", to="engagement.consultation", verbose_name="consultation")),
            ],
            options={"verbose_name": "outcome page (you said, we did)", "db_table": "cms_outcomepage"},
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="OutcomeChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("title", models.CharField(max_length=200, verbose_name="what we changed")),
                ("description", models.TextField(blank=True, max_length=1000, verbose_name="more detail")),
                ("quote", models.TextField(blank=True, max_length=500, verbose_name="a member's words (only from members who agreed to be quoted)")),
                ("page", modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="changes", to="feedback.outcomepage")),
                ("app_version", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="cms.prototypepage", verbose_name="app version where it landed")),
                ("features", modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="engagement.feature", verbose_name="because of votes on")),
                ("items", modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="feedback.item", verbose_name="because of feedback on questionnaire items")),
                ("screens", modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="cms.prototypescreen", verbose_name="because of comments on prototype screens")),
            ],
            options={"verbose_name": "change", "ordering": ["sort_order"], "abstract": False, "db_table": "cms_outcomechange"},
        ),
        migrations.CreateModel(
            name="OutcomeNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="sent")),
                ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="outcome_notices", to="engagement.member")),
                ("page", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notices", to="feedback.outcomepage")),
            ],
            options={
                "verbose_name": "outcome notice",
                "db_table": "engagement_outcomenotice",
                "constraints": [models.UniqueConstraint(fields=("member", "page"), name="outcome_notice_once")],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])
    ]
