"""The PPIE manager role comes from cms.roles, applied after migrate: the database holds
exactly what the code declares, however often it is applied."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from cms.roles import (
    MANAGER_COLLECTION_PERMISSIONS,
    MANAGER_PAGE_PERMISSIONS,
    MANAGER_PERMISSIONS,
    MANAGERS_GROUP,
    apply_roles,
)

pytestmark = pytest.mark.django_db


def _group_state():
    group = Group.objects.get(name=MANAGERS_GROUP)
    return (
        sorted(
            (p.content_type.app_label, p.content_type.model, p.codename)
            for p in group.permissions.select_related("content_type")
        ),
        sorted(
            GroupPagePermission.objects.filter(group=group).values_list(
                "page__depth", "permission__codename"
            )
        ),
        sorted(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection__depth", "permission__codename"
            )
        ),
    )


def test_after_migrate_the_group_holds_exactly_the_declared_permissions():
    models, pages, collections = _group_state()
    assert models == sorted(MANAGER_PERMISSIONS)
    assert pages == sorted((1, name) for name in MANAGER_PAGE_PERMISSIONS)
    assert collections == sorted(
        (1, codename) for _a, _m, codename in MANAGER_COLLECTION_PERMISSIONS
    )


def test_applying_again_changes_nothing_and_undoes_a_change_made_by_hand():
    before = _group_state()
    group = Group.objects.get(name=MANAGERS_GROUP)
    group.permissions.remove(group.permissions.get(codename="change_consultation"))
    apply_roles()
    apply_roles()
    assert _group_state() == before


def test_a_manager_may_use_the_admin_and_edit_every_page(django_user_model):
    user = django_user_model.objects.create_user(email="m@example.org")
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.has_perm("engagement.change_consultation")
    assert not user.has_perm("engagement.add_member")  # people join themselves
    assert not user.has_perm("engagement.change_vote")  # votes come from members only


def test_a_permission_name_that_matches_nothing_is_an_error(monkeypatch):
    from cms import roles

    monkeypatch.setattr(
        roles, "MANAGER_PERMISSIONS", [*MANAGER_PERMISSIONS, ("engagement", "member", "fly_member")]
    )
    with pytest.raises(LookupError, match="fly_member"):
        roles.apply_roles()
