"""工作台 panels of dispositions: the inbox, 限期改正 ending, 停止党籍 two years due."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from disposition.services import inbox
from lianxin import access
from lianxin.dashboard import Panel, count_and_first
from members.models import PartyStatus
from members.status import add_months


def panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    waiting = inbox(user)
    approved = access.scoped(
        user, access.VIEW, Disposition.objects.filter(status=DispositionStatus.APPROVED)
    ).select_related("member")
    correction = approved.filter(
        outcome=Outcome.CORRECTION,
        member__party_status=PartyStatus.CORRECTION,
        correction_until__lte=today + timedelta(days=30),
    ).order_by("correction_until", "pk")
    suspended_due = approved.filter(
        outcome=Outcome.SUSPEND_UNREACHABLE,
        member__party_status=PartyStatus.SUSPENDED,
        approved_on__lte=add_months(today, -24),
    )
    link = reverse("disposition:inbox")

    def panel(title, qs, level, detail):
        # A panel line needs four columns, not the two rows' sixty.
        qs = qs.select_related("member").only(
            "pk", "outcome", "correction_until", "approved_on", "member__name", "organization_id"
        )
        count, rows = count_and_first(qs)
        items = [
            (d.member.name, reverse("disposition:disposition_detail", args=[d.pk]), detail(d)) for d in rows
        ]
        return Panel(title, count, link, level, items)

    waiting_panel = panel("组织处置待办", waiting, "warn", lambda d: d.get_outcome_display())
    if not waiting_panel.count:
        waiting_panel.level = "info"
    return [
        waiting_panel,
        panel("限期改正即将到期", correction, "warn", lambda d: f"至 {d.correction_until:%Y-%m-%d}"),
        panel(
            "停止党籍满两年仍未联系（应作自行脱党除名）",
            suspended_due.order_by("approved_on", "pk"),
            "danger",
            lambda d: f"停止党籍自 {d.approved_on:%Y-%m-%d}",
        ),
    ]
