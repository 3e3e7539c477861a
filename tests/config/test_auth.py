"""config/auth.ModelBackendInOneQuery: a user's own and group permissions, as Django's
ModelBackend gives them, in one query."""

import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def test_own_and_group_permissions_in_one_query(django_user_model, django_assert_num_queries):
    user = django_user_model.objects.create_user(email="pat@example.org")
    user.user_permissions.add(permission("view_member"))
    group = Group.objects.create(name="Helpers")
    group.permissions.add(permission("view_campaign"), permission("view_member"))
    user.groups.add(group)
    user = django_user_model.objects.get(pk=user.pk)  # no permission cache yet

    with django_assert_num_queries(1):
        assert user.has_perm("engagement.view_member")
        assert user.has_perm("engagement.view_campaign")
        assert not user.has_perm("engagement.delete_member")
        assert user.get_all_permissions() == {
            "engagement.view_member",
            "engagement.view_campaign",
        }


def test_the_same_answers_as_djangos_backend(django_user_model):
    from django.contrib.auth.backends import ModelBackend

    from config.auth import ModelBackendInOneQuery

    user = django_user_model.objects.create_user(email="pat@example.org")
    group = Group.objects.create(name="Helpers")
    group.permissions.add(permission("access_admin"))
    user.groups.add(group)
    superuser = django_user_model.objects.create_superuser(email="root@example.org")
    inactive = django_user_model.objects.create_user(email="gone@example.org", is_active=False)
    inactive.user_permissions.add(permission("view_member"))

    for someone in (user, superuser, inactive):
        fresh = django_user_model.objects.get(pk=someone.pk)
        ours = ModelBackendInOneQuery().get_all_permissions(fresh)
        fresh = django_user_model.objects.get(pk=someone.pk)
        assert ours == ModelBackend().get_all_permissions(fresh), someone.email
    assert ModelBackendInOneQuery().get_all_permissions(user, obj=object()) == set()
