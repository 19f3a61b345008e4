"""The demo county (`make demo`): two years of history that fill every form.

The demo takes seconds to seed, so one test seeds it once and runs each check below as a
subtest (with pytest-xdist a module-scoped fixture would be built again by every worker that
runs one of its tests). What it must show is read from fixtures/demo/people.json: each story
member's 统计表 column, each drift member's status.
"""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from disposition.chain import stages_for
from disposition.models import Decision, Disposition, DispositionStatus
from disposition.outcomes import Outcome
from lianxin.dashboard import TODO_PANELS, panels_for
from lianxin.demo import BACKDATED, seed
from lianxin.fixtures import FIXTURES_DIR, load
from members.demo import ago
from members.models import ContactStatus, Member
from members.services import member_refresh_status
from members.status import add_months
from reports import builders
from reports.models import Submission
from reports.relations import AT_MOST, COLUMNS, RELATIONS
from tracing.demo import census_periods
from tracing.models import AssistanceRequest, CaseStatus, CensusPeriod, LostContactCase

PEOPLE = load("demo/people.json")
README = (FIXTURES_DIR.parent / "README.md").read_text(encoding="utf-8")


def _expected_counts():
    """Each story member in its column and in every total above it (relations of the form)."""
    above = {part: total for total, parts in RELATIONS + AT_MOST for part in parts}
    counts = Counter()
    for story in PEOPLE["stories"]:
        column = story["column"]
        while column:
            counts[column] += 1
            column = above.get(column)
    return counts


def check_the_statistics_fill_every_column_with_the_six_relations_holding(demo, today):
    rows = builders.statistics_rows(demo.root, today, Member.objects.all())  # raises if a relation fails
    total = rows[-1].counts
    assert {c: total[c] for c in COLUMNS} == {c: _expected_counts()[c] for c in COLUMNS}
    assert sum(1 for c in COLUMNS if total[c]) >= 22
    assert all(total[c] > 0 for c in COLUMNS)  # all 24, in fact
    for parent, parts in RELATIONS:
        assert total[parent] == sum(total[p] for p in parts)
    assert total["D"] + total["E"] + total["F"] <= total["C"]
    ids = dict(Member.objects.values_list("name", "pk"))
    for story in PEOPLE["stories"]:
        assert ids[story["name"]] in rows[-1].members[story["column"]], story["name"]


def check_every_outcome_of_the_chain_is_in_the_demo(demo, today):
    approved = set(
        Disposition.objects.filter(status=DispositionStatus.APPROVED).values_list("outcome", flat=True)
    )
    assert approved == {o.value for o in Outcome}
    waiting = Disposition.objects.get(status=DispositionStatus.IN_REVIEW)
    assert waiting.current_stage == "department_pre"
    returned = Disposition.objects.get(steps__decision=Decision.RETURN)
    assert returned.status == DispositionStatus.APPROVED  # resubmitted, then decided again
    keys = [s.stage for s in returned.steps.order_by("pk")]
    assert keys[:2] == ["branch_committee", "committee_pre"] and keys[2] == "branch_committee"
    assert keys[2:] == [s.key for s in stages_for(returned.outcome)]


def check_a_member_suspended_then_restored_and_one_suspended_two_years_then_removed(demo, today):
    restored = Member.objects.get(name="郑卫东")
    assert list(restored.dispositions.order_by("approved_on").values_list("outcome", flat=True)) == [
        Outcome.SUSPEND_UNREACHABLE,
        Outcome.RESTORE,
    ]
    assert restored.party_status == "normal" and restored.contact_status == ContactStatus.NORMAL
    removed = Member.objects.get(name="韩德胜")
    suspended, lapsed = removed.dispositions.order_by("approved_on")
    assert (suspended.outcome, lapsed.outcome) == (Outcome.SUSPEND_UNREACHABLE, Outcome.LAPSED_REMOVE)
    assert (lapsed.approved_on - suspended.approved_on).days >= 2 * 365
    assert removed.party_status == "removed" and lapsed.rejoin_barred_until > today


def check_cases_end_every_way_and_the_register_has_rows(demo, today):
    statuses = Counter(LostContactCase.objects.values_list("status", flat=True))
    assert all(statuses[s] for s in CaseStatus.values)
    register = list(builders.register_rows(LostContactCase.objects.all(), today))
    expected = {s["name"] for s in PEOPLE["stories"] for case in s["cases"] if "second_search" in case}
    assert {row.name for row in register} == expected and len(register) >= 5
    waiting = LostContactCase.objects.filter(status=CaseStatus.UNREACHABLE, second_search_done_on=None)
    assert waiting.exists()  # one still waits for the committee's second search


