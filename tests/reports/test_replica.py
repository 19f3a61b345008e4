"""Reports read from a real PostgreSQL streaming standby (lianxin/replica.py).

`make test` starts one beside the test server (scripts/pg.sh: pg_start_replica) and exports
DATABASE_REPLICA_URL; without it these tests are skipped. The replica alias points at the same
test database on the standby, which receives it, and every row, by replication: the tests
commit their data (transaction=True) and wait until the standby has replayed it.

Tests that pause or stop the standby hold an exclusive lock, the others a shared one, so that
the two pytest-xdist workers never read from a standby another test has taken away.
"""

import fcntl
import io
import os
import random
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connections
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import replica
from lianxin.demo import seed_base
from lianxin.models import Disclosure
from members.forms import MemberForm
from tests.conftest import ORG
from tests.factories import CaseFactory, MemberFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_REPLICA_URL"), reason="needs a streaming standby (DATABASE_REPLICA_URL)"
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]
WRITES = ("INSERT", "UPDATE", "DELETE")
# What a report request reads and writes on the primary: the session, the user, their rights, the
# record of an export of personal data.
TXN = ("BEGIN", "COMMIT")
PRIMARY_TABLES = ("django_session", "auth_user", "lianxin_organizationuserpermission", "lianxin_disclosure")


@contextmanager
def _standby_lock(exclusive):
    directory = os.environ.get("PG_REPLICA_DIR")
    if not directory:  # a standby not started by scripts/pg.sh: nothing else stops it
        yield
        return
    with open(Path(directory) / "tests.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _use_replica(settings, exclusive):
    settings.REPORTS_FROM_REPLICA = True
    replica.breaker_close()
    connections["replica"].close()  # another worker's test may have restarted the standby
    return _standby_lock(exclusive)


@pytest.fixture
def shared_standby(settings):
    with _use_replica(settings, exclusive=False):
        yield
    replica.breaker_close()


@pytest.fixture
def own_standby(settings):
    with _use_replica(settings, exclusive=True):
        yield
    replica.breaker_close()


@pytest.fixture
def committed_world():
    """The demo tree and one lost member with an open case, committed and on the standby."""
    world = seed_base(random.Random(1))
    branch = world.orgs[ORG["branch_a1"]]
    today = timezone.localdate()
    member = MemberFactory(organization=branch, name="张三", last_contact_on=today - timedelta(days=400))
    world.case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        opened_on=today - timedelta(days=60),
        lost_since=today - timedelta(days=400),
    )
    wait_for_replica()
    return world


def client_for(world, username):
    client = Client()
    client.force_login(world.users[username])
    return client


