"""Overdue rules of the members app: a member slipping away, a 回执 not back, a 三必谈 talk due,
a 成员自报 waiting for the branch.

Each is judged from the facts and today's date (not from the stored contact status), so the
lists are right even on a day the status refresh did not run.
"""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from lianxin import perms
from lianxin.clock import add_months, earliest_anchor
from lianxin.models import TIER_BRANCH, TIER_COMMITTEE
from lianxin.overdue import Clock, Line, Rule, limit, register
from members.models import Absence, AbsenceKind, Member, PartyStatus, SelfReport, SelfReportStatus, Transfer
from members.status import lost_threshold
from members.talks import Talk

ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]
MANAGE = perms.MANAGE_MEMBERS


def _member_url(member):
    return reverse("members:member_detail", args=[member.pk])


def _away_unreported(today):
    """An absence not reported to the branch, away longer than the 失控 threshold (Shaanxi 2)."""
    cutoff = earliest_anchor(today, months=limit("AWAY_UNREPORTED_MONTHS"))
    return Absence.objects.filter(
        member=OuterRef("pk"), returned_on__isnull=True, reported=False, left_on__lt=cutoff
    )


def _roll_call():
    """Marked 联系不上 at a roll-call and not reached since (Fuzhou 3)."""
    return Q(unreachable_since__isnull=False) & (
        Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=F("unreachable_since"))
    )


def out_of_control_q(today):
    """失控 by the facts: not reached since a roll-call, or away a month without reporting."""
    return _roll_call() | Exists(_away_unreported(today))


def _not_lost(today):
    return Q(last_contact_on__isnull=True) | Q(last_contact_on__gte=lost_threshold(today))


def warning_rows(today):
    return (
        Member.objects.filter(party_status__in=ACTIVE, last_contact_on__isnull=False)
        .filter(_not_lost(today))
        .exclude(out_of_control_q(today))
        .select_related("organization")
    )


def _member_line(detail):
    return lambda m, clock: Line(m.name, detail(m), _member_url(m), m.organization, member_pk=m.pk)


register(
    Rule(
        key="member_warning",
        title="预警：超过150天未联系",
        tier=TIER_BRANCH,
        perm=MANAGE,
        escalate_to=None,  # at six months it is 失联, and the 失联未立案 rule takes over
        source="预警 150 天不在种子文件中（失联前一个月提醒）；满六个月即失联（名册填表说明 2）",
        queryset=warning_rows,
        clocks=lambda: [
            Clock(anchor="last_contact_on", start_days=limit("WARNING_DAYS"), due_months=limit("LOST_MONTHS"))
        ],
        line=_member_line(lambda m: f"最近联系 {m.last_contact_on:%Y-%m-%d}，满六个月即失联"),
    )
)


def out_of_control_rows(today):
    first_away = Absence.objects.filter(member=OuterRef("pk"), returned_on__isnull=True, reported=False)
    return (
        Member.objects.filter(party_status__in=ACTIVE)
        .filter(_not_lost(today))
        .filter(out_of_control_q(today))
        .annotate(away_since=Subquery(first_away.order_by("left_on").values("left_on")[:1]))
        .select_related("organization")
    )


def _out_of_control_clocks():
    days, months = limit("OUT_OF_CONTROL_DAYS"), limit("AWAY_UNREPORTED_MONTHS")
    roll_call = _roll_call()
    return [
        Clock(anchor="unreachable_since", due_days=days, when=roll_call, label="失控：点名联系不上"),
        Clock(
            anchor="away_since",
            start_months=months,
            start_days=1,
            due_months=months,
            due_days=1 + days,
            when=~roll_call,
            label="失控：外出超过一个月未报告",
        ),
    ]


register(
    Rule(
        key="member_out_of_control",
        title="失控党员",
        tier=TIER_BRANCH,
        perm=MANAGE,
        escalate_to=TIER_COMMITTEE,
        source="陕西第二条（外出超过一个月且未报告）、福州第三条（联系不上时第一时间查找）；7 天内联系不在种子文件中",
        queryset=out_of_control_rows,
        clocks=_out_of_control_clocks,
        line=_member_line(lambda m: "主动寻找联系，联系上后登记"),
    )
)


def receipt_rows(today):
    return (
        Transfer.objects.filter(direction=Transfer.Direction.OUT, receipt_received_on__isnull=True)
        .exclude(member__party_status=PartyStatus.TRANSFERRED_OUT)
        .annotate(sent_on=Coalesce("letter_issued_on", "talk_on"))
        .select_related("member__organization")
    )


