"""Each overdue rule (lianxin/overdue.py and each app's overdue.py) on a frozen clock: the day is
injected, never read from the calendar. For every rule: not yet work the day before it starts;
work (待办) from its start; 即将到期 in the last SOON_DAYS; 超期 the day after its deadline; who
answers for it (the desk's posts), and the level above told ESCALATE_DAYS after the deadline.
Every date is counted from BASE = today, so nothing ages."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from lianxin import overdue
from lianxin.addressing import ESCALATED, address_all
from lianxin.clock import add_months
from members.models import Absence, AbsenceKind, PartyStatus, Transfer
from members.talks import Talk
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing.models import CaseStatus, Channel, SearchAttempt

DAY = timedelta(days=1)
BASE = timezone.localdate()
A1 = "610581001001"
ESC = overdue.limit("ESCALATE_DAYS")
SOON = overdue.limit("SOON_DAYS")


def found(rule, today):
    """{pk: item} of the rule's work on `today`, addressed."""
    items = address_all(overdue.items(overdue.RULES[rule], today), today)
    return {item.pk: item for item in items}


def who(item):
    return {address.user.username: address.why for address in item.addressees}


def sql_agrees(rule, today):
    """The one-query count by unit says as many are overdue as the items' own deadlines."""
    from lianxin.models import Organization

    root = Organization.objects.get(depth=1).path
    items = overdue.items(overdue.RULES[rule], today)
    late, total = overdue.unit_counts(overdue.RULES[rule], today, under=[root], depth=1).get(root, (0, 0))
    return late == sum(1 for i in items if i.tab(today) == overdue.OVERDUE) and total == len(items)


def walk(rule, pk, start, due, *, ends_at_due=False):
    """The item's life: absent the day before `start`, 待办/即将到期 until `due`, 超期 after
    (or, `ends_at_due`, handed to another rule)."""
    assert pk not in found(rule, start - DAY)
    item = found(rule, start)[pk]
    assert (item.starts_on, item.due_on) == (start, due)
    if (due - start).days > SOON:
        assert item.tab(start) == overdue.TODO
    assert found(rule, due - SOON * DAY)[pk].tab(due - SOON * DAY) == overdue.SOON
    assert found(rule, due)[pk].tab(due) == overdue.SOON
    if ends_at_due:
        assert pk not in found(rule, due + DAY)
    else:
        assert found(rule, due + DAY)[pk].tab(due + DAY) == overdue.OVERDUE
    for day in (start, due, due + DAY):
        assert sql_agrees(rule, day)
    return item


def escalation(rule, pk, due, desk, above):
    """The desk alone until ESCALATE_DAYS past the deadline; then the level above too."""
    assert above not in who(found(rule, due + ESC * DAY)[pk])
    late = who(found(rule, due + (ESC + 1) * DAY)[pk])
    assert desk in late and late[above] == ESCALATED


def test_warning_from_day_150_until_six_months(world):
    member = MemberFactory(organization=world.orgs[A1], last_contact_on=BASE)
    six_months = add_months(BASE, 6)
    item = walk("member_warning", member.pk, BASE + 150 * DAY, six_months, ends_at_due=True)
    assert {"branch_a1", "zz_" + A1} == set(who(item))  # the branch's secretary and committee member
    # The day after six months the member is 失联: the warning gives way to 失联未立案.
    assert member.pk in found("member_lost", six_months + DAY)


def test_lost_without_case_then_the_committee(world):
    member = MemberFactory(organization=world.orgs[A1], last_contact_on=BASE)
    lost_on = add_months(BASE, 6) + DAY
    due = lost_on + overdue.limit("LOST_CASE_DAYS") * DAY
    walk("member_lost", member.pk, lost_on, due)
    escalation("member_lost", member.pk, due, "branch_a1", "committee_a")
    CaseFactory(member=member, opened_by=world.users["branch_a1"], opened_on=lost_on)
    assert member.pk not in found("member_lost", due)  # a case under way is the case's rule


