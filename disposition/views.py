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
from disposition.inboxcount import inbox_total
from disposition.listfilters import LIST, WAITING
from disposition.models import Decision, Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import Outcome, allowed_outcomes
from lianxin import access, actions, listfilters
from lianxin.pages import form_page
from lianxin.pagination import paginate, query_without_page
from members.models import PartyStatus
from tracing.models import CaseStatus
from tracing.queries import case_summary, cases_visible_to

OVERDUE_DAYS = 30


def _disposition_or_404(request, pk, action=None):
    """Within the user's scope; with `action`, only for those who may take it (lianxin.actions)."""
    qs = services.with_last_step(
        Disposition.objects.select_related(
            "case__member", "case__organization", "member", "organization", "proposed_by"
        )
    )
    disposition = access.get_or_404(request.user, access.VIEW, qs, pk=pk)
    if action:
        actions.require(request.user, action, disposition)
    return disposition


def inbox(request):
    today = timezone.localdate()
    # ?due= a named filter (disposition/listfilters.py): what a 工作台 panel counted; without
    # one, what waits on the user (the same query as the ?due=waiting the 待我审批 panel opens).
    due = listfilters.get(LIST, request.GET.get(listfilters.PARAM, ""))
    if due and due.key != WAITING:
        rows = listfilters.rows(LIST, due.key, request.user, today).select_related("member", "organization")
        page = paginate(request, rows.order_by("-proposed_on", "-pk"))
        return render(
            request,
            "disposition/list.html",
            {
                "page": page,
                "due": due,
                "dues": listfilters.choices(LIST),
                "query": query_without_page(request),
            },
        )
    waiting = (
        services.with_last_step(listfilters.rows(LIST, WAITING, request.user, today))
        .select_related("member", "organization")
        .order_by("stage_since", "pk")
    )
    page = paginate(request, waiting, count=inbox_total(request.user))
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
        .exclude(services.inbox_q(request.user))  # a condition on the row: no second inbox query
        .order_by("stage_since", "pk")[:20]
    )  # longest waiting first
    recent = scope.exclude(status=DispositionStatus.IN_REVIEW).order_by("-pk")[:20]
    return render(
        request,
        "disposition/inbox.html",
        {
            "page": page,
            "overdue_below": overdue_below,
            "recent": recent,
            "dues": listfilters.choices(LIST),
            "query": query_without_page(request),
        },
    )


def _case_context(request, disposition):
    """The case behind the decision (summary, warning) and the chain so far, in a fixed number of
    queries: the steps come with their users and seals in one."""
    steps = DispositionStep.objects.select_related(
        "acting_user", "organization", "on_behalf_of__user", "on_behalf_of__organization"
    )
    prefetch_related_objects([disposition], Prefetch("steps", queryset=steps))
    return {
        "summary": case_summary(disposition.case),
        "member_link": access.can(request.user, access.VIEW, disposition.case.member),
    }


def disposition_detail(request, pk):
    disposition = _disposition_or_404(request, pk)
    user = request.user
    return render(
        request,
        "disposition/disposition_detail.html",
        {
            "d": disposition,
            "case": disposition.case,
            **_case_context(request, disposition),
            "stages": stages_for(disposition.outcome),
            # What the page offers is what the views allow (lianxin.actions; links: {% action %}),
            # and why not where only separation of duties stands in the way.
            "can_decide": actions.allowed(user, "disposition:step_decide", disposition),
            "decide_refusal": actions.refusal(user, "disposition:step_decide", disposition),
            "can_resubmit": actions.allowed(user, "disposition:disposition_resubmit", disposition),
            "can_revoke": actions.allowed(user, "disposition:disposition_revoke", disposition),
        },
    )


def disposition_propose(request, case_pk):
    case = access.get_or_404(request.user, access.VIEW, cases_visible_to(request.user), pk=case_pk)
    actions.require(request.user, "disposition:disposition_propose", case)
    if case.member.party_status == PartyStatus.SUSPENDED and case.status == CaseStatus.CONTACTED:
        outcomes = [Outcome.RESTORE]
    else:
        outcomes = allowed_outcomes(case.status == CaseStatus.CONTACTED)
    return form_page(
        request,
        ProposeForm(request.POST or None, outcomes=outcomes),
        save=lambda data: services.disposition_propose(case=case, acting_user=request.user, **data),
        title="提出组织处置意见",
        subject=str(case.member),
        intro="处置意见将按全程纪实表的顺序逐级审批；劝退、除名须经上一级党委组织部门预审和审批。",
        done="处置意见已提出，下一步：支委会初步处置意见。",
        next_url=lambda d: reverse("disposition:disposition_detail", args=[d.pk]),
        cancel_url=reverse("tracing:case_detail", args=[case.pk]),
    )


