"""Migration 0004 turns each item's one problem type into its flag among several, keeping
every row, and back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("feedback", "0003_outcome_tables")]
AFTER = [("feedback", "0004_item_tracking")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_old_problem_type_becomes_its_flag():
    old = _migrate(BEFORE)
    Questionnaire = old.get_model("feedback", "Questionnaire")
    Item = old.get_model("feedback", "Item")
    questionnaire = Questionnaire.objects.create(title="Recovery", version=1)
    for order, problem in enumerate(["recall", "options", "none", ""]):
        Item.objects.create(
            questionnaire=questionnaire,
            text=f"Item {order}",
            sort_order=order,
            problem_type=problem,
        )

    new = _migrate(AFTER)
    items = new.get_model("feedback", "Item").objects.order_by("sort_order")
    flags = [
        [code for code in ["comprehension", "relevance", "recall", "options", "sensitive", "other"]
         if getattr(item, f"problem_{code}")]
        for item in items
    ]  # fmt: skip
    assert flags == [["recall"], ["options"], [], []]

    back = _migrate(BEFORE)
    assert list(
        back.get_model("feedback", "Item")
        .objects.order_by("sort_order")
        .values_list("problem_type", flat=True)
    ) == ["recall", "options", "", ""]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
