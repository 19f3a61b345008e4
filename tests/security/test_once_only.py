"""Issue 14 item 5: an action that may happen once happens once, however many clicks arrive at once.

On PostgreSQL four threads do the same action at the same moment: exactly one succeeds, the
others get the Chinese refusal, and the database holds one result. The rules are kept by a
database constraint where the domain allows one (one standing 名册 per unit and date, one open
case per member, one active disposition per case, one 开除党籍 per case) and by a row lock
(select_for_update) in the service before it reads what it checks.

On SQLite (one file, one writer at a time) writers queue instead of failing: WAL, transactions
that take the write lock when they begin, and a busy timeout (settings.SQLITE_OPTIONS).
"""

import random
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from disposition import services as chain
from disposition.models import Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import Outcome
from lianxin.demo import seed_base
from reports import submissions
from reports.models import Submission
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing import services as tracing
from tracing.models import CaseStatus, LostContactCase

A1 = "610581001001"
THREADS = 4


def at_once(action, n=THREADS):
    """Run `action` in n threads released together; returns "ok" or the refusal of each."""
    barrier = threading.Barrier(n)
    results, lock = [], threading.Lock()

    def run():
        try:
            barrier.wait()
            action()
            outcome = "ok"
        except ValidationError as exc:
            outcome = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 — anything else is a failure the assert will show
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results, key=lambda r: r != "ok")


def exactly_one(results, refusal):
    assert results[0] == "ok", results
    assert all(refusal in r for r in results[1:]), results


# Constraints and sequential refusals, on every database.


def test_a_second_submission_is_refused_and_a_returned_one_may_be_submitted_again(world):
    org, today, user = world.orgs[A1], timezone.localdate(), world.users["branch_a1"]
    first = submissions.submission_submit(organization=org, as_of=today, acting_user=user)
    with pytest.raises(ValidationError, match="已上报"):
        submissions.submission_submit(organization=org, as_of=today, acting_user=user)
    submissions.submission_return(submission=first, reason="人数有误", acting_user=world.users["committee_a"])
    submissions.submission_submit(organization=org, as_of=today, acting_user=user)
    assert Submission.objects.filter(organization=org, as_of=today).count() == 2
    assert Submission.objects.filter(organization=org, as_of=today, status="submitted").count() == 1


def test_the_database_holds_one_standing_submission(world):
    org, today, user = world.orgs[A1], timezone.localdate(), world.users["branch_a1"]
    submissions.submission_submit(organization=org, as_of=today, acting_user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            organization=org, as_of=today, rows=0, unit_name=org.name, submitted_by=user, file="x.xlsx"
        )


