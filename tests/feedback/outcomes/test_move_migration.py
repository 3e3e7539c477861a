"""The "you said, we did" models moved from cms (and engagement, for notices) to feedback/outcomes
by migrations that keep the tables' rows: an outcome page made before the move is served, at
its URL, as a feedback.OutcomePage after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_THE_MOVE = [
    ("cms", "0002_initial"),
    ("engagement", "0003_initial_content"),
    ("feedback", "0001_initial"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_an_outcome_page_made_before_the_move_is_served_after_it(client):
    from tests.factories.cms import build_site
    from tests.installation import restore_fresh_installation

    restore_fresh_installation()
    home = build_site()["home"]

    old = _migrate(BEFORE_THE_MOVE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Page = old.get_model("wagtailcore", "Page")
    Consultation = old.get_model("engagement", "Consultation")
    OutcomeIndexPage = old.get_model("cms", "OutcomeIndexPage")
    OutcomePage = old.get_model("cms", "OutcomePage")
    OutcomeNotice = old.get_model("engagement", "OutcomeNotice")
    Member = old.get_model("engagement", "Member")

    now = timezone.now()
    consultation = Consultation.objects.create(
        title="What first?",
        slug="what-first",
        summary="Rate the features.",
        opens_at=now - timezone.timedelta(days=20),
        closes_at=now - timezone.timedelta(days=10),
    )
    parent = Page.objects.get(pk=home.pk)

    def child_of(page, model, **fields):
        # What treebeard's add_child does, by hand: historical models have no tree methods.
        number = page.numchild + 1
        child = model.objects.create(
            path=f"{page.path}{number:04d}",
            depth=page.depth + 1,
            numchild=0,
            url_path=f"{page.url_path}{fields['slug']}/",
            live=True,
            locale_id=page.locale_id,
            draft_title=fields["title"],
            content_type=ContentType.objects.get_or_create(
                app_label="cms", model=model._meta.model_name
            )[0],
            **fields,
        )
        Page.objects.filter(pk=page.pk).update(numchild=number)
        page.numchild = number
        return Page.objects.get(pk=child.pk)

    index = child_of(parent, OutcomeIndexPage, title="You said, we did", slug="you-said-we-did")
    outcome = child_of(
        index,
        OutcomePage,
        title="What the app will do first",
        slug="what-first",
        consultation_id=consultation.pk,
        summary="The symptom diary comes first.",
    )
    member = Member.objects.create(role="patient", channel="web", status="active")
    OutcomeNotice.objects.create(member=member, page_id=outcome.pk)

    _migrate(_latest())

    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    from feedback.outcomes.models import OutcomeNotice as MovedNotice
    from feedback.outcomes.models import OutcomePage as MovedPage

    moved = MovedPage.objects.get(pk=outcome.pk)
    assert moved.consultation.slug == "what-first"
    assert moved.content_type == CurrentContentType.objects.get_for_model(MovedPage)
    assert not CurrentContentType.objects.filter(app_label="cms", model="outcomepage").exists()
    assert MovedNotice.objects.filter(page=moved, member_id=member.pk).count() == 1
    response = client.get("/you-said-we-did/what-first/")
    assert response.status_code == 200
    assert "The symptom diary comes first." in response.content.decode()
