"""Demo cases: each story member of fixtures/demo/people.json searched for, as the story says.

Cases are opened by the branch secretary, searched by the secretary and the 组织委员 (channel
texts in fixtures/demo/texts.json), closed as contacted, dead or unreachable; unreachable ones
get the committee's second search (登记表); two ask another committee's branch for 协查. The
county opens its half-yearly 排查 periods: the last three closed, the current one open.
Services write "today" as the day a case was opened or a 协查 asked; `backdate` sets the
story's day with the history saying so. Idempotent: a story member with a case is skipped.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianxin.demo import backdate, holder
from lianxin.models import Organization, Post, Role
from members import demo as members_demo
from members.models import Member
from tracing import services
from tracing.models import AttemptResult, CaseStatus, CensusPeriod, Channel, LostContactCase

TEXTS = members_demo.TEXTS
# A story's "result" (fixtures/demo) names how its case ended.
RESULTS = {
    status.value: status for status in (CaseStatus.CONTACTED, CaseStatus.DECEASED, CaseStatus.UNREACHABLE)
}


def reviewer(org):
    """The committee reviewer (党委审核人) whose post covers `org`."""
    post = (
        Post.objects.filter(
            role=Role.COMMITTEE_REVIEWER, organization__path__in=org.ancestor_paths(), ended_on__isnull=True
        )
        .select_related("user")
        .order_by("-organization__depth", "pk")
        .first()
    )
    return post.user if post else None


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


def story_member(story):
    return Member.objects.select_related("organization").get(
        organization__code=story["branch"], name=story["name"]
    )


def _search(case, spec, searchers, opened_on, end):
    """The branch's attempts, spread between the opening and the end of the search."""
    channels = spec["searches"]
    step = max((end - opened_on).days // (len(channels) + 1), 1)
    for index, channel in enumerate(channels):
        process, witness = TEXTS["attempts"][channel]
        services.attempt_log(
            case=case,
            acting_user=searchers[index % 2],
            channel=channel,
            process=process,
            witness=witness,
            result=AttemptResult.NO_TRACE,
            searched_at=_at(min(opened_on + timedelta(days=step * (index + 1)), end), 9 + index),
        )


def _close(case, spec, secretary, closed_on):
    result = RESULTS[spec["result"]]
    if result == CaseStatus.CONTACTED:
        services.attempt_log(
            case=case,
            acting_user=secretary,
            channel=spec["searches"][-1],
            process=spec["contact"],
            result=AttemptResult.CONTACTED,
            searched_at=_at(closed_on, 15),
        )
        services.case_close(
            case=case, acting_user=secretary, outcome=result, closed_on=closed_on, evidence=spec["contact"]
        )
    elif result == CaseStatus.DECEASED:
        services.attempt_log(
            case=case,
            acting_user=secretary,
            channel=spec["searches"][-1],
            process=spec["evidence"],
            result=AttemptResult.DEATH,
            searched_at=_at(closed_on, 15),
        )
        services.case_close(
            case=case, acting_user=secretary, outcome=result, closed_on=closed_on, evidence=spec["evidence"]
        )
    else:
        services.case_close(
            case=case, acting_user=secretary, outcome=result, closed_on=closed_on, findings=TEXTS["findings"]
        )


def _second_search(case, committee_user, done_on):
    process, findings = TEXTS["committee_search"]
    services.attempt_log(
        case=case,
        acting_user=committee_user,
        channel=Channel.POLICE,
        process=process,
        witness="县公安局户籍科",
        result=AttemptResult.NO_TRACE,
        by_committee=True,
        searched_at=_at(done_on - timedelta(days=10), 10),
    )
    services.second_search_complete(case=case, acting_user=committee_user, findings=findings, done_on=done_on)


def _assist(case, spec, secretary, today):
    to = Organization.objects.get(code=spec["to"])
    request = services.assistance_request(
        case=case, to_organization=to, text=spec["text"], acting_user=secretary
    )
    backdate(request, requested_on=members_demo.ago(spec["requested"], today))
    if "answered" in spec:
        request = services.assistance_answer(
            request=request, text=spec["answer"], acting_user=holder(to, "书记")
        )
        backdate(request, answered_on=members_demo.ago(spec["answered"], today))


def run_story(story, today):
    member = story_member(story)
    branch = member.organization
    secretary, officer = holder(branch, "书记"), holder(branch, "组织委员")
    for spec in story["cases"]:
        opened_on = members_demo.ago(spec["opened"], today)
        case = services.case_open(member=member, acting_user=secretary, reason=spec["reason"])
        case = backdate(case, opened_on=opened_on)
        closed_on = members_demo.ago(spec["closed"], today) if "closed" in spec else None
        _search(case, spec, [secretary, officer], opened_on, (closed_on or today) - timedelta(days=1))
        if closed_on:
            _close(case, spec, secretary, closed_on)
        if "second_search" in spec:
            _second_search(case, reviewer(branch), members_demo.ago(spec["second_search"], today))
        if "assist" in spec:
            _assist(case, spec["assist"], secretary, today)
        if story.get("resumes") and RESULTS[spec["result"]] == CaseStatus.CONTACTED:
            # Found again, the member is back at the branch's activities and pays dues.
            members_demo.resume(member, secretary, today, closed_on)


def census_periods(today):
    """The half-year 排查 periods: the current one (open) and the three before it (closed)."""
    half = (today.month - 1) // 6
    start = date(today.year, 1 + 6 * half, 1)
    periods = []
    for _ in range(4):
        end = date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31)
        periods.append((f"{start.year}年{'上' if start.month == 1 else '下'}半年失联党员排查", start, end))
        start = date(start.year - 1, 7, 1) if start.month == 1 else date(start.year, 1, 1)
    return periods


def seed(world, rng, stdout=None):
    today = timezone.localdate()
    county = world.users["county"]
    for name, starts_on, ends_on in census_periods(today):
        if not CensusPeriod.objects.filter(organization=world.root, name=name).exists():
            services.census_open(
                organization=world.root, name=name, starts_on=starts_on, ends_on=ends_on, acting_user=county
            )
    opened = 0
    for story in members_demo.PEOPLE["stories"]:
        mine = {"organization__code": story["branch"], "name": story["name"]}
        if not Member.objects.filter(**mine).exists():  # a database seeded by an older demo
            continue
        if LostContactCase.objects.filter(**{f"member__{k}": v for k, v in mine.items()}).exists():
            continue
        run_story(story, today)
        opened += len(story["cases"])
    if stdout and opened:
        stdout.write(f"  失联查找案件 {opened} 件")
