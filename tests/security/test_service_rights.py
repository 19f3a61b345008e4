"""Issue 14 item 4: every writing service checks the acting user's right itself.

The services are enumerated from the registry that `lianxin.service.service` fills, so a new
service without an entry in CALLS fails `test_every_service_has_a_call`; a function taking
`acting_user` that is not declared with @service fails `test_no_writing_function_escapes_the_registry`.

For each service: every user lacking the right (a view-only observer of the whole county, the
superuser, a secretary of another branch, and an in-scope user of the wrong tier) gets
PermissionDenied and the database is left exactly as it was (every row of every table, history
included); then the user holding the right makes the same call and it writes.
"""

import ast
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import disposition.services
import lianxin.delegations
import lianxin.jobs.services
import members.codes
import members.importing.service
import members.selfreports
import members.services
import reports.submissions
import tracing.services
from disposition.models import Decision, DispositionStatus
from disposition.outcomes import Outcome
from lianxin import perms
from lianxin.models import Role
from lianxin.posts import post_assign
from lianxin.service import REGISTRY
from members.models import Absence, Activity, AttendanceStatus, Contact, Transfer
from tests.factories import CaseFactory, MemberFactory
from tests.lianxin import job_kinds  # noqa: F401  (registers the test kinds of long work)
from tracing.models import AttemptResult, Channel

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
A1 = "610581001001"
SERVICE_MODULES = (members.services, members.importing.service, tracing.services, disposition.services)
SERVICE_MODULES += (
    reports.submissions,
    lianxin.delegations,
    members.codes,
    members.selfreports,
    lianxin.jobs.services,
)


