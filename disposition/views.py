"""Disposition pages: the inbox (待办), a disposition's chain, proposing, deciding."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from disposition import services
from disposition.chain import BY_KEY, stages_for
from disposition.forms import DecideForm, ExpulsionForm, ProposeForm, ReasonForm, ResubmitForm
from disposition.models import Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import Outcome, allowed_outcomes
from lianxin import access
from lianxin.formerrors import apply_validation_error as _apply
from lianxin.pagination import paginate
from members.models import PartyStatus
from tracing.models import CaseStatus
from tracing.queries import case_summary, cases_visible_to

OVERDUE_DAYS = 30


def _disposition_or_404(request, pk, perm=access.VIEW):
    qs = Disposition.objects.select_related(
        "case__member", "case__organization", "member", "organization", "proposed_by"
    )
    disposition = access.get_or_404(request.user, access.VIEW, qs, pk=pk)
    access.require(request.user, perm, disposition)
    return disposition


def _page(request, form, title, subject, cancel, **extra):
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "subject": subject, "cancel_url": cancel, **extra},
    )


def inbox(request):
    today = timezone.localdate()
    waiting = services.inbox(request.user)
    page = paginate(request, waiting)
    for d in page.object_list:
        d.waiting_days = (today - d.stage_since).days if d.stage_since else 0
        d.overdue = d.waiting_days > OVERDUE_DAYS
        d.stage_title = BY_KEY[d.current_stage].title
        d.is_meeting = BY_KEY[d.current_stage].meeting
    scope = access.scoped(
        request.user, access.VIEW, Disposition.objects.select_related("member", "organization")
    )
    overdue_below = (
        scope.filter(status=DispositionStatus.IN_REVIEW, stage_since__lt=today - timedelta(days=OVERDUE_DAYS))
        .exclude(pk__in=waiting.values("pk"))
        .order_by("stage_since", "pk")[:20]
    )  # longest waiting first
    recent = scope.exclude(status=DispositionStatus.IN_REVIEW).order_by("-pk")[:20]
    return render(
        request, "disposition/inbox.html", {"page": page, "overdue_below": overdue_below, "recent": recent}
    )


def _case_context(request, disposition):
    """The case behind the decision (summary, warning) and the chain so far, in a fixed number of
    queries: the steps come with their users and seals in one."""
    steps = DispositionStep.objects.select_related("acting_user", "organization")
    prefetch_related_objects([disposition], Prefetch("steps", queryset=steps))
    return {
        "summary": case_summary(disposition.case),
        "member_link": access.can(request.user, access.VIEW, disposition.case.member),
    }


def disposition_detail(request, pk):
    disposition = _disposition_or_404(request, pk)
    stage = disposition.stage
    may_act = (
        disposition.status == DispositionStatus.IN_REVIEW
        and stage is not None
        and access.can(request.user, stage.perm, disposition)
    )
    refusal = services.separation_refusal(disposition, request.user) if may_act else ""
    can_decide = may_act and not refusal
    return render(
        request,
        "disposition/disposition_detail.html",
        {
            "d": disposition,
            "case": disposition.case,
            **_case_context(request, disposition),
            "stages": stages_for(disposition.outcome),
            "can_decide": can_decide,
            "decide_refusal": refusal,
            "can_resubmit": disposition.status == DispositionStatus.RETURNED
            and access.can(request.user, "decide_branch", disposition),
            "can_revoke": disposition.status == DispositionStatus.APPROVED
            and access.can(
                request.user,
                (stages_for(disposition.outcome) or [BY_KEY["department_approval"]])[-1].perm,
                disposition,
            ),
        },
    )


def disposition_propose(request, case_pk):
    case = access.get_or_404(request.user, access.VIEW, cases_visible_to(request.user), pk=case_pk)
    access.require(request.user, "decide_branch", case)
    if case.member.party_status == PartyStatus.SUSPENDED and case.status == CaseStatus.CONTACTED:
        outcomes = [Outcome.RESTORE]
    else:
        outcomes = allowed_outcomes(case.status == CaseStatus.CONTACTED)
    form = ProposeForm(request.POST or None, outcomes=outcomes)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.disposition_propose(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "处置意见已提出，下一步：支委会初步处置意见。")
            return redirect("disposition:disposition_detail", pk=d.pk)
    return _page(
        request,
        form,
        "提出组织处置意见",
        str(case.member),
        reverse("tracing:case_detail", args=[case.pk]),
        intro="处置意见将按全程纪实表的顺序逐级审批；劝退、除名须经上一级党委组织部门预审和审批。",
    )


def step_decide(request, pk):
    disposition = _disposition_or_404(request, pk)
    stage = disposition.stage
    if disposition.status != DispositionStatus.IN_REVIEW or stage is None:
        messages.error(request, "该处置目前不在审批中。")
        return redirect("disposition:disposition_detail", pk=pk)
    if not access.can(request.user, stage.perm, disposition):
        raise PermissionDenied
    refusal = services.separation_refusal(disposition, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("disposition:disposition_detail", pk=pk)
    keys = [s.key for s in disposition.stages]
    earlier = disposition.stages[: keys.index(stage.key) + 1]
    form = DecideForm(request.POST or None, stage=stage, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_decide(
                disposition=disposition,
                stage=stage.key,
                decision=form.cleaned_data["decision"],
                opinion=form.cleaned_data["opinion"],
                acting_user=request.user,
                meeting=form.meeting(),
                return_to=form.cleaned_data.get("return_to") or "",
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已办理：{stage.title}。")
            return redirect("disposition:disposition_detail", pk=pk)
    intro = f"本环节：{stage.title}（{stage.seal}）。"
    if stage.vote:
        intro += f" 应到会有表决权的正式党员 {services.voters(disposition.organization, excluding=disposition.member)} 人（预备党员没有表决权）。"
    return render(
        request,
        "disposition/step_form.html",
        {
            "form": form,
            "title": stage.title,
            "subject": f"{disposition.member.name}：{disposition.get_outcome_display()}",
            "cancel_url": reverse("disposition:disposition_detail", args=[pk]),
            "intro": intro,
            "submit_label": "提交",
            "d": disposition,
            **_case_context(request, disposition),
        },
    )


def disposition_resubmit(request, pk):
    disposition = _disposition_or_404(request, pk, "decide_branch")
    form = ResubmitForm(request.POST or None, initial={"proposal": disposition.proposal})
    if request.method == "POST" and form.is_valid():
        try:
            services.disposition_resubmit(
                disposition=disposition, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已重新提交。")
            return redirect("disposition:disposition_detail", pk=pk)
    return _page(
        request,
        form,
        "修改后重新提交",
        str(disposition),
        reverse("disposition:disposition_detail", args=[pk]),
    )


def disposition_withdraw(request, pk):
    disposition = _disposition_or_404(request, pk, "decide_branch")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disposition_withdraw(
                disposition=disposition, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已撤回。")
            return redirect("disposition:disposition_detail", pk=pk)
    return _page(
        request, form, "撤回处置意见", str(disposition), reverse("disposition:disposition_detail", args=[pk])
    )


def disposition_revoke(request, pk):
    disposition = _disposition_or_404(request, pk)
    stages = stages_for(disposition.outcome)
    access.require(request.user, stages[-1].perm if stages else "approve_department", disposition)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disposition_revoke(
                disposition=disposition, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已撤销该处置，党员党籍状态已恢复。")
            return redirect("disposition:disposition_detail", pk=pk)
    return _page(
        request, form, "撤销组织处置", str(disposition), reverse("disposition:disposition_detail", args=[pk])
    )


def expulsion_record(request, case_pk):
    case = access.get_or_404(request.user, access.VIEW, cases_visible_to(request.user), pk=case_pk)
    if not (
        access.can(request.user, "approve_department", case)
        or access.can(request.user, "review_committee", case)
    ):
        raise PermissionDenied
    form = ExpulsionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.expulsion_record(
                case=case,
                acting_user=request.user,
                decision=form.cleaned_data["decision"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已登记开除党籍。")
            return redirect("disposition:disposition_detail", pk=d.pk)
    return _page(
        request,
        form,
        "登记开除党籍",
        str(case.member),
        reverse("tracing:case_detail", args=[case.pk]),
        intro="依据《中国共产党纪律处分条例》作出的开除党籍决定在此登记，不经过组织处置审批流程。",
    )


@require_POST
def batch_decide(request):
    """批量同意: the same opinion on several waiting non-meeting steps; each is decided on its own."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    opinion = request.POST.get("opinion", "").strip()
    if not ids or not opinion or not request.POST.get("confirm"):
        messages.error(request, "请勾选待办事项、填写意见并确认。")
        return redirect("disposition:inbox")
    waiting = {d.pk: d for d in services.inbox(request.user).filter(pk__in=ids)}
    done, refused = 0, []
    for pk in ids:
        disposition = waiting.get(pk)
        if disposition is None or disposition.stage is None or disposition.stage.meeting:
            refused.append(str(pk))
            continue
        try:
            services.step_decide(
                disposition=disposition,
                stage=disposition.current_stage,
                decision="agree",
                opinion=opinion,
                acting_user=request.user,
            )
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            refused.append(
                f"{disposition.member.name}（{'；'.join(getattr(exc, 'messages', ['无权办理']))}）"
            )
    if done:
        messages.success(request, f"已批量同意 {done} 件。")
    if refused:
        messages.error(request, f"以下事项未办理：{'、'.join(refused)}（会议环节须逐件填写会议情况）")
    return redirect("disposition:inbox")