def wait_for_replica(timeout=20):
    """Until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.05)


def standby_ctl(action):
    subprocess.run(
        ["bash", "-c", f"source scripts/pg.sh && pg_replica_ctl {action}"], cwd=ROOT, check=True, timeout=60
    )


@contextmanager
def queries_per_alias():
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as standby,
    ):
        yield primary, standby


def sql(captured):
    return [q["sql"] for q in captured.captured_queries]


def touches(statements, table):
    return [s for s in statements if f'"{table}"' in s]


def assert_replica_is_a_standby_of_the_test_database():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = cursor.fetchone()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        primary_in_recovery, primary_name = cursor.fetchone()
    assert in_recovery and not primary_in_recovery
    assert name == primary_name  # the same (per-worker) test database, replicated
    assert connections["replica"].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]


REPORT_PAGES = {
    "statistics": lambda w: reverse("reports:statistics") + f"?org={w.orgs[ORG['county']].pk}",
    "statistics_members": lambda w: (
        reverse("reports:statistics_members") + f"?org={w.orgs[ORG['county']].pk}&col=W"
    ),
    "statistics_xlsx": lambda w: reverse("reports:statistics_xlsx") + f"?org={w.orgs[ORG['county']].pk}",
    "roster_xlsx": lambda w: reverse("reports:roster_xlsx") + f"?org={w.orgs[ORG['county']].pk}",
    "register_xlsx": lambda w: reverse("reports:register_xlsx") + f"?org={w.orgs[ORG['county']].pk}",
    "record_pdf": lambda w: reverse("reports:record_pdf", args=[w.case.pk]),
    "card_pdf": lambda w: reverse("reports:card_pdf", args=[w.orgs[ORG["branch_a1"]].pk]),
}


def test_report_reads_go_to_the_replica_and_writes_to_the_primary(shared_standby, committed_world):
    assert_replica_is_a_standby_of_the_test_database()
    client = client_for(committed_world, "county")
    for page, url in REPORT_PAGES.items():
        disclosures = Disclosure.objects.count()
        with queries_per_alias() as (primary, standby):
            response = client.get(url(committed_world))
        assert response.status_code == 200, page
        on_primary, on_replica = sql(primary), sql(standby)
        # The report's data comes from the standby; the primary serves only the session, the
        # user, their rights and the record of an export of personal data …
        assert touches(on_replica, "lianxin_organization"), page
        assert [
            s for s in on_primary if not any(f'"{t}"' in s for t in PRIMARY_TABLES) and s not in TXN
        ] == []
        assert touches(on_primary, "lianxin_organizationuserpermission"), page
        assert not touches(on_replica, "lianxin_organizationuserpermission"), page
        # … and nothing is ever written to the standby.
        assert not [s for s in on_replica if s.lstrip().upper().startswith(WRITES)], page
        inserts = [s for s in touches(on_primary, "lianxin_disclosure") if s.startswith("INSERT")]
        assert len(inserts) == Disclosure.objects.count() - disclosures, page
        if page == "statistics_members":  # the standby's rows are the primary's
            assert "张三" in response.content.decode()
        if page == "roster_xlsx":
            rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
            assert any("张三" in row for row in rows)


def test_export_commands_read_from_the_replica(shared_standby, committed_world, tmp_path):
    for command in ("export_statistics", "export_roster", "export_register"):
        output = tmp_path / f"{command}.xlsx"
        with queries_per_alias() as (primary, standby):
            call_command(command, output=str(output), org=ORG["county"])
        assert output.stat().st_size > 0
        assert touches(sql(standby), "lianxin_organization"), command
        assert sql(primary) == [], command


def test_a_browser_that_just_wrote_reads_its_own_write(own_standby, committed_world):
    """With the standby's replay paused, the writer sees the change; another user still sees
    the standby's older copy — until replay resumes."""
    member = committed_world.case.member
    writer, reader = client_for(committed_world, "branch_a1"), client_for(committed_world, "county")
    url = reverse("reports:statistics_members") + f"?org={committed_world.orgs[ORG['branch_a1']].pk}&col=W"
    data = {k: v for k, v in model_to_dict(member, fields=MemberForm.Meta.fields).items() if v is not None}
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        response = writer.post(reverse("members:member_edit", args=[member.pk]), {**data, "name": "李四"})
        assert response.status_code == 302
        assert replica.PIN_COOKIE in response.cookies
        with queries_per_alias() as (primary, standby):
            own = writer.get(url).content.decode()
        assert "李四" in own and "张三" not in own
        assert sql(standby) == [] and touches(sql(primary), "members_member")
        with queries_per_alias() as (_primary, standby):
            other = reader.get(url).content.decode()
        assert "张三" in other and "李四" not in other  # the standby, replay paused
        assert touches(sql(standby), "members_member")
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replica()
    assert "李四" in reader.get(url).content.decode()


@pytest.mark.parametrize("persistent", [False, True], ids=["connect-refused", "open-connection-dies"])
def test_a_stopped_replica_degrades_to_the_primary_with_a_warning(
    own_standby, committed_world, caplog, monkeypatch, persistent
):
    if not os.environ.get("PG_REPLICA_DIR"):
        pytest.skip("stops the standby started by scripts/pg.sh")
    if persistent:  # the dead connection is found by Django's health check inside the view
        monkeypatch.setitem(connections["replica"].settings_dict, "CONN_MAX_AGE", 600)
    client = client_for(committed_world, "county")
    county = committed_world.orgs[ORG["county"]].pk
    statistics = reverse("reports:statistics") + f"?org={county}"
    assert client.get(statistics).status_code == 200  # the replica's connection is open
    standby_ctl("stop")
    try:
        with caplog.at_level("WARNING", logger="lianxin.replica"):
            with CaptureQueriesContext(connections["default"]) as primary:
                response = client.get(statistics)
            assert response.status_code == 200
            assert touches(sql(primary), "tracing_lostcontactcase")
            with CaptureQueriesContext(connections["default"]) as primary:
                roster = client.get(reverse("reports:roster_xlsx") + f"?org={county}")
            assert roster.status_code == 200
            assert touches(sql(primary), "members_member")
        # One warning for both pages: the breaker is open, the replica was not tried again.
        warnings = [r for r in caplog.records if r.name == "lianxin.replica"]
        assert len(warnings) == 1 and warnings[0].levelname == "WARNING"
        assert connections["replica"].connection is None
        assert "primary" in warnings[0].getMessage() and "张三" not in caplog.text
    finally:
        standby_ctl("start")
    replica.breaker_close()
    wait_for_replica()
    with queries_per_alias() as (_primary, standby):
        assert client.get(statistics).status_code == 200
    assert touches(sql(standby), "tracing_lostcontactcase")  # back on the replica