def step_decide(request, pk):
    disposition = _disposition_or_404(request, pk)
    stage = disposition.stage
    if disposition.status != DispositionStatus.IN_REVIEW or stage is None:
        messages.error(request, "该处置目前不在审批中。")
        return redirect("disposition:disposition_detail", pk=pk)
    actions.require(request.user, "disposition:step_decide", disposition)
    refusal = actions.refusal(request.user, "disposition:step_decide", disposition)
    if refusal:
        messages.error(request, refusal)
        return redirect("disposition:disposition_detail", pk=pk)
    keys = [s.key for s in disposition.stages]
    earlier = disposition.stages[: keys.index(stage.key) + 1]
    form = DecideForm(request.POST or None, stage=stage, earlier=earlier)

    def page_context():  # only when the page is shown: the voters and the chain so far
        intro = f"本环节：{stage.title}（{stage.seal}）。"
        if stage.vote:
            intro += f" 应到会有表决权的正式党员 {services.voters(disposition.organization, excluding=disposition.member)} 人（预备党员没有表决权）。"
        return {"intro": intro, "d": disposition, **_case_context(request, disposition)}

    return form_page(
        request,
        form,
        save=lambda data: services.step_decide(
            disposition=disposition,
            stage=stage.key,
            decision=data["decision"],
            opinion=data["opinion"],
            acting_user=request.user,
            meeting=form.meeting(),
            return_to=data.get("return_to") or "",
        ),
        title=stage.title,
        subject=f"{disposition.member.name}：{disposition.get_outcome_display()}",
        submit_label="提交",
        done=f"已办理：{stage.title}。",
        next_url=reverse("disposition:disposition_detail", args=[pk]),
        template="disposition/step_form.html",
        context=page_context,
    )


def disposition_resubmit(request, pk):
    disposition = _disposition_or_404(request, pk, "disposition:disposition_resubmit")
    return form_page(
        request,
        ResubmitForm(request.POST or None, initial={"proposal": disposition.proposal}),
        save=lambda data: services.disposition_resubmit(
            disposition=disposition, acting_user=request.user, **data
        ),
        title="修改后重新提交",
        subject=str(disposition),
        done="已重新提交。",
        next_url=reverse("disposition:disposition_detail", args=[pk]),
    )


def disposition_withdraw(request, pk):
    disposition = _disposition_or_404(request, pk, "disposition:disposition_withdraw")
    return form_page(
        request,
        ReasonForm(request.POST or None),
        save=lambda data: services.disposition_withdraw(
            disposition=disposition, acting_user=request.user, reason=data["reason"]
        ),
        title="撤回处置意见",
        subject=str(disposition),
        done="已撤回。",
        next_url=reverse("disposition:disposition_detail", args=[pk]),
    )


def disposition_revoke(request, pk):
    disposition = _disposition_or_404(request, pk, "disposition:disposition_revoke")
    return form_page(
        request,
        ReasonForm(request.POST or None),
        save=lambda data: services.disposition_revoke(
            disposition=disposition, acting_user=request.user, reason=data["reason"]
        ),
        title="撤销组织处置",
        subject=str(disposition),
        done="已撤销该处置，党员党籍状态已恢复。",
        next_url=reverse("disposition:disposition_detail", args=[pk]),
    )


def expulsion_record(request, case_pk):
    case = access.get_or_404(request.user, access.VIEW, cases_visible_to(request.user), pk=case_pk)
    actions.require(request.user, "disposition:expulsion_record", case)
    return form_page(
        request,
        ExpulsionForm(request.POST or None),
        save=lambda data: services.expulsion_record(
            case=case, acting_user=request.user, decision=data["decision"], decided_on=data["decided_on"]
        ),
        title="登记开除党籍",
        subject=str(case.member),
        intro="依据《中国共产党纪律处分条例》作出的开除党籍决定在此登记，不经过组织处置审批流程。",
        done="已登记开除党籍。",
        next_url=lambda d: reverse("disposition:disposition_detail", args=[d.pk]),
        cancel_url=reverse("tracing:case_detail", args=[case.pk]),
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
                decision=Decision.AGREE,
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
