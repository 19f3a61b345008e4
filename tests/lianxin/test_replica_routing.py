"""Without a replica (or in the tests that do not ask for it) every read and write stays on the
primary; the router never sends a write or a migration to the replica. The reads from a real
standby are proved in tests/reports/test_replica.py."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.replica import REPLICA, ReportReadsRouter, reads_from_replica
from members.models import Member
from tests.conftest import ORG
from tests.factories import CaseFactory


def test_without_a_replica_report_pages_read_from_the_primary(world, client_for):
    CaseFactory(
        member__organization=world.orgs[ORG["branch_a1"]],
        member__name="张三",
        opened_by=world.users["branch_a1"],
    )
    with reads_from_replica() as on_replica:
        assert on_replica is False
        assert Member.objects.all().db == DEFAULT_DB_ALIAS
    url = reverse("reports:statistics_members") + f"?org={world.orgs[ORG['county']].pk}&col=W"
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        response = client_for("county").get(url)
    assert response.status_code == 200 and "张三" in response.content.decode()
    assert any('"members_member"' in q["sql"] for q in primary.captured_queries)
    assert "lianxin_primary" not in response.cookies


def test_the_router_sends_writes_and_migrations_only_to_the_primary():
    router = ReportReadsRouter()
    with reads_from_replica():
        assert router.db_for_write(Member) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Member) == DEFAULT_DB_ALIAS  # outside a report read
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "members") is True
    assert router.allow_migrate(REPLICA, "members") is False
