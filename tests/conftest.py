import os
from contextlib import contextmanager

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _site_tree_of_the_module(request, django_db_setup, django_db_blocker):
    """For a module that sets SITE_TREE_ONCE = True: the site tree built the first time one of
    its tests asks for it, kept (under each test's rollback) until the module's last test."""
    if not getattr(request.module, "SITE_TREE_ONCE", False):
        yield None
        return
    from tests.factories.cms import build_site

    with rows_for_the_scope(django_db_blocker):
        yield build_site()


@pytest.fixture
def site_tree(_site_tree_of_the_module, db):
    """A home page with news, prototype and event indexes, one item each."""
    from tests.factories.cms import build_site

    if _site_tree_of_the_module is None:
        return build_site()
    return fresh(_site_tree_of_the_module)


@contextmanager
def rows_for_the_scope(django_db_blocker):
    """For module- and class-scoped fixtures: the rows made inside are seen by every test of
    the scope (each test's own changes are rolled back to them, as usual), and are rolled
    back themselves after the last test. Expensive data (load_demo, a big site) is then built
    once instead of once per test."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def manager_client(db):
    """A test client signed in as a PPIE manager."""
    from django.test import Client

    from tests.factories.membership import ManagerFactory

    client = Client()
    client.force_login(ManagerFactory())
    return client


@pytest.fixture
def member(db):
    """An active member of the stakeholder group (tests/feedback/conftest.py: a patient)."""
    from tests.factories.membership import MemberFactory

    return MemberFactory()


@pytest.fixture
def member_client(member):
    """A test client signed in as `member`."""
    from django.test import Client

    client = Client()
    client.force_login(member.user)
    return client


def fresh(value):
    """The same rows read again from the database (through dicts and lists): what one test did
    to the Python objects of a module's or class's shared data is not seen by the next."""
    from django.db.models import Model

    if isinstance(value, Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fresh(item) for item in value)
    return value