def test_an_expulsion_is_recorded_once(world):
    case = CaseFactory(
        member=MemberFactory(organization=world.orgs[A1]),
        opened_by=world.users["branch_a1"],
        status="unreachable",
        closed_on=timezone.localdate(),
    )
    args = {"case": case, "decision": "县纪委〔2026〕1号", "decided_on": timezone.localdate()}
    chain.expulsion_record(**args, acting_user=world.users["committee_a"])
    with pytest.raises(ValidationError, match="已登记开除党籍"):
        chain.expulsion_record(**args, acting_user=world.users["county"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Disposition.objects.create(
            case=case,
            member=case.member,
            organization=case.organization,
            outcome=Outcome.EXPEL,
            contacted=False,
            proposal="x",
            status=DispositionStatus.APPROVED,
            proposed_by=world.users["county"],
            proposed_on=timezone.localdate(),
        )


def test_a_return_from_absence_is_recorded_once(world):
    from members import services as members
    from members.models import Absence

    m = MemberFactory(organization=world.orgs[A1])
    absence = Absence.objects.create(member=m, left_on=timezone.localdate(), destination="西安")
    members.absence_close(
        absence=absence, returned_on=timezone.localdate(), acting_user=world.users["branch_a1"]
    )
    with pytest.raises(ValidationError, match="已登记返回"):
        members.absence_close(
            absence=absence, returned_on=timezone.localdate(), acting_user=world.users["branch_a1"]
        )


# Four at once, on PostgreSQL (SQLite has one writer at a time: nothing to race).


@pytest.fixture
def pg_world(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    return seed_base(random.Random(1))


def _closed_case(world, status="unreachable"):
    MemberFactory.create_batch(3, organization=world.orgs[A1])
    return CaseFactory(
        member=MemberFactory(organization=world.orgs[A1]),
        opened_by=world.users["branch_a1"],
        status=status,
        closed_on=timezone.localdate(),
    )


@pytest.mark.postgres
def test_four_submissions_at_once_leave_one(pg_world):
    org, today = pg_world.orgs[A1], timezone.localdate()
    results = at_once(
        lambda: submissions.submission_submit(
            organization=org, as_of=today, acting_user=pg_world.users["branch_a1"]
        )
    )
    exactly_one(results, "该排查日期的名册已上报")
    assert Submission.objects.filter(organization=org, as_of=today).count() == 1


@pytest.mark.postgres
def test_four_opens_of_one_member_leave_one_case(pg_world):
    member = MemberFactory(organization=pg_world.orgs[A1])
    results = at_once(
        lambda: tracing.case_open(member=member, reason=1, acting_user=pg_world.users["branch_a1"])
    )
    exactly_one(results, "已有正在查找的案件")
    assert LostContactCase.objects.filter(member=member).count() == 1


@pytest.mark.postgres
def test_four_closes_of_one_case_close_it_once(pg_world):
    case = CaseFactory(
        member=MemberFactory(organization=pg_world.orgs[A1]), opened_by=pg_world.users["branch_a1"]
    )
    results = at_once(
        lambda: tracing.case_close(
            case=case,
            outcome=CaseStatus.CONTACTED,
            evidence="本人来电",
            acting_user=pg_world.users["branch_a1"],
        )
    )
    exactly_one(results, "案件已结束")
    assert case.history.filter(status=CaseStatus.CONTACTED).count() == 1


@pytest.mark.postgres
def test_four_decisions_of_one_stage_make_one_step(pg_world):
    d = chain.disposition_propose(
        case=_closed_case(pg_world),
        outcome=Outcome.LAPSED_REMOVE,
        proposal="拟除名",
        acting_user=pg_world.users["branch_a1"],
    )
    results = at_once(
        lambda: chain.step_decide(
            disposition=d,
            stage="branch_committee",
            decision="agree",
            opinion="同意",
            acting_user=branch_officer(),
            meeting={"meeting_date": timezone.localdate()},
        )
    )
    exactly_one(results, "该环节已办理或尚未到达")
    assert DispositionStep.objects.filter(disposition=d).count() == 1


@pytest.mark.postgres
def test_four_resubmissions_resubmit_once(pg_world):
    d = chain.disposition_propose(
        case=_closed_case(pg_world),
        outcome=Outcome.LAPSED_REMOVE,
        proposal="初稿",
        acting_user=pg_world.users["branch_a1"],
    )
    chain.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="return",
        opinion="材料不全",
        acting_user=branch_officer(),
        meeting={"meeting_date": timezone.localdate()},
        return_to="branch_committee",
    )
    results = at_once(
        lambda: chain.disposition_resubmit(
            disposition=d, proposal="补充材料后", acting_user=pg_world.users["branch_a1"]
        )
    )
    exactly_one(results, "只有被退回的处置意见可以修改后重新提交")
    assert d.history.filter(status=DispositionStatus.IN_REVIEW, proposal="补充材料后").count() == 1


@pytest.mark.postgres
def test_four_proposals_for_one_case_make_one(pg_world):
    case = _closed_case(pg_world)
    results = at_once(
        lambda: chain.disposition_propose(
            case=case,
            outcome=Outcome.LAPSED_REMOVE,
            proposal="拟除名",
            acting_user=pg_world.users["branch_a1"],
        )
    )
    exactly_one(results, "不能重复提出")
    assert Disposition.objects.filter(case=case).count() == 1


@pytest.mark.postgres
def test_four_expulsions_of_one_case_record_one(pg_world):
    case = _closed_case(pg_world)
    results = at_once(
        lambda: chain.expulsion_record(
            case=case,
            decision="县纪委〔2026〕1号",
            decided_on=timezone.localdate(),
            acting_user=pg_world.users["committee_a"],
        )
    )
    exactly_one(results, "已登记开除党籍")
    assert Disposition.objects.filter(case=case).count() == 1


# SQLite: writers wait for each other.


def test_sqlite_writers_queue_instead_of_failing(tmp_path, django_db_blocker):
    """Four threads each add 1 to a counter 25 times, read-modify-write in a transaction, on a
    database file opened with the project's SQLite options: 100, and no "database is locked"."""
    with django_db_blocker.unblock():  # a database of its own, outside the test database
        alias = "sqlite_concurrency"
        connections.settings[alias] = connections.configure_settings(
            {
                "default": {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(tmp_path / "concurrency.sqlite3"),
                    "OPTIONS": dict(settings.SQLITE_OPTIONS),
                }
            }
        )["default"]
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE counter (n integer)")
                cursor.execute("INSERT INTO counter VALUES (0)")
                assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            connections[alias].close()

            def add_25():
                for _ in range(25):
                    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                        (n,) = cursor.execute("SELECT n FROM counter").fetchone()
                        cursor.execute("UPDATE counter SET n = %s", [n + 1])

            results = at_once(add_25)
            assert results == ["ok"] * THREADS
            with connections[alias].cursor() as cursor:
                assert cursor.execute("SELECT n FROM counter").fetchone()[0] == 100
        finally:
            connections[alias].close()
            del connections.settings[alias]