def test_out_of_control_at_a_roll_call(world):
    member = MemberFactory(
        organization=world.orgs[A1], last_contact_on=BASE - 20 * DAY, unreachable_since=BASE
    )
    due = BASE + overdue.limit("OUT_OF_CONTROL_DAYS") * DAY
    walk("member_out_of_control", member.pk, BASE, due)
    escalation("member_out_of_control", member.pk, due, "branch_a1", "committee_a")
    assert member.pk not in found("member_warning", BASE + 140 * DAY)  # 失控 comes before 预警


def test_out_of_control_after_a_month_away_unreported(world):
    member = MemberFactory(organization=world.orgs[A1], last_contact_on=BASE)
    Absence.objects.create(member=member, left_on=BASE, destination="广东东莞")
    start = add_months(BASE, 1) + DAY  # away more than one month (Shaanxi 2)
    walk("member_out_of_control", member.pk, start, start + overdue.limit("OUT_OF_CONTROL_DAYS") * DAY)


def test_case_first_attempt_then_every_month(world):
    case = CaseFactory(member=MemberFactory(organization=world.orgs[A1]), opened_by=world.users["branch_a1"])
    case.opened_on = BASE
    case.save()
    first = BASE + overdue.limit("CASE_FIRST_ATTEMPT_DAYS") * DAY
    item = walk("case_open", case.pk, BASE, first)
    assert item.label == "立案后尚未查找"
    escalation("case_open", case.pk, first, "branch_a1", "committee_a")
    at = timezone.make_aware(datetime.combine(BASE + 3 * DAY, time(10)))
    SearchAttempt.objects.create(
        case=case,
        searched_at=at,
        searcher=world.users["branch_a1"],
        channel=Channel.PHONE,
        process="电话",
        result="no_trace",
    )
    item = found("case_open", first + DAY)[case.pk]
    assert item.due_on == BASE + (3 + overdue.limit("CASE_IDLE_DAYS")) * DAY
    assert item.tab(first + DAY) == overdue.TODO  # an attempt restarts the clock


def test_second_search_lands_on_the_committee(world):
    case = CaseFactory(
        member=MemberFactory(organization=world.orgs[A1]),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=BASE,
    )
    due = BASE + overdue.limit("SECOND_SEARCH_DAYS") * DAY
    item = walk("second_search", case.pk, BASE, due)
    assert set(who(item)) == {"committee_a"}
    escalation("second_search", case.pk, due, "committee_a", "county")


def _disposition(world, stage, since, status=DispositionStatus.IN_REVIEW, outcome=Outcome.LAPSED_REMOVE):
    case = CaseFactory(
        member=MemberFactory(organization=world.orgs[A1]),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=since,
        second_search_done_on=since,
    )
    return Disposition.objects.create(
        case=case,
        member=case.member,
        organization=case.organization,
        outcome=outcome,
        contacted=False,
        proposal="拟作自行脱党除名",
        proposed_by=world.users["branch_a1"],
        proposed_on=since,
        current_stage=stage,
        stage_since=since,
        status=status,
    )


def test_disposition_not_proposed_after_the_second_search(world):
    case = CaseFactory(
        member=MemberFactory(organization=world.orgs[A1]),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=BASE - 40 * DAY,
        second_search_done_on=BASE,
    )
    walk("disposition_due", case.pk, BASE, BASE + overdue.limit("PROPOSAL_DAYS") * DAY)


def test_a_stage_waits_at_most_its_days_then_the_level_above_is_told(world):
    d = _disposition(world, "committee_pre", BASE)
    due = BASE + overdue.limit("STAGE_DAYS") * DAY
    item = walk("step_committee", d.pk, BASE, due)
    assert set(who(item)) == {"committee_a"}
    escalation("step_committee", d.pk, due, "committee_a", "county")


def test_the_branch_meeting_has_a_quarter_and_the_proposer_decides_nothing(world):
    d = _disposition(world, "general_meeting", BASE)
    item = walk("step_branch", d.pk, BASE, BASE + overdue.limit("MEETING_STAGE_DAYS") * DAY)
    # branch_a1 proposed it: the branch's other committee member is the one to decide
    assert set(who(item)) == {"zz_" + A1}


def test_a_returned_disposition_waits_on_the_branch(world):
    d = _disposition(world, "committee_pre", BASE, status=DispositionStatus.RETURNED)
    assert d.pk not in found("step_committee", BASE)
    item = walk("step_branch", d.pk, BASE, BASE + overdue.limit("STAGE_DAYS") * DAY)
    assert item.label == "退回修改，待重新提交" and "branch_a1" in who(item)