register(
    Rule(
        key="transfer_receipt",
        title="介绍信回执未收回",
        tier=TIER_BRANCH,
        perm=MANAGE,
        escalate_to=TIER_COMMITTEE,
        source="陕西第八条“不落实、不放手”、福州第三条回执制度；30 天不在种子文件中",
        queryset=receipt_rows,
        clocks=lambda: [Clock(anchor="sent_on", due_days=limit("RECEIPT_DAYS"))],
        org_field="member__organization",
        line=lambda t, clock: Line(
            t.member.name,
            f"转往{t.other_organization}，{t.sent_on:%Y-%m-%d} 开具",
            reverse("members:transfer_receipt", args=[t.pk]),
            t.member.organization,
            view_url=_member_url(t.member),
            member_pk=t.member_id,
        ),
    )
)


def talk_rows(today):
    """Absences (外出, 出国（境）) whose talk before leaving, or after coming back, is missing.
    A departure or a return more than LOST_MONTHS ago is no longer chased (the moment for the
    talk has passed; the member's own clocks go on)."""
    departure = Talk.objects.filter(absence=OuterRef("pk"), kind=Talk.Kind.DEPARTURE)
    back = Talk.objects.filter(absence=OuterRef("pk"), kind=Talk.Kind.RETURN)
    recent = add_months(today, -limit("LOST_MONTHS"))
    return (
        Absence.objects.filter(
            kind__in=[AbsenceKind.AWAY, AbsenceKind.ABROAD], member__party_status__in=ACTIVE
        )
        .alias(talked_before=Exists(departure), talked_after=Exists(back))
        .filter(
            Q(returned_on__isnull=True, left_on__gte=recent, talked_before=False)
            | Q(returned_on__gte=recent, talked_after=False)
        )
        .select_related("member__organization")
    )


def _talk_url(absence, kind):
    return reverse("members:talk_add", args=[absence.pk]) + f"?kind={kind}"


register(
    Rule(
        key="talk_due",
        title="三必谈",
        tier=TIER_BRANCH,
        perm=MANAGE,
        escalate_to=TIER_COMMITTEE,
        source="陕西第五、十条，福州第八条（“行前”“回归”谈话）；返回后 15 天内不在种子文件中",
        queryset=talk_rows,
        clocks=lambda: [
            # Before leaving: work from a month ahead, due the day the member leaves.
            Clock(anchor="left_on", start_days=-30, when=Q(returned_on__isnull=True), label="外出前谈话"),
            Clock(
                anchor="returned_on",
                due_days=limit("RETURN_TALK_DAYS"),
                when=Q(returned_on__isnull=False),
                label="返回后谈话",
            ),
        ],
        org_field="member__organization",
        line=lambda a, clock: Line(
            a.member.name,
            f"{a.get_kind_display()} {a.destination}，"
            + (f"{a.left_on:%Y-%m-%d} 外出" if a.returned_on is None else f"{a.returned_on:%Y-%m-%d} 返回"),
            _talk_url(a, Talk.Kind.DEPARTURE if a.returned_on is None else Talk.Kind.RETURN),
            a.member.organization,
            view_url=_member_url(a.member),
            member_pk=a.member_id,
        ),
    )
)


def self_report_rows(today):
    """成员自报 waiting for the branch to call the member back and confirm or reject."""
    return (
        SelfReport.objects.filter(status=SelfReportStatus.PENDING)
        .annotate(received_on=TruncDate("received_at"))
        .select_related("member__organization")
    )


register(
    Rule(
        key="self_report_pending",
        title="成员自报待确认",
        tier=TIER_BRANCH,
        perm=MANAGE,
        escalate_to=TIER_COMMITTEE,
        source="党员通过归队码/报到码自报，党支部电话核实后确认或驳回；3 天内处理不在种子文件中",
        queryset=self_report_rows,
        clocks=lambda: [Clock(anchor="received_on", due_days=limit("SELF_REPORT_DAYS"))],
        org_field="member__organization",
        line=lambda r, clock: Line(
            r.member.name,
            f"{r.received_on:%Y-%m-%d} 通过{r.get_via_display()}自报，电话核实后确认或驳回",
            reverse("members:selfreport_detail", args=[r.pk]),
            r.member.organization,
            member_pk=r.member_id,
        ),
    )
)
