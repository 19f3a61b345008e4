"""Issue 18 item 5: open work follows the post. A handover (换届, a secretary moving on) gives the
new holder every open item at once and leaves the one who left with none; a post left empty
sends its work to the level above; a delegation (出差, 病假) lends the post's work and rights
for its period, and what the delegate records says "由…代为办理" — on the case page, in the
chain, in the 全程纪实表."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from disposition import services as chain
from disposition.outcomes import Outcome
from lianxin import access, perms, todo
from lianxin.clock import add_months
from lianxin.delegations import delegation_create, delegation_end, sync_delegation_grants
from lianxin.digest import compose
from lianxin.models import Role
from lianxin.posts import post_assign, post_end, post_hand_over
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing import services as tracing
from tracing.models import AttemptResult, CaseStatus, Channel

DAY = timedelta(days=1)
A1, A2 = "610581001001", "610581001002"


def fresh(user):
    """The user as a new request sees them (grants are cached per user object)."""
    return get_user_model().objects.get(pk=user.pk)


def keys(user, today=None):
    return {entry.item.key for entry in todo.entries_for(fresh(user), today or timezone.localdate())}


def open_work(world, code):
    """A lost member with no case, an open case, and a disposition waiting on the branch."""
    today = timezone.localdate()
    lost = MemberFactory(
        organization=world.orgs[code], last_contact_on=add_months(today, -6) - DAY
    )  # lost today
    case = CaseFactory(
        member=MemberFactory(organization=world.orgs[code]),
        opened_by=world.users["branch_a1"],
        opened_on=today,
    )
    closed = CaseFactory(
        member=MemberFactory(organization=world.orgs[code]),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=today,
        second_search_done_on=today,
    )
    waiting = chain.disposition_propose(
        case=closed, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=branch_officer(code)
    )
    return {f"member_lost:{lost.pk}", f"case_open:{case.pk}", f"step_branch:{waiting.pk}"}


def test_handover_gives_the_new_holder_the_open_work_at_once(world):
    work = open_work(world, A2)
    old = world.users["branch_a2"]
    assert work <= keys(old)
    new = get_user_model().objects.create_user("new_secretary", first_name="新书记")
    post_hand_over(post=old.posts.get(ended_on__isnull=True), to_user=new)
    assert work <= keys(new)
    assert keys(old) == set()
    recipients = {d.user.username for d in compose(timezone.localdate())}
    assert "new_secretary" in recipients and "branch_a2" not in recipients


def test_a_post_left_empty_sends_its_work_to_the_level_above(world):
    work = open_work(world, A2)
    assert not work & keys(world.users["committee_a"])  # the branch answers for it
    for post in world.orgs[A2].posts.filter(ended_on__isnull=True):
        post_end(post=post)
    entries = todo.entries_for(fresh(world.users["committee_a"]), timezone.localdate())
    mine = {e.item.key: e.address.why for e in entries}
    assert all(mine.get(key) == "unstaffed" for key in work)


@pytest.fixture
def deputy(world):
    """A 副书记 who only reads (an observer post at the branch) until the secretary delegates."""
    user = get_user_model().objects.create_user("deputy", first_name="王副书记")
    post_assign(user=user, organization=world.orgs[A1], title="副书记", role=Role.OBSERVER)
    return user


def _delegate(world, deputy, starts_on=None, days=7):
    today = timezone.localdate()
    secretary = world.users["branch_a1"]
    return delegation_create(
        post=secretary.posts.get(ended_on__isnull=True),
        delegate=deputy,
        starts_on=starts_on or today,
        ends_on=(starts_on or today) + days * DAY,
        reason="sick",
        acting_user=secretary,
    )


def test_a_delegate_gets_the_posts_work_and_rights_for_the_period(world, deputy):
    work = open_work(world, A1)
    assert not access.can(fresh(deputy), perms.LOG_SEARCH, world.orgs[A1])
    assert not work & keys(deputy)
    delegation = _delegate(world, deputy)
    assert access.can(fresh(deputy), perms.DECIDE_BRANCH, world.orgs[A1])
    entries = [e for e in todo.entries_for(fresh(deputy), timezone.localdate()) if e.item.key in work]
    assert {e.item.key for e in entries} == work
    assert all(e.on_behalf_of.user == world.users["branch_a1"] for e in entries)
    digest = next(d for d in compose(timezone.localdate()) if d.user == deputy)
    assert "代刘桂兰（城关镇东街社区党支部书记）办理" in digest.text()
    delegation_end(delegation=delegation, acting_user=world.users["branch_a1"])
    assert not access.can(fresh(deputy), perms.LOG_SEARCH, world.orgs[A1])
    assert not work & keys(deputy)


def test_the_daily_job_starts_and_ends_delegations(world, deputy):
    tomorrow = timezone.localdate() + DAY
    _delegate(world, deputy, starts_on=tomorrow, days=2)
    assert not access.can(fresh(deputy), perms.MANAGE_MEMBERS, world.orgs[A1])
    sync_delegation_grants(today=tomorrow)
    assert access.can(fresh(deputy), perms.MANAGE_MEMBERS, world.orgs[A1])
    sync_delegation_grants(today=tomorrow + 3 * DAY)
    assert not access.can(fresh(deputy), perms.MANAGE_MEMBERS, world.orgs[A1])


def test_only_the_holder_or_the_level_above_arranges_a_delegation(world, deputy):
    post = world.users["branch_a1"].posts.get(ended_on__isnull=True)
    today = timezone.localdate()
    kwargs = {
        "post": post,
        "delegate": deputy,
        "starts_on": today,
        "ends_on": today + DAY,
        "reason": "travel",
    }
    with pytest.raises(PermissionDenied):  # a colleague at the same branch is not above it
        delegation_create(acting_user=branch_officer(A1), **kwargs)
    assert delegation_create(acting_user=world.users["committee_a"], **kwargs).delegate == deputy


def test_what_a_delegate_records_says_so(world, deputy, client_for, tmp_path):
    _delegate(world, deputy)
    member = MemberFactory(organization=world.orgs[A1], name="赵远")
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], opened_on=timezone.localdate())
    attempt = tracing.attempt_log(
        case=case,
        acting_user=fresh(deputy),
        channel=Channel.PHONE,
        process="拨打电话，无人接听",
        result=AttemptResult.NO_TRACE,
    )
    assert attempt.on_behalf_of.user == world.users["branch_a1"]
    own = tracing.attempt_log(
        case=case,
        acting_user=world.users["branch_a1"],
        channel=Channel.WECHAT,
        process="微信留言",
        result=AttemptResult.NO_TRACE,
    )
    assert own.on_behalf_of is None
    said = "由王副书记代为办理（城关镇东街社区党支部书记 刘桂兰）"
    page = client_for("branch_a1").get(reverse("tracing:case_detail", args=[case.pk])).content.decode()
    assert said in page

    closed = CaseFactory(
        member=MemberFactory(organization=world.orgs[A1]),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=timezone.localdate(),
        second_search_done_on=timezone.localdate(),
    )
    d = chain.disposition_propose(
        case=closed, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=branch_officer(A1)
    )
    step = chain.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="同意除名",
        acting_user=fresh(deputy),
        meeting={"meeting_date": timezone.localdate()},
    )
    assert step.on_behalf_of.user == world.users["branch_a1"]
    page = (
        client_for("committee_a").get(reverse("disposition:disposition_detail", args=[d.pk])).content.decode()
    )
    assert said in page
    if shutil.which("pdftotext"):
        response = client_for("committee_a").get(reverse("reports:record_pdf", args=[closed.pk]))
        path = tmp_path / "record.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        )
        assert re.sub(r"\s+", "", said) in re.sub(r"\s+", "", text.stdout)