def test_department_stage_escalates_to_nobody_above_a_county_but_is_never_lost(world):
    d = _disposition(world, "department_pre", BASE)
    item = found("step_department", BASE + 60 * DAY)[d.pk]
    assert set(who(item)) == {"county"}


def test_transfer_receipt_not_back(world):
    member = MemberFactory(organization=world.orgs[A1])
    transfer = Transfer.objects.create(
        member=member,
        direction=Transfer.Direction.OUT,
        nature=Transfer.Nature.PERMANENT,
        other_organization="东莞市某党支部",
        talk_on=BASE - 2 * DAY,
        talk_record="谈话",
        letter_issued_on=BASE,
        recorded_by=world.users["branch_a1"],
    )
    due = BASE + overdue.limit("RECEIPT_DAYS") * DAY
    walk("transfer_receipt", transfer.pk, BASE, due)
    escalation("transfer_receipt", transfer.pk, due, "branch_a1", "committee_a")
    transfer.receipt_received_on = BASE + DAY
    transfer.save()
    assert transfer.pk not in found("transfer_receipt", due + DAY)


def _talk(world, absence, kind, on):
    return Talk.objects.create(
        member=absence.member,
        absence=absence,
        kind=kind,
        on=on,
        talker="刘桂兰",
        record="谈话",
        recorded_by=world.users["branch_a1"],
    )


def test_talk_before_leaving_and_after_coming_back(world):
    member = MemberFactory(organization=world.orgs[A1])
    leaving = BASE + 40 * DAY
    absence = Absence.objects.create(
        member=member, kind=AbsenceKind.AWAY, left_on=leaving, destination="西安"
    )
    item = walk("talk_due", absence.pk, leaving - 30 * DAY, leaving)
    assert item.label == "外出前谈话"
    _talk(world, absence, Talk.Kind.DEPARTURE, leaving - 5 * DAY)
    assert absence.pk not in found("talk_due", leaving)
    back = leaving + 60 * DAY
    absence.returned_on = back
    absence.save()
    item = walk("talk_due", absence.pk, back, back + overdue.limit("RETURN_TALK_DAYS") * DAY)
    assert item.label == "返回后谈话"
    _talk(world, absence, Talk.Kind.RETURN, back + DAY)
    assert absence.pk not in found("talk_due", back + DAY)


def test_suspended_two_years(world):
    d = _disposition(world, "", BASE, status=DispositionStatus.APPROVED, outcome=Outcome.SUSPEND_UNREACHABLE)
    d.approved_on = BASE
    d.save()
    d.member.party_status = PartyStatus.SUSPENDED
    d.member.save()
    two_years = add_months(BASE, overdue.limit("SUSPENSION_MONTHS"))
    walk("suspended_two_years", d.pk, two_years - 30 * DAY, two_years + overdue.limit("PROPOSAL_DAYS") * DAY)


@pytest.mark.parametrize("name", ["WARNING_DAYS", "LOST_MONTHS"])
def test_thresholds_come_from_the_settings(world, settings, name):
    member = MemberFactory(organization=world.orgs[A1], last_contact_on=BASE)
    settings.LIANXIN = {**settings.LIANXIN, "OVERDUE": {**settings.LIANXIN["OVERDUE"], name: 3}}
    if name == "WARNING_DAYS":
        assert member.pk in found("member_warning", BASE + 3 * DAY)
    else:
        assert member.pk in found("member_lost", add_months(BASE, 3) + DAY)


def test_every_rule_names_its_desk_and_its_source():
    assert {rule.key for rule in overdue.rules()} >= {
        "member_warning",
        "member_out_of_control",
        "member_lost",
        "case_open",
        "second_search",
        "disposition_due",
        "step_branch",
        "step_committee",
        "step_department",
        "transfer_receipt",
        "talk_due",
        "suspended_two_years",
    }
    for rule in overdue.rules():
        assert rule.tier in ("branch", "committee", "department") and rule.source and rule.clocks()


def test_the_officer_of_record_is_a_branch_committee_member(world):
    assert branch_officer().posts.get(ended_on__isnull=True).organization.code == A1
