"""The per-organization counters (lianxin/counters.py): the writers that bypass the services
keep them too, `manage.py recount` finds and repairs a wrong one, the daily job runs it, and
the 工作台 of a large scope reads them instead of counting rows.

(After every service a test calls, tests/conftest.py recounts: each service is checked there.)"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import counters, dashboard
from lianxin.daily import JOBS
from lianxin.models import OrgCounter
from members.models import ContactStatus, Member
from members.services import refresh_all
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus


def stored(org, key):
    row = OrgCounter.objects.filter(organization=org, key=key).first()
    return row.value if row else 0


@pytest.fixture
def people(world, org):
    """Members across three branches of two committees: some slipping, some lost with a case."""
    today = timezone.localdate()
    for name, n in (("branch_a1", 3), ("branch_a2", 2), ("branch_b1", 4)):
        for i in range(n):
            MemberFactory(
                organization=org(name),
                last_contact_on=today - timedelta(days=160 + i),
                contact_status=ContactStatus.WARNING,
            )
        MemberFactory(organization=org(name), contact_status=ContactStatus.OUT_OF_CONTROL)
        lost = MemberFactory(
            organization=org(name),
            last_contact_on=today - timedelta(days=400),
            contact_status=ContactStatus.LOST,
        )
        CaseFactory(member=lost, opened_by=world.users[name])
    return today


def test_saves_outside_a_service_move_every_ancestor(people, org):
    county, committee, branch = org("county"), org("committee_a"), org("branch_a1")
    before = [stored(o, "members.warning") for o in (county, committee, branch)]
    MemberFactory(organization=branch, contact_status=ContactStatus.WARNING)
    after = [stored(o, "members.warning") for o in (county, committee, branch)]
    assert after == [n + 1 for n in before]
    assert stored(org("committee_b"), "members.warning") == 4
    assert not counters.recount().differences


def test_the_daily_refresh_moves_members_between_status_counters(people, org):
    branch = org("branch_b1")
    stale = MemberFactory(
        organization=branch,
        last_contact_on=people - timedelta(days=400),
        contact_status=ContactStatus.NORMAL,  # the refresh has not seen it yet
    )
    lost = stored(branch, "members.lost")
    assert refresh_all(today=people)
    stale.refresh_from_db()
    assert stale.contact_status == ContactStatus.LOST
    assert stored(branch, "members.lost") == lost + 1
    assert (
        stored(branch, "members.lost")
        == Member.objects.filter(organization=branch, contact_status="lost").count()
    )
    assert not counters.recount().differences


def test_a_bulk_write_announced_with_created_is_counted(people, org):
    branch = org("branch_a2")
    members = Member.objects.bulk_create(
        [
            MemberFactory.build(organization=branch, contact_status=ContactStatus.LOST),
            MemberFactory.build(organization=branch, contact_status=ContactStatus.LOST),
        ]
    )
    assert counters.recount().differences  # bulk_create sends no signals …
    counters.created(Member, members)  # … so the writer announces its rows
    assert not counters.recount().differences


def test_a_rolled_back_write_leaves_the_counters_as_they_were(people, world, org):
    from django.db import transaction

    county = org("county")
    before = stored(county, "cases.open")
    with pytest.raises(RuntimeError), counters.deferred():
        case = CaseFactory(
            member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
        )
        case.status = CaseStatus.CONTACTED
        case.save()
        raise RuntimeError
    with transaction.atomic():
        assert stored(county, "cases.open") == before
    assert not counters.recount().differences


def test_recount_reports_then_repairs(people, org, capsys):
    county = org("county")
    right = stored(county, "members.out_of_control")
    OrgCounter.objects.filter(organization=county, key="members.out_of_control").update(value=99)
    with pytest.raises(SystemExit) as exit_:
        call_command("recount")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "联系状态：失控：记录为 99，实际为 3" in out and right == 3
    call_command("recount", "--repair")
    assert "已修正 1 行" in capsys.readouterr().out
    assert stored(county, "members.out_of_control") == 3
    call_command("recount")  # nothing left to report: exits normally


def test_the_daily_job_recounts_and_repairs(people, org):
    assert JOBS["recount"].after == ("refresh_statuses",)
    OrgCounter.objects.filter(organization=org("branch_a1"), key="members.lost").delete()
    summary = JOBS["recount"].func(today=people)
    assert summary == {"differences": 1, "written": 1}  # the branch's row, put back
    assert not counters.recount().differences


# The 工作台 --------------------------------------------------------------------------------------


def panel_counts(client):
    return {p.title: p.count for p in client.get(reverse("home")).context["panels"]}


@pytest.mark.parametrize("username", ["county", "admin"])
def test_a_large_scope_reads_the_same_numbers_from_the_counters(people, client_for, monkeypatch, username):
    counted_rows = panel_counts(client_for(username))
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    panel_counts(client_for(username))  # the worker takes the snapshot of the watch panels
    with CaptureQueriesContext(connection) as ctx:
        from_counters = panel_counts(client_for(username))
    assert from_counters == counted_rows
    assert from_counters["失控党员"] == 3 and from_counters["即将满六个月未联系（超过150天）"] == 9
    reads = [q["sql"] for q in ctx.captured_queries if "lianxin_orgcounter" in q["sql"]]
    assert len(reads) == 1  # every panel's counter in one read
    case_counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and 'FROM "tracing_lostcontactcase"' in q["sql"]
    ]
    # The case cards equal the lists they open (issue 15): where the scope's cases are its own
    # (no 协查 from elsewhere) the counters hold those lists' rows, and no case is counted
    # (tests/tracing/test_waiting_panels.py: where 协查 brings others in, they are).
    assert case_counts == []


@pytest.mark.parametrize(
    ("username", "large"),
    [("branch_a1", False), ("committee_a", False), ("county", True), ("admin", True)],
)
def test_the_workbench_queries_do_not_grow_with_the_scope(
    people, world, org, client_for, monkeypatch, username, large
):
    """Per tier: the 工作台 costs the same number of queries with three times the people."""
    if large:
        monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    client = client_for(username)
    client.get(reverse("home"))  # the session's first page warms its caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for name in ("branch_a1", "branch_a2", "branch_b1"):
        for _ in range(2):
            MemberFactory(organization=org(name), contact_status=ContactStatus.OUT_OF_CONTROL)
            lost = MemberFactory(
                organization=org(name),
                last_contact_on=people - timedelta(days=300),
                contact_status=ContactStatus.LOST,
            )
            CaseFactory(member=lost, opened_by=world.users[name])
    with CaptureQueriesContext(connection) as grown:
        client.get(reverse("home"))
    assert len(grown.captured_queries) == len(small.captured_queries)


@pytest.fixture
def pg_world(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import random

    from lianxin.demo import seed_base

    return seed_base(random.Random(1))


@pytest.mark.postgres
def test_concurrent_writers_add_up_on_the_shared_ancestors(pg_world):
    """Four transactions at once, in four branches under one county: each upsert adds to the
    county's row (value = value + delta), none overwrites another, none deadlocks."""
    import threading

    from django.db import connections

    from tests.security.test_once_only import at_once

    county = pg_world.orgs["610581"]
    branches = [pg_world.orgs[c] for c in ("610581001001", "610581001002", "610581002001", "610581003001")]
    before = stored(county, "members.lost")
    turn, lock = iter(branches), threading.Lock()

    def write():
        with lock:
            branch = next(turn)
        with counters.deferred():
            MemberFactory(organization=branch, contact_status=ContactStatus.LOST)
            MemberFactory(organization=branch, contact_status=ContactStatus.LOST)

    assert at_once(write) == ["ok"] * 4
    connections.close_all()
    assert stored(county, "members.lost") == before + 8
    assert not counters.recount().differences