def database_state():
    """Every row of every table (history included), as one digest per model."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "axes"}:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        state[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return state


def zz(world, code=A1):
    """The 组织委员 of a branch (seed_base gives every branch one)."""
    return get_user_model().objects.get(username=f"zz_{code}")


def secretary_of(code):
    return get_user_model().objects.get(username=f"sj_{code}")


def today():
    return timezone.localdate()


def member(world, **kw):
    return MemberFactory(organization=world.orgs[A1], **kw)


def closed_case(world, status="unreachable"):
    return CaseFactory(
        member=member(world), opened_by=world.users["branch_a1"], status=status, closed_on=today()
    )


def open_case(world):
    return CaseFactory(member=member(world), opened_by=world.users["branch_a1"])


def meeting(disposition_):
    expected = disposition.services.voters(disposition_.organization, excluding=disposition_.member)
    return {"meeting_date": today(), "present": expected, "votes_for": expected}


def proposed(world, outcome=Outcome.SUSPEND_UNREACHABLE):
    MemberFactory.create_batch(3, organization=world.orgs[A1])  # voters for the 党员大会
    return disposition.services.disposition_propose(
        case=closed_case(world), outcome=outcome, proposal="拟停止党籍", acting_user=zz(world)
    )


def decide(world, d, stage, user, decision=Decision.AGREE, **kw):
    d.refresh_from_db()
    return disposition.services.step_decide(
        disposition=d,
        stage=stage,
        decision=decision,
        opinion="同意",
        acting_user=world.users[user],
        meeting=meeting(d),
        **kw,
    )


def approved_suspension(world):
    d = proposed(world)
    for stage, user in (
        ("branch_committee", "branch_a1"),
        ("committee_pre", "committee_a"),
        ("general_meeting", "branch_a1"),
        ("committee_approval", "committee_a"),
    ):
        decide(world, d, stage, user)
    d.refresh_from_db()
    assert d.status == DispositionStatus.APPROVED
    return d


def returned(world):
    d = proposed(world)
    decide(world, d, "branch_committee", "branch_a1")
    decide(world, d, "committee_pre", "committee_a", Decision.RETURN, return_to="branch_committee")
    return d


def unreachable_with_committee_attempt(world):
    case = closed_case(world)
    tracing.services.attempt_log(
        case=case,
        acting_user=world.users["committee_a"],
        channel=Channel.POLICE,
        process="党委函请公安机关查询",
        result=AttemptResult.NO_TRACE,
        by_committee=True,
    )
    return case


def outgoing_transfer(world):
    m = member(world)
    return Transfer.objects.create(
        member=m,
        direction=Transfer.Direction.OUT,
        nature=Transfer.Nature.PERMANENT,
        phone=m.phone,
        destination="广东东莞",
        backup_contact="其兄 13900000000",
        other_organization="东莞市某党支部",
        talk_on=today() - timedelta(days=10),
        talk_record="谈话",
        letter_issued_on=today() - timedelta(days=10),
        recorded_by=world.users["branch_a1"],
    )


def assistance(world):
    return tracing.services.assistance_request(
        case=open_case(world),
        to_organization=world.orgs["610581003001"],
        text="请协助查找",
        acting_user=world.users["branch_a1"],
    )


def imported_batch(world):
    return members.importing.service.import_file(
        path=DATA / "roster_clean.xlsx",
        filename="roster_clean.xlsx",
        org=world.orgs[A1],
        acting_user=world.users["branch_a1"],
    ).batch


def submitted(world):
    return reports.submissions.submission_submit(
        organization=world.orgs[A1], as_of=today(), acting_user=world.users["branch_a1"]
    )


def presence(world):
    """A searched-for member and the activity they attended (the roll call's hook)."""
    case = open_case(world)
    activity = Activity.objects.create(
        organization=case.organization,
        kind="sanhui",
        title="支部党员大会",
        held_on=today(),
        recorded_by=world.users["branch_a1"],
    )
    return {"member": case.member, "activity": activity}


def pending_report(world):
    """A 成员自报 sent through the public page, waiting for the branch."""
    return members.selfreports.selfreport_receive(
        member=member(world), via="member_code", residence="广东东莞", phone="13900000003"
    )


def searched_member(world):
    return {
        "member": open_case(world).member,
        "on": today(),
        "kind": "selfreport",
        "note": "本人自报",
        "close": False,
    }


def secretary_post(world):
    return world.users["branch_a1"].posts.get(ended_on__isnull=True)


def delegation(world):
    from lianxin.models import Delegation

    return Delegation.objects.create(
        post=secretary_post(world),
        delegate=world.users["committee_a"],
        starts_on=today(),
        ends_on=today() + timedelta(days=7),
        reason="sick",
        created_by=world.users["branch_a1"],
    )


@dataclass
class Call:
    build: object  # world -> the keyword arguments, acting_user aside
    right: object  # username (or world -> user) holding the right
    wrong: tuple = ()  # in-scope usernames lacking it (besides the observer, the superuser, branch_a2)


def _absence(world):
    return Absence(member=member(world), left_on=today() - timedelta(days=3), destination="西安")


def _open_absence(world):
    return Absence.objects.create(
        member=member(world), left_on=today() - timedelta(days=30), destination="西安"
    )


def _transfer(world, direction):
    m = member(world)
    return Transfer(
        member=m,
        nature=Transfer.Nature.TEMPORARY,
        phone=m.phone,
        destination="西安",
        backup_contact="其妻 13900000001",
        other_organization="西安市某党支部",
        talk_on=today(),
        talk_record="谈心谈话",
        direction=direction,
    )


def finished_job(world):
    return lianxin.jobs.services.job_start(
        acting_user=world.users["branch_a1"],
        kind="test_rows",
        organization=world.orgs[A1],
        title="测试导出",
        params={"rows": 2},
    )


MANAGERS = ("committee_a", "county")  # in scope, without manage_members
SEARCHERS_NOT = ("county",)  # in scope, without log_search

CALLS = {
    "members.services.member_record_contact": Call(
        lambda w: {"member": member(w), "on": today()}, "branch_a1", MANAGERS
    ),
    "members.services.contact_record": Call(
        lambda w: {"member": member(w), "on": today(), "kind": "phone", "note": "电话联系上本人"},
        "branch_a1",
        SEARCHERS_NOT,
    ),
    "members.services.member_save": Call(
        lambda w: {"member": MemberFactory.build(organization=w.orgs[A1])}, "branch_a1", MANAGERS
    ),
    "members.services.activity_record": Call(
        lambda w: {
            "organization": w.orgs[A1],
            "kind": "sanhui",
            "title": "支部党员大会",
            "held_on": today(),
            "attendance": {member(w): AttendanceStatus.PRESENT},
        },
        "branch_a1",
        MANAGERS,
    ),
    "members.services.dues_record": Call(
        lambda w: {
            "member": member(w),
            "month": today().replace(day=1),
            "amount": Decimal("12.00"),
            "paid_on": today(),
        },
        "branch_a1",
        MANAGERS,
    ),
    "members.services.absence_record": Call(lambda w: {"absence": _absence(w)}, "branch_a1", MANAGERS),
    "members.services.absence_close": Call(
        lambda w: {"absence": _open_absence(w), "returned_on": today()}, "branch_a1", MANAGERS
    ),
    "members.services.contact_add": Call(
        lambda w: {"contact": Contact(member=member(w), name="王芳", relation="妻子", phone="13900000002")},
        "branch_a1",
        MANAGERS,
    ),
    "members.services.transfer_out": Call(
        lambda w: {"transfer": _transfer(w, Transfer.Direction.OUT)}, "branch_a1", MANAGERS
    ),
    "members.services.transfer_in": Call(
        lambda w: {"transfer": _transfer(w, Transfer.Direction.IN)}, "branch_a1", MANAGERS
    ),
    "members.services.receipt_record": Call(
        lambda w: {"transfer": outgoing_transfer(w), "received_on": today()}, "branch_a1", MANAGERS
    ),
    "members.services.follow_up_add": Call(
        lambda w: {"transfer": outgoing_transfer(w), "on": today(), "note": "电话催问回执"},
        "branch_a1",
        MANAGERS,
    ),
    "members.importing.service.import_file": Call(
        lambda w: {"path": DATA / "roster_clean.xlsx", "filename": "roster_clean.xlsx", "org": w.orgs[A1]},
        "branch_a1",
        MANAGERS,
    ),
    "members.importing.service.rollback": Call(
        lambda w: {"batch": imported_batch(w)}, "branch_a1", (*MANAGERS, "zz")
    ),
    "tracing.services.case_open": Call(
        lambda w: {"member": member(w), "reason": 1}, "branch_a1", SEARCHERS_NOT
    ),
    "tracing.services.case_update": Call(
        lambda w: {"case": open_case(w), "reason": 1, "reason_remark": "", "findings": "外出务工"},
        "branch_a1",
        SEARCHERS_NOT,
    ),
    "tracing.services.attempt_log": Call(
        lambda w: {
            "case": open_case(w),
            "channel": Channel.PHONE,
            "process": "拨打电话，无人接听",
            "result": AttemptResult.NO_TRACE,
        },
        "branch_a1",
        SEARCHERS_NOT,
    ),
    # The committee's second search: the branch secretary holds log_search, not review_committee.
    "tracing.services.attempt_log#second": Call(
        lambda w: {
            "case": closed_case(w),
            "channel": Channel.POLICE,
            "process": "党委函请公安机关查询",
            "result": AttemptResult.NO_TRACE,
            "by_committee": True,
        },
        "committee_a",
        ("branch_a1", "county"),
    ),
    "tracing.contact.case_contact_record": Call(
        lambda w: {"case": open_case(w), "on": today(), "kind": "phone", "note": "本人接听", "close": False},
        "branch_a1",
        SEARCHERS_NOT,
    ),
    "tracing.contact.record_presence": Call(presence, "branch_a1", SEARCHERS_NOT),
    "members.rollcall.record_presence": Call(presence, "branch_a1", MANAGERS),
    "tracing.services.case_close": Call(
        lambda w: {"case": open_case(w), "outcome": "contacted", "evidence": "本人来电"},
        "branch_a1",
        SEARCHERS_NOT,
    ),
    "tracing.services.second_search_complete": Call(
        lambda w: {"case": unreachable_with_committee_attempt(w), "findings": "再次查找无果"},
        "committee_a",
        ("branch_a1", "county"),
    ),
    "tracing.services.assistance_request": Call(
        lambda w: {"case": open_case(w), "to_organization": w.orgs["610581003001"], "text": "请协助"},
        "branch_a1",
        SEARCHERS_NOT,
    ),
    # Answered by the organization asked (its secretary), not by the branch that asked.
    "tracing.services.assistance_answer": Call(
        lambda w: {"request": assistance(w), "text": "已协助查询，无线索"},
        lambda w: secretary_of("610581003001"),
        ("branch_a1", "committee_a"),
    ),
    "tracing.services.census_open": Call(
        lambda w: {
            "organization": w.orgs[A1],
            "name": "2026年排查",
            "starts_on": today() - timedelta(days=30),
            "ends_on": today(),
        },
        "branch_a1",
    ),
    "disposition.services.disposition_propose": Call(
        lambda w: {"case": closed_case(w), "outcome": Outcome.LAPSED_REMOVE, "proposal": "拟除名"},
        "branch_a1",
        ("committee_a", "county"),
    ),
    "disposition.services.step_decide": Call(
        lambda w: {
            "disposition": proposed(w),
            "stage": "branch_committee",
            "decision": Decision.AGREE,
            "opinion": "同意",
            "meeting": {"meeting_date": today()},
        },
        "branch_a1",
        ("committee_a", "county"),
    ),
    "disposition.services.disposition_resubmit": Call(
        lambda w: {"disposition": returned(w), "proposal": "补充材料"}, "branch_a1", ("committee_a", "county")
    ),
    "disposition.services.disposition_withdraw": Call(
        lambda w: {"disposition": proposed(w), "reason": "情况有变"}, "branch_a1", ("committee_a", "county")
    ),
    "disposition.services.disposition_revoke": Call(
        lambda w: {"disposition": approved_suspension(w), "reason": "已查明联系"},
        "committee_a",
        ("branch_a1", "county"),
    ),
    "disposition.services.expulsion_record": Call(
        lambda w: {"case": closed_case(w), "decision": "县纪委〔2026〕1号", "decided_on": today()},
        "committee_a",
        ("branch_a1",),
    ),
    # 归队码 / 报到码 and 成员自报 (issue 17)
    "members.codes.member_code_rotate": Call(lambda w: {"member": member(w)}, "branch_a1", MANAGERS),
    "members.codes.branch_code_rotate": Call(lambda w: {"organization": w.orgs[A1]}, "branch_a1", MANAGERS),
    "members.selfreports.selfreport_confirm": Call(
        lambda w: {"report": pending_report(w)}, "branch_a1", MANAGERS
    ),
    "members.selfreports.selfreport_reject": Call(
        lambda w: {"report": pending_report(w), "reason": "核实不是本人"}, "branch_a1", MANAGERS
    ),
    "members.rollcall.record_contact": Call(searched_member, "branch_a1", SEARCHERS_NOT),
    "tracing.contact.record_contact": Call(searched_member, "branch_a1", SEARCHERS_NOT),
    # The holder delegates their own post (or the level above does): a colleague with the same
    # rights at the same branch may not.
    "lianxin.delegations.delegation_create": Call(
        lambda w: {
            "post": secretary_post(w),
            "delegate": w.users["committee_a"],
            "starts_on": today(),
            "ends_on": today() + timedelta(days=7),
            "reason": "travel",
        },
        "branch_a1",
        ("zz",),
    ),
    "lianxin.delegations.delegation_end": Call(lambda w: {"delegation": delegation(w)}, "branch_a1", ("zz",)),
    "members.services.talk_record": Call(
        lambda w: {
            "absence": _open_absence(w),
            "kind": "departure",
            "on": today() - timedelta(days=31),
            "talker": "刘桂兰",
            "record": "行前谈话",
        },
        "branch_a1",
        MANAGERS,
    ),
    "reports.submissions.submission_submit": Call(
        lambda w: {"organization": w.orgs[A1], "as_of": today()}, "branch_a1"
    ),
    "lianxin.jobs.services.job_start": Call(
        lambda w: {
            "kind": "test_rows",
            "organization": w.orgs[A1],
            "title": "测试导出",
            "params": {"rows": 2},
        },
        "branch_a1",
    ),
    # Downloading a finished job's file records a Disclosure; only its owner, with the right still.
    "lianxin.jobs.services.job_download": Call(
        lambda w: {"job": finished_job(w)}, "branch_a1", ("committee_a", "county")
    ),
    "reports.submissions.submission_return": Call(
        lambda w: {"submission": submitted(w), "reason": "人数有误"}, "committee_a", ("branch_a1",)
    ),
}


def test_every_service_has_a_call():
    assert {name.partition("#")[0] for name in CALLS} == set(REGISTRY)


def test_no_writing_function_escapes_the_registry():
    """Any function that takes `acting_user` as a keyword is a writing service: it must be declared."""
    escaped = []
    for app in ("lianxin", "members", "tracing", "disposition", "reports"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.FunctionDef):
                    continue
                if "acting_user" not in [a.arg for a in node.args.kwonlyargs]:
                    continue
                declared = any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", "") == "service"
                    for d in node.decorator_list
                )
                if not declared:
                    escaped.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not escaped, f"writing functions without @service(perm=…, on=…): {escaped}"


