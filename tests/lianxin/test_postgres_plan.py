"""On PostgreSQL the subtree filter uses the path pattern index (no sequential scan)."""

import pytest
from django.db import connection

from lianxin import access
from lianxin.models import Organization


@pytest.mark.postgres
def test_subtree_filter_uses_pattern_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    qs = access.scoped(world.users["committee_a"], "view_scope", Organization.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    assert "lianxin_org_path_pattern" in plan, plan
