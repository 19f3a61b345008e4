"""disposition's entries on a member's timeline (members/timeline.py): each disposition and step."""

from django.urls import reverse

from disposition.models import Decision, Disposition, DispositionStatus, DispositionStep
from lianxin import access
from members.timeline import Entry, person

DECISION_TONE = {Decision.AGREE: "ok", Decision.DISAGREE: "warn", Decision.RETURN: "warn"}


def entries(member, user):
    """Two queries: the member's dispositions, then all their steps; only what `user` may see."""
    dispositions = access.scoped(user, access.VIEW, Disposition.objects.filter(member=member))
    for disposition in dispositions.select_related("proposed_by").order_by("proposed_on", "pk"):
        url = reverse("disposition:disposition_detail", args=[disposition.pk])
        outcome = disposition.get_outcome_display()
        yield Entry(
            disposition.proposed_on,
            "组织处置",
            f"提出处置意见：{outcome}",
            disposition.proposal,
            url,
            person(disposition.proposed_by),
            late=True,
        )
        if disposition.approved_on and disposition.status in (
            DispositionStatus.APPROVED,
            DispositionStatus.REVOKED,
        ):
            yield Entry(
                disposition.approved_on, "组织处置", f"批准：{outcome}", url=url, tone="danger", late=True
            )
        if disposition.revoked_on:
            yield Entry(
                disposition.revoked_on,
                "组织处置",
                f"撤销：{outcome}",
                disposition.revoke_reason,
                url,
                late=True,
            )
    steps = access.scoped(user, access.VIEW, DispositionStep.objects.filter(disposition__member=member))
    for step in steps.select_related("acting_user", "organization").order_by("decided_on", "pk"):
        yield Entry(
            step.decided_on,
            "组织处置",
            f"{step.stage_title}：{step.get_decision_display()}",
            step.opinion,
            reverse("disposition:disposition_detail", args=[step.disposition_id]),
            f"{step.organization.name} · {person(step.acting_user)}",
            tone=DECISION_TONE.get(step.decision, ""),
            late=True,
        )
