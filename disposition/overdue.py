"""Overdue rules of the chain: a disposition not proposed after the second search, a stage
waiting longer than it may, a 停止党籍 member's two years."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from disposition.chain import STAGES
from disposition.models import Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import Outcome
from lianxin import perms
from lianxin.models import TIER_BRANCH, TIER_COMMITTEE, TIER_DEPARTMENT
from lianxin.overdue import Clock, Line, Rule, limit, register
from members.models import PartyStatus
from tracing.models import CaseStatus, LostContactCase

ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]
BRANCH = perms.DECIDE_BRANCH


def undisposed_rows(today):
    """Cases still unreachable after the committee's second search, with nothing decided or
    under way for the member."""
    decided = Disposition.objects.filter(
        case=OuterRef("pk"),
        status__in=[DispositionStatus.IN_REVIEW, DispositionStatus.RETURNED, DispositionStatus.APPROVED],
    )
    return (
        LostContactCase.objects.filter(
            status=CaseStatus.UNREACHABLE,
            second_search_done_on__isnull=False,
            member__party_status__in=ACTIVE,
        )
        .exclude(Exists(decided))
        .select_related("member", "organization")
    )


register(
    Rule(
        key="disposition_due",
        title="待提出组织处置意见",
        tier=TIER_BRANCH,
        perm=BRANCH,
        escalate_to=TIER_COMMITTEE,
        source="附件4 支委会初步处置意见、福州第十条；30 天不在种子文件中",
        queryset=undisposed_rows,
        clocks=lambda: [Clock(anchor="second_search_done_on", due_days=limit("PROPOSAL_DAYS"))],
        line=lambda c, clock: Line(
            c.member.name,
            f"党委再次查找 {c.second_search_done_on:%Y-%m-%d} 完成，仍无法取得联系",
            reverse("disposition:disposition_propose", args=[c.pk]),
            c.organization,
            view_url=reverse("tracing:case_detail", args=[c.pk]),
            member_pk=c.member_id,
        ),
    )
)


def _stage_days(stage):
    return limit("MEETING_STAGE_DAYS") if stage.vote else limit("STAGE_DAYS")


def _waiting_rows(tier):
    keys = [s.key for s in STAGES if s.tier == tier]

    def rows(today):
        last = DispositionStep.objects.filter(disposition=OuterRef("pk")).order_by("-pk")
        waiting = Q(status=DispositionStatus.IN_REVIEW, current_stage__in=keys)
        if tier == TIER_BRANCH:
            waiting |= Q(status=DispositionStatus.RETURNED)
        return (
            Disposition.objects.filter(waiting)
            .annotate(
                last_user_id=Subquery(last.values("acting_user_id")[:1]),
                last_stage=Subquery(last.values("stage")[:1]),
            )
            .select_related("member", "organization")
        )

    return rows


def _waiting_clocks(tier):
    def clocks():
        found = [
            Clock(
                anchor="stage_since",
                due_days=_stage_days(stage),
                when=Q(status=DispositionStatus.IN_REVIEW, current_stage=stage.key),
                label=f"待办理：{stage.title}",
            )
            for stage in STAGES
            if stage.tier == tier
        ]
        if tier == TIER_BRANCH:
            found.append(
                Clock(
                    anchor="stage_since",
                    due_days=limit("STAGE_DAYS"),
                    when=Q(status=DispositionStatus.RETURNED),
                    label="退回修改，待重新提交",
                )
            )
        return found

    return clocks


def _waiting_line(d, clock):
    """Whoever proposed decides no stage, nor two stages in a row (disposition.services.separation_refusal)."""
    returned = d.status == DispositionStatus.RETURNED
    exclude = set() if returned else {d.proposed_by_id}  # the branch revises its own proposal
    if not returned and d.last_user_id and d.last_stage != d.current_stage:
        exclude.add(d.last_user_id)
    action = "disposition:disposition_resubmit" if returned else "disposition:step_decide"
    return Line(
        d.member.name,
        f"{d.get_outcome_display()}，自 {d.stage_since:%Y-%m-%d} 起等待",
        reverse(action, args=[d.pk]),
        d.organization,
        view_url=reverse("disposition:disposition_detail", args=[d.pk]),
        exclude=frozenset(exclude),
        member_pk=d.member_id,
    )


# Each tier's stages are its own rule: they land on different desks, and each is told to the
# level above when it waits too long (the department's to the department above it, if any).
for tier, title, perm, above in (
    (TIER_BRANCH, "处置审批：党支部环节", BRANCH, TIER_COMMITTEE),
    (TIER_COMMITTEE, "处置审批：党委环节", perms.REVIEW_COMMITTEE, TIER_DEPARTMENT),
    (TIER_DEPARTMENT, "处置审批：组织部门环节", perms.APPROVE_DEPARTMENT, TIER_DEPARTMENT),
):
    register(
        Rule(
            key=f"step_{tier}",
            title=title,
            tier=tier,
            perm=perm,
            escalate_to=above,
            source="附件4 审批环节；每一环节 30 天、支部党员大会 90 天（每季度召开）不在种子文件中",
            queryset=_waiting_rows(tier),
            clocks=_waiting_clocks(tier),
            line=_waiting_line,
            separation=True,
        )
    )


def suspended_rows(today):
    return Disposition.objects.filter(
        status=DispositionStatus.APPROVED,
        outcome=Outcome.SUSPEND_UNREACHABLE,
        member__party_status=PartyStatus.SUSPENDED,
    ).select_related("member", "organization")


register(
    Rule(
        key="suspended_two_years",
        title="停止党籍满两年",
        tier=TIER_BRANCH,
        perm=BRANCH,
        escalate_to=TIER_COMMITTEE,
        source="停止党籍两年后应作出处置（不在种子文件中，见 docs/domain.md §8）",
        queryset=suspended_rows,
        clocks=lambda: [
            # A month ahead, it is work; two years after approval (plus the time a proposal
            # takes), the branch proposes 自行脱党除名 — or 恢复党籍 if the member was found.
            Clock(
                anchor="approved_on",
                start_months=limit("SUSPENSION_MONTHS"),
                start_days=-30,
                due_months=limit("SUSPENSION_MONTHS"),
                due_days=limit("PROPOSAL_DAYS"),
            )
        ],
        line=lambda d, clock: Line(
            d.member.name,
            f"{d.approved_on:%Y-%m-%d} 停止党籍，仍未取得联系",
            reverse("disposition:disposition_propose", args=[d.case_id]),
            d.organization,
            view_url=reverse("disposition:disposition_detail", args=[d.pk]),
            member_pk=d.member_id,
        ),
    )
)
