"""The disposition chain's actions. Each is one transaction; the disposition row is locked
(select_for_update) so two approvers clicking at once produce exactly one step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from disposition import rules
from disposition.chain import BY_KEY, StageKey, next_stage, stages_for
from disposition.models import ACTIVE, Decision, Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import PARTY_STATUS, REJOIN_BARRED, Outcome, stats_column
from lianxin import access, perms
from lianxin.models import TIER_BRANCH, OrgKind
from lianxin.posts import delegated_post
from lianxin.service import service
from members.models import Member, MembershipType, PartyStatus
from tracing.models import CaseStatus, LostContactCase

BRANCH = perms.DECIDE_BRANCH


def _stage_perm(key):
    """The right a stage needs; none for a stage that does not exist."""
    stage = BY_KEY.get(key)
    return stage.perm if stage else ()


def _final_perm(disposition):
    """Revoking belongs to the tier that gave the final approval."""
    stages = stages_for(disposition.outcome)
    return stages[-1].perm if stages else perms.APPROVE_DEPARTMENT


def voters(organization, *, excluding=None):
    """Members with a vote at the 支部党员大会: the branch's 正式党员 in good standing,
    not counting the member the meeting decides about (预备党员 have no vote)."""
    qs = Member.objects.filter(
        organization=organization,
        membership_type=MembershipType.FULL,
        party_status__in=[PartyStatus.NORMAL, PartyStatus.CORRECTION],
    )
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.count()


def check_meeting(stage, meeting, organization, member=None):
    """The meeting rules: quorum over half of the voters; adoption by over half of them."""
    if not stage.meeting:
        return {}
    meeting_date = rules.check_meeting_date((meeting or {}).get("meeting_date"), timezone.localdate())
    if not stage.vote:
        return {"meeting_date": meeting_date}
    expected = voters(organization, excluding=member)
    present = meeting.get("present")
    yes, no, abstain = (meeting.get(k) or 0 for k in ("votes_for", "votes_against", "votes_abstain"))
    rules.check_votes(
        expected=expected, present=present, votes_for=yes, votes_against=no, votes_abstain=abstain
    )
    return {
        "meeting_date": meeting_date,
        "expected": expected,
        "present": present,
        "votes_for": yes,
        "votes_against": no,
        "votes_abstain": abstain,
        "_adopted": rules.is_adopted(yes, expected),
    }


def _validate_proposal(case, outcome, *, disciplined=False):
    member = case.member
    if disciplined:
        raise ValidationError("该党员已受党纪处分，不再进行组织处置。")
    if outcome == Outcome.RESTORE:
        if member.party_status != PartyStatus.SUSPENDED or case.status != CaseStatus.CONTACTED:
            raise ValidationError("只有被停止党籍、且已重新取得联系的党员可以申请恢复党籍。")
        return
    if case.status not in (CaseStatus.CONTACTED, CaseStatus.UNREACHABLE):
        raise ValidationError("只有已取得联系或确实无法取得联系的案件可以提出处置意见。")
    if outcome == Outcome.PERSUADE and member.membership_type == MembershipType.PROBATIONARY:
        raise ValidationError("预备党员不适用劝退，应取消预备党员资格。")
    if outcome == Outcome.CANCEL_PROBATION and member.membership_type != MembershipType.PROBATIONARY:
        raise ValidationError("只有预备党员可以取消预备党员资格。")
    try:
        stats_column(outcome, case.status == CaseStatus.CONTACTED)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


@service(perm=BRANCH, on="case")
@transaction.atomic
def disposition_propose(*, case, outcome, proposal, acting_user, disciplined=False, correction_until=None):
    case = (
        LostContactCase.objects.select_for_update().select_related("member", "organization").get(pk=case.pk)
    )
    outcome = Outcome(outcome)
    if outcome == Outcome.EXPEL:
        raise ValidationError("开除党籍依据纪律处分决定登记，不经过本审批流程。")
    _validate_proposal(case, outcome, disciplined=disciplined)
    if Disposition.objects.filter(case=case, status__in=ACTIVE).exists():
        raise ValidationError("该案件已有正在审批的处置意见，不能重复提出。")
    if not proposal.strip():
        raise ValidationError({"proposal": "请填写处置意见。"})
    today = timezone.localdate()
    if outcome == Outcome.CORRECTION:
        correction_until = rules.correction_deadline(correction_until, today)
    first = stages_for(outcome)[0]
    disposition = Disposition.objects.create(
        case=case,
        member=case.member,
        organization=case.organization,
        outcome=outcome,
        contacted=case.status == CaseStatus.CONTACTED,
        proposal=proposal,
        current_stage=first.key,
        stage_since=today,
        proposed_by=acting_user,
        proposed_on=today,
        correction_until=correction_until if outcome == Outcome.CORRECTION else None,
    )
    return disposition


def separation_refusal(disposition, user):
    """Why `user` may not decide the disposition's current stage by separation of duties, or "".

    Whoever proposed the disposition decides none of its stages, and nobody decides two
    stages in a row: the step before this one (the last recorded, a return included) must be
    someone else's, unless it was this same stage (decided again after a return).
    """
    if disposition.proposed_by_id == user.pk:
        return "提出处置意见的人不能办理该处置的审批环节，请由支部其他委员或上级办理。"
    if hasattr(disposition, "last_step_by"):  # with_last_step: a list asks no query per row
        last_by, last_stage = disposition.last_step_by, disposition.last_step_stage
    else:
        last = disposition.steps.order_by("-pk").only("stage", "acting_user_id").first()
        last_by, last_stage = (last.acting_user_id, last.stage) if last else (None, None)
    if last_by is not None and last_by == user.pk and last_stage != disposition.current_stage:
        return f"同一人不能连续办理两个审批环节（上一环节“{BY_KEY[last_stage].title}”由您办理）。"
    return ""


def with_last_step(queryset):
    """Dispositions carrying their last step's user and stage, for separation_refusal."""
    from django.db.models import OuterRef, Subquery

    latest = DispositionStep.objects.filter(disposition=OuterRef("pk")).order_by("-pk")
    return queryset.annotate(
        last_step_by=Subquery(latest.values("acting_user")[:1]),
        last_step_stage=Subquery(latest.values("stage")[:1]),
    )


