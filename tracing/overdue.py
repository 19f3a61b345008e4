"""Overdue rules of tracing: a 失联 member with no case, a case sitting still, the committee's
second search not begun or not going on."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse

from lianxin import perms
from lianxin.models import TIER_BRANCH, TIER_COMMITTEE, TIER_DEPARTMENT
from lianxin.overdue import Clock, Line, Rule, limit, register
from members.models import Member, PartyStatus
from members.status import lost_threshold
from tracing.models import CaseStatus, LostContactCase, SearchAttempt

ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]
LOG = perms.LOG_SEARCH


def lost_rows(today):
    """失联 members (over six months, judged from today) with no case under way."""
    return (
        Member.objects.filter(party_status__in=ACTIVE, last_contact_on__lt=lost_threshold(today))
        .exclude(cases__status__in=[CaseStatus.OPEN, CaseStatus.UNREACHABLE])
        .select_related("organization")
    )


register(
    Rule(
        key="member_lost",
        title="失联未立案查找",
        tier=TIER_BRANCH,
        perm=LOG,
        escalate_to=TIER_COMMITTEE,
        source="失联：超过六个月未联系（名册填表说明 2、附件5 A 栏）；7 天内立案不在种子文件中",
        queryset=lost_rows,
        clocks=lambda: [
            # Lost from the day after six months; a case is due LOST_CASE_DAYS later.
            Clock(
                anchor="last_contact_on",
                start_months=limit("LOST_MONTHS"),
                start_days=1,
                due_months=limit("LOST_MONTHS"),
                due_days=1 + limit("LOST_CASE_DAYS"),
            )
        ],
        line=lambda m, clock: Line(
            m.name,
            f"最近联系 {m.last_contact_on:%Y-%m-%d}，应立案查找",
            reverse("tracing:case_open", args=[m.pk]),
            m.organization,
            view_url=reverse("members:member_detail", args=[m.pk]),
            member_pk=m.pk,
        ),
    )
)


def _latest_attempt(by_committee):
    attempts = SearchAttempt.objects.filter(case=OuterRef("pk"), by_committee=by_committee)
    return Subquery(attempts.order_by("-searched_at").annotate(on=TruncDate("searched_at")).values("on")[:1])


def open_case_rows(today):
    return (
        LostContactCase.objects.filter(status=CaseStatus.OPEN)
        .annotate(last_attempt_on=_latest_attempt(False))
        .select_related("member", "organization")
    )


def _case_line(detail):
    def line(case, clock):
        url = reverse("tracing:case_detail", args=[case.pk])
        return Line(case.member.name, detail(case), url, case.organization, member_pk=case.member_id)

    return line


register(
    Rule(
        key="case_open",
        title="查找中的案件",
        tier=TIER_BRANCH,
        perm=LOG,
        escalate_to=TIER_COMMITTEE,
        source="福州第三条“第一时间进行联系查找”、附件4 全程纪实；7 天、30 天不在种子文件中",
        queryset=open_case_rows,
        clocks=lambda: [
            Clock(
                anchor="opened_on",
                due_days=limit("CASE_FIRST_ATTEMPT_DAYS"),
                when=Q(last_attempt_on__isnull=True),
                label="立案后尚未查找",
            ),
            Clock(
                anchor="last_attempt_on",
                due_days=limit("CASE_IDLE_DAYS"),
                when=Q(last_attempt_on__isnull=False),
                label="查找中：按时继续查找",
            ),
        ],
        line=_case_line(
            lambda c: (
                f"{c.opened_on:%Y-%m-%d} 立案"
                + (f"，最近查找 {c.last_attempt_on:%Y-%m-%d}" if c.last_attempt_on else "，尚无查找记录")
            )
        ),
    )
)


def second_search_rows(today):
    return (
        LostContactCase.objects.filter(status=CaseStatus.UNREACHABLE, second_search_done_on__isnull=True)
        .annotate(committee_attempt_on=_latest_attempt(True))
        .select_related("member", "organization")
    )


register(
    Rule(
        key="second_search",
        title="党委再次查找",
        tier=TIER_COMMITTEE,
        perm=perms.REVIEW_COMMITTEE,
        escalate_to=TIER_DEPARTMENT,
        source="登记表填表说明 1（党（工）委再次深入查找）；30 天不在种子文件中",
        queryset=second_search_rows,
        clocks=lambda: [
            Clock(
                anchor="closed_on",
                due_days=limit("SECOND_SEARCH_DAYS"),
                when=Q(committee_attempt_on__isnull=True),
                label="待党委再次查找（尚未开始）",
            ),
            Clock(
                anchor="committee_attempt_on",
                due_days=limit("CASE_IDLE_DAYS"),
                when=Q(committee_attempt_on__isnull=False),
                label="党委再次查找中",
            ),
        ],
        line=_case_line(lambda c: f"{c.closed_on:%Y-%m-%d} 经多方努力确实无法取得联系"),
    )
)