@pytest.fixture
def observer(world):
    """A user who may read the whole county and do nothing."""
    user = get_user_model().objects.create_user("observer", password="x-very-long-pass")
    post_assign(user=user, organization=world.orgs["610581"], title="督查员", role=Role.OBSERVER)
    return user


def _user(world, who):
    if callable(who):
        return who(world)
    if who == "zz":
        return zz(world)
    return world.users[who]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_user_without_the_right_is_refused_and_nothing_is_written(world, observer, name):
    call = CALLS[name]
    function = REGISTRY[name.partition("#")[0]].function
    kwargs = call.build(world)
    lacking = [observer, world.admin, world.users["branch_a2"]] + [_user(world, w) for w in call.wrong]
    for user in lacking:
        before = database_state()
        with pytest.raises(PermissionDenied):
            function(**kwargs, acting_user=user)
        assert database_state() == before, f"{name} wrote for {user.username}"
    before = database_state()
    function(**kwargs, acting_user=_user(world, call.right))
    assert database_state() != before, f"{name} wrote nothing for the user holding the right"


def test_a_service_without_an_acting_user_is_refused(world):
    with pytest.raises(PermissionDenied):
        tracing.services.case_open(member=member(world), reason=1, acting_user=None)


def test_a_superuser_holds_no_chain_right_but_reads_the_tree(world):
    from lianxin import access

    branch = world.orgs[A1]
    assert access.can(world.admin, perms.VIEW_SCOPE, branch)
    for perm in access.PERMISSIONS - {perms.VIEW_SCOPE}:
        assert not access.can(world.admin, perm, branch), perm
        assert not access.has_any(world.admin, perm), perm


def test_a_service_called_by_another_runs_under_the_outer_right(world):
    """The committee (log_search, no manage_members) closes a case as contacted: closing records
    the contact with the member (a members service) as part of the one action it may take."""
    case = open_case(world)
    tracing.services.case_close(
        case=case, outcome="contacted", evidence="本人来电", acting_user=world.users["committee_a"]
    )
    case.member.refresh_from_db()
    assert case.member.last_contact_on == today()
    with pytest.raises(PermissionDenied):
        members.services.member_record_contact(
            member=case.member, on=today(), acting_user=world.users["committee_a"]
        )