def check_assistance_between_the_two_committees(demo, today):
    requests = list(AssistanceRequest.objects.select_related("case__organization", "to_organization"))
    assert len(requests) == 2
    for request in requests:
        assert request.case.organization.path[:8] != request.to_organization.path[:8]  # other committee
    assert sorted(bool(r.answered_on) for r in requests) == [False, True]


def check_census_periods_closed_and_one_open_and_submissions_level_by_level(demo, today):
    periods = list(CensusPeriod.objects.order_by("ends_on"))
    assert [p.ends_on >= today for p in periods] == [False, False, False, True]
    assert periods[0].starts_on >= today - timedelta(days=2 * 366)
    last = periods[-2].ends_on
    returned = Submission.objects.get(status=Submission.Status.RETURNED)
    assert returned.as_of == last and returned.return_reason and returned.returned_by
    assert Submission.objects.filter(
        organization=returned.organization, as_of=last, status=Submission.Status.SUBMITTED
    ).exists()
    submitted = set(
        Submission.objects.filter(as_of=last, status="submitted").values_list("organization__code", flat=True)
    )
    assert {"610581001", "610581002", "610581001003"} <= submitted
    assert "610581003" not in submitted  # the county sees one committee missing
    assert all(s.submitted_at.date() <= today for s in Submission.objects.all())


def check_statuses_come_out_of_the_records_by_the_rule(demo, today):
    for member in Member.objects.all():
        stored = (member.last_contact_on, member.contact_status)
        member_refresh_status(member, today=today, save=False)
        assert (member.last_contact_on, member.contact_status) == stored, member.name
    expected = {
        "warning": ContactStatus.WARNING,
        "roll_call_unreachable": ContactStatus.OUT_OF_CONTROL,
        "away_unreported": ContactStatus.OUT_OF_CONTROL,
        "lost": ContactStatus.LOST,
        "abroad": ContactStatus.LOST,
        "graduate": ContactStatus.NORMAL,
    }
    for person in PEOPLE["drift"]:
        member = Member.objects.get(name=person["name"])
        assert member.contact_status == expected[person["drift"]], member.name
        if person["drift"] != "roll_call_unreachable":
            assert member.last_contact_on == ago(person["last_seen"], today), member.name
    roster = Member.objects.exclude(name__in=[p["name"] for p in PEOPLE["drift"] + PEOPLE["stories"]])
    assert set(roster.values_list("contact_status", flat=True)) == {ContactStatus.NORMAL}