def _seal(stage, case):
    """The organization whose seal the step carries: the branch, its committee, or the department above."""
    tiers = {TIER_BRANCH: case.organization}
    for org in reversed(case.organization.chain()):
        # A 党总支 without approval authority only passes a case on; the 基层党委 above seals it.
        if org.kind == OrgKind.GENERAL_BRANCH and not org.approves_probationary:
            continue
        tiers.setdefault(org.tier, org)
    return tiers.get(stage.tier, case.organization)


@service(perm=lambda kw: _stage_perm(kw["stage"]), on="disposition")
@transaction.atomic
def step_decide(
    *, disposition, stage, decision, opinion, acting_user, meeting=None, return_to="", decided_on=None
):
    disposition = (
        Disposition.objects.select_for_update()
        .select_related("case__organization", "member")
        .get(pk=disposition.pk)
    )
    current = BY_KEY.get(stage)
    if disposition.status != DispositionStatus.IN_REVIEW:
        raise ValidationError(f"该处置目前“{disposition.get_status_display()}”，不能审批。")
    if current is None or disposition.current_stage != stage:
        raise ValidationError("该环节已办理或尚未到达，请刷新页面。")
    refusal = separation_refusal(disposition, acting_user)
    if refusal:
        raise ValidationError(refusal)
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写意见。"})
    decision = Decision(decision)
    facts = (
        check_meeting(current, meeting, disposition.organization, disposition.member)
        if decision != Decision.RETURN
        else {}
    )
    adopted = facts.pop("_adopted", True)
    if decision == Decision.AGREE and not adopted:
        raise ValidationError(
            {
                "votes_for": f"赞成人数未超过应到会有表决权党员（{facts['expected']}人）的半数，决议未通过，不能记为同意。"
            }
        )
    keys = [s.key for s in stages_for(disposition.outcome)]
    if decision == Decision.RETURN and return_to not in keys[: keys.index(stage) + 1]:
        raise ValidationError({"return_to": "请选择退回到的环节（本环节或之前的环节）。"})
    today = timezone.localdate()
    step = DispositionStep.objects.create(
        disposition=disposition,
        stage=stage,
        decision=decision,
        opinion=opinion,
        acting_user=acting_user,
        organization=_seal(current, disposition.case),
        decided_on=decided_on or today,
        on_behalf_of=delegated_post(acting_user, current.perm, disposition.organization),
        return_to=return_to if decision == Decision.RETURN else "",
        **facts,
    )
    if decision == Decision.DISAGREE:
        disposition.status = DispositionStatus.REJECTED
    elif decision == Decision.RETURN:
        disposition.status, disposition.current_stage = DispositionStatus.RETURNED, return_to
    else:
        following = next_stage(disposition.outcome, stage)
        if following is None:
            _apply_outcome(disposition, step.decided_on)
        else:
            disposition.current_stage = following.key
    disposition.stage_since = today
    disposition.save()
    return step


def _apply_outcome(disposition, on):
    member = Member.objects.select_for_update().get(pk=disposition.member_id)
    disposition.status = DispositionStatus.APPROVED
    disposition.current_stage = ""
    disposition.approved_on = on
    disposition.previous_party_status = member.party_status
    if disposition.outcome in REJOIN_BARRED:
        disposition.rejoin_barred_until = rules.rejoin_barred_until(on)
    member.party_status = PARTY_STATUS[Outcome(disposition.outcome)]
    member.party_status_since = on
    member._change_reason = f"组织处置：{disposition.get_outcome_display()}"
    member.save()


