"""A fault in the middle of a multi-row write leaves the database as before.

post_assign writes the post, then the object permissions it carries. Interrupting it between
the two must not leave a post without its grants (or the reverse).
"""

import pytest
from django.db import connection

from lianxin import posts
from lianxin.models import OrganizationUserPermission, Post, Role
from tests.faults import InjectedFault, fail_after, kill_connection_after, reconnect


def _counts():
    return Post.objects.count(), OrganizationUserPermission.objects.count(), Post.history.count()


def test_fault_inside_post_assign_changes_nothing(world, monkeypatch):
    user = world.users["branch_a2"]
    before = _counts()
    with fail_after(monkeypatch, posts, "sync_grants"), pytest.raises(InjectedFault):
        posts.post_assign(
            user=user, organization=world.orgs["610581001001"], title="组织委员", role=Role.BRANCH_COMMITTEE
        )
    assert _counts() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_connection_inside_post_assign_changes_nothing(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import random

    from lianxin.demo import seed_base

    world = seed_base(random.Random(1))
    user = world.users["branch_a2"]
    before = _counts()
    with kill_connection_after(monkeypatch, posts, "sync_grants"), pytest.raises(Exception) as failure:
        posts.post_assign(
            user=user, organization=world.orgs["610581001001"], title="组织委员", role=Role.BRANCH_COMMITTEE
        )
    assert "terminat" in str(failure.value).lower() or "closed" in str(failure.value).lower()
    reconnect()
    assert _counts() == before