def check_the_history_is_in_the_past_and_says_what_was_backdated(demo, today):
    story = next(s for s in PEOPLE["stories"] if s["name"] == "周建国")
    case = LostContactCase.objects.get(member__name="周建国")
    assert case.opened_on == ago(story["cases"][0]["opened"], today)
    assert case.closed_on == ago(story["cases"][0]["closed"], today)
    assert case.history.filter(history_change_reason=BACKDATED).exists()
    assert case.history.earliest().history_user.username == "branch_a1"  # opened by the secretary
    disposition = case.dispositions.get()
    assert disposition.proposed_on == ago(story["dispositions"][0]["proposed"], today)
    assert disposition.proposed_by.username == "zz_610581001001"
    assert {s.acting_user.username for s in disposition.steps.all()} == {"branch_a1", "committee_a"}
    for model, field in (
        (LostContactCase, "opened_on"),
        (Disposition, "proposed_on"),
        (AssistanceRequest, "requested_on"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": today}).exists()
    oldest = LostContactCase.objects.order_by("opened_on").first().opened_on
    assert today - timedelta(days=3 * 366) < oldest < today - timedelta(days=2 * 365)


def check_every_workbench_panel_of_the_county_has_something(demo, today):
    # The apps' panels; the 待办 cards count what the overdue rules address to the county itself.
    todo_titles = {title for _tab, title, _level, _rank in TODO_PANELS}
    panels = [p for p in panels_for(demo.users["county"]) if p.title not in todo_titles]
    assert panels and all(p.count for p in panels), [(p.title, p.count) for p in panels]


def check_seeding_again_changes_nothing(demo, today):
    labels = {"lianxin", "members", "tracing", "disposition", "reports", "auth"}
    models = [m for m in apps.get_models() if m._meta.app_label in labels]
    before = {m._meta.label: m._default_manager.count() for m in models}
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert {m._meta.label: m._default_manager.count() for m in models} == before
    for login in ("county", "committee_a", "committee_b", "branch_a1", "branch_a2", "branch_b1", "admin"):
        assert login in out.getvalue()
    assert "党员" not in out.getvalue()  # nothing new to report


def check_the_demo_respects_separation_of_duties(demo, today):
    dispositions = Disposition.objects.exclude(outcome=Outcome.EXPEL).prefetch_related("steps")
    assert dispositions.filter(status=DispositionStatus.APPROVED).count() >= 15
    for d in dispositions:
        steps = list(d.steps.order_by("pk"))
        assert steps and all(s.acting_user_id != d.proposed_by_id for s in steps), d
        for earlier, later in zip(steps, steps[1:], strict=False):
            assert earlier.acting_user_id != later.acting_user_id or earlier.stage == later.stage, d


def check_self_reports_wait_and_were_decided(demo, today):
    from members.models import MemberCode, SelfReport

    status = dict(SelfReport.objects.values_list("member__name", "status"))
    assert status == {
        "曹晓燕": "pending",
        "汪海涛": "pending",
        "韦丽华": "confirmed",
        "卢洋": "confirmed",
        "曾志华": "rejected",
    }
    assert (
        Member.objects.get(name="韦丽华").residence == "华阳县城关镇东关社区幸福小区3号楼"
    )  # taken from her report
    assert SelfReport.objects.get(member__name="卢洋").contact_record.on == ago("60d", today)
    assert MemberCode.objects.filter(member__name="曾志华", revoked_at__isnull=False).exists()
    first = panels_for(demo.users["branch_a1"])[0]
    assert (first.title, first.count) == ("成员自报待确认", 1)


def check_the_demo_reports_what_it_made(demo, today):
    for what in ("党员 193 名", "失联查找案件 26 件", "组织处置 20 件", "名册上报"):
        assert what in demo.output


def check_the_statistics_hold_at_every_month_end_of_the_two_years(demo, today):
    totals = []
    for back in range(24, 0, -1):
        day = add_months(today.replace(day=1), -back + 1) - timedelta(days=1)
        totals.append(
            builders.statistics_rows(demo.root, day, Member.objects.all())[-1].counts
        )  # relations hold
    assert [t["A"] for t in totals] == sorted(t["A"] for t in totals)  # cases are only ever added
    assert 0 < totals[0]["A"] < totals[-1]["A"]


CHECKS = [
    check_the_statistics_fill_every_column_with_the_six_relations_holding,
    check_the_statistics_hold_at_every_month_end_of_the_two_years,
    check_every_outcome_of_the_chain_is_in_the_demo,
    check_a_member_suspended_then_restored_and_one_suspended_two_years_then_removed,
    check_cases_end_every_way_and_the_register_has_rows,
    check_assistance_between_the_two_committees,
    check_census_periods_closed_and_one_open_and_submissions_level_by_level,
    check_statuses_come_out_of_the_records_by_the_rule,
    check_the_history_is_in_the_past_and_says_what_was_backdated,
    check_every_workbench_panel_of_the_county_has_something,
    check_the_demo_respects_separation_of_duties,
    check_self_reports_wait_and_were_decided,
    check_the_demo_reports_what_it_made,
    check_seeding_again_changes_nothing,  # last: it seeds once more
]


def test_the_demo_county(db, subtests):
    out = io.StringIO()
    demo = seed(stdout=out)
    demo.output = out.getvalue()
    today = timezone.localdate()
    for check in CHECKS:
        with subtests.test(check.__name__.removeprefix("check_")):
            check(demo, today)


def test_the_readme_tells_which_member_shows_which_path():
    section = README.split("## The demo county", 1)[1].split("\n## ", 1)[0]
    for person in PEOPLE["stories"] + PEOPLE["drift"]:
        line = next((line for line in section.splitlines() if person["name"] in line), "")
        assert person["path"] in line and f"`{person['login']}`" in line, person["name"]
        if "column" in person:
            assert f"| {person['column']} |" in line, person["name"]
    numbers = section.split("| A | B |", 1)[1].splitlines()[2]  # the row under the letters
    expected = _expected_counts()
    assert numbers == "| " + " | ".join(str(expected[c]) for c in COLUMNS) + " |"


@pytest.mark.parametrize(
    ("day", "open_name", "closed"),
    [
        ("2026-11-30", "2026年下半年失联党员排查", ["2026年上半年", "2025年下半年", "2025年上半年"]),
        ("2027-01-05", "2027年上半年失联党员排查", ["2026年下半年", "2026年上半年", "2025年下半年"]),
        ("2026-06-30", "2026年上半年失联党员排查", ["2025年下半年", "2025年上半年", "2024年下半年"]),
    ],
)
def test_census_periods_follow_the_day_the_demo_is_seeded(day, open_name, closed):
    from datetime import date

    today = date.fromisoformat(day)
    periods = census_periods(today)
    assert periods[0][0] == open_name and periods[0][1] <= today <= periods[0][2]
    assert [name[:8] for name, *_d in periods[1:]] == closed
    assert all(end < today for _n, _s, end in periods[1:])