@service(perm=BRANCH, on="disposition")
@transaction.atomic
def disposition_resubmit(*, disposition, proposal, acting_user):
    disposition = Disposition.objects.select_for_update().get(pk=disposition.pk)
    if disposition.status != DispositionStatus.RETURNED:
        raise ValidationError("只有被退回的处置意见可以修改后重新提交。")
    if not proposal.strip():
        raise ValidationError({"proposal": "请填写处置意见。"})
    disposition.proposal = proposal
    disposition.status = DispositionStatus.IN_REVIEW
    disposition.stage_since = timezone.localdate()
    disposition.save()
    return disposition


@service(perm=BRANCH, on="disposition")
@transaction.atomic
def disposition_withdraw(*, disposition, acting_user, reason):
    disposition = Disposition.objects.select_for_update().get(pk=disposition.pk)
    if (
        disposition.status not in ACTIVE
        or disposition.steps.exclude(stage=StageKey.BRANCH_COMMITTEE).exists()
    ):
        raise ValidationError("处置意见已进入上级审核，不能撤回。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明撤回理由。"})
    disposition.status, disposition.remark = DispositionStatus.WITHDRAWN, f"撤回：{reason}"
    disposition.save()
    return disposition


@service(perm=lambda kw: _final_perm(kw["disposition"]), on="disposition")
@transaction.atomic
def disposition_revoke(*, disposition, acting_user, reason):
    """The approving tier revokes an approved disposition; the member's status is restored."""
    disposition = Disposition.objects.select_for_update().get(pk=disposition.pk)
    if disposition.status != DispositionStatus.APPROVED:
        raise ValidationError("只有已批准的处置可以撤销。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明撤销理由。"})
    member = Member.objects.select_for_update().get(pk=disposition.member_id)
    member.party_status = disposition.previous_party_status or PartyStatus.NORMAL
    member.party_status_since = timezone.localdate()
    member._change_reason = f"撤销组织处置：{reason}"[:100]
    member.save()
    disposition.status, disposition.revoked_on, disposition.revoke_reason = (
        DispositionStatus.REVOKED,
        timezone.localdate(),
        reason,
    )
    disposition.save()
    return disposition


@service(perm=(perms.APPROVE_DEPARTMENT, perms.REVIEW_COMMITTEE), on="case")
@transaction.atomic
def expulsion_record(*, case, decision, decided_on, acting_user, proposal=""):
    """开除党籍 is recorded from the discipline decision (第三十六条 for members not contacted)."""
    case = LostContactCase.objects.select_for_update().select_related("member").get(pk=case.pk)
    if case.status not in (CaseStatus.CONTACTED, CaseStatus.UNREACHABLE):
        raise ValidationError("只有已结束查找的案件可以登记开除党籍。")
    if case.member.party_status == PartyStatus.EXPELLED:
        raise ValidationError(f"{case.member.name}已登记开除党籍。")
    if not decision.strip():
        raise ValidationError({"decision": "请填写纪律处分决定（决定机关、文号）。"})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "决定日期不能晚于今天。"})
    disposition = Disposition.objects.create(
        case=case,
        member=case.member,
        organization=case.organization,
        outcome=Outcome.EXPEL,
        contacted=case.status == CaseStatus.CONTACTED,
        proposal=proposal or "依据纪律处分决定开除党籍",
        proposed_by=acting_user,
        proposed_on=timezone.localdate(),
        discipline_decision=decision,
    )
    _apply_outcome(disposition, decided_on)
    disposition.save()
    return disposition


def inbox_q(user):
    """In review at a stage this user may take (the inbox, and the 工作台's 待我审批): leaving
    out the dispositions separation of duties keeps from them (separation_refusal)."""
    from django.db.models import Exists, Q

    return at_stages_q(user) & ~Q(proposed_by=user.pk) & ~Q(Exists(last_step_elsewhere_by(user)))


def at_stages_q(user):
    """In review at a stage this user holds the stage's permission for (before separation of duties)."""
    from django.db.models import Q

    from disposition.chain import STAGES

    q = Q(pk__in=[])
    for stage in STAGES:
        scope = access.scope_q(user, stage.perm, "organization__path")
        if scope is None:
            q |= Q(current_stage=stage.key)
        else:
            q |= Q(current_stage=stage.key) & scope
    return Q(status=DispositionStatus.IN_REVIEW) & q


def inbox(user):
    """Dispositions waiting for a step this user may take, oldest first."""
    return (
        Disposition.objects.filter(inbox_q(user))
        .select_related("member", "organization")
        .order_by("stage_since", "pk")
    )


def last_step_elsewhere_by(user):
    """The disposition's last step, if this user took it at another stage (separation_refusal)."""
    from django.db.models import OuterRef, Subquery

    latest = DispositionStep.objects.filter(disposition=OuterRef("disposition")).order_by("-pk")
    return DispositionStep.objects.filter(
        disposition=OuterRef("pk"), acting_user=user.pk, pk=Subquery(latest.values("pk")[:1])
    ).exclude(stage=OuterRef("current_stage"))
