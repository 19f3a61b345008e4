"""On PostgreSQL the subtree filter is an index range on the path (no sequential scan), and a
list in path order reads that order from the index instead of sorting the subtree."""

import pytest
from django.db import connection

from lianxin import access, perms
from lianxin.models import Organization, OrgKind


def crowd_the_tree(count=3000):
    """A county's few rows make every index cost the same, and the planner then picks any of them;
    a province's worth of sibling subtrees makes the prefix range scan the only cheap plan."""
    Organization.objects.bulk_create(
        Organization(
            path=f"0099{i:04d}",
            depth=2,
            name=f"填充组织{i}",
            code=f"PLAN{i:05d}",
            kind=OrgKind.BRANCH,
        )
        for i in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lianxin_organization")


def _plan(qs):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    return plan


@pytest.mark.postgres
def test_subtree_filter_is_an_index_range(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    crowd_the_tree()
    committee = world.users["committee_a"]
    plan = _plan(access.scoped(committee, perms.VIEW_SCOPE, Organization.objects.all()))
    assert "Seq Scan" not in plan and "Index Cond: (((path)::text >=" in plan, plan
    # In the path's order, the first rows come from the index: nothing sorts the subtree.
    plan = _plan(access.scoped(committee, perms.VIEW_SCOPE, Organization.objects.order_by("path"))[:20])
    assert "lianxin_organization_path_key" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_connections_run_without_jit():
    """Compiling a 待办 rule's many subqueries took longer than running them (settings.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
