"""工作台 panels of dispositions: the inbox, 限期改正 ending, 停止党籍 two years due."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from disposition.services import inbox
from lianxin import access
from lianxin.dashboard import Panel, count_and_first, count_and_first_each
from members.models import PartyStatus
from members.status import add_months

# A panel line needs four columns, not a disposition's and its member's sixty.
LINE_FIELDS = ("pk", "outcome", "correction_until", "approved_on", "member__name")


def panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    link = reverse("disposition:inbox")

    def items(rows, detail):
        return [
            (d.member.name, reverse("disposition:disposition_detail", args=[d.pk]), detail(d)) for d in rows
        ]

    waiting_count, waiting_rows = count_and_first(
        inbox(user).select_related(None).select_related("member").only(*LINE_FIELDS)
    )
    approved = (
        access.scoped(user, access.VIEW, Disposition.objects.filter(status=DispositionStatus.APPROVED))
        .select_related("member")
        .only(*LINE_FIELDS)
    )
    due = count_and_first_each(
        approved,
        {
            "correction": (
                Q(
                    outcome=Outcome.CORRECTION,
                    member__party_status=PartyStatus.CORRECTION,
                    correction_until__lte=today + timedelta(days=30),
                ),
                ("correction_until", "pk"),
            ),
            "suspended": (
                Q(
                    outcome=Outcome.SUSPEND_UNREACHABLE,
                    member__party_status=PartyStatus.SUSPENDED,
                    approved_on__lte=add_months(today, -24),
                ),
                ("approved_on", "pk"),
            ),
        },
    )
    correction_count, correction_rows = due["correction"]
    suspended_count, suspended_rows = due["suspended"]
    return [
        Panel(
            "组织处置待办",
            waiting_count,
            link,
            "warn" if waiting_count else "info",
            items(waiting_rows, lambda d: d.get_outcome_display()),
        ),
        Panel(
            "限期改正即将到期",
            correction_count,
            link,
            "warn",
            items(correction_rows, lambda d: f"至 {d.correction_until:%Y-%m-%d}"),
        ),
        Panel(
            "停止党籍满两年仍未联系（应作自行脱党除名）",
            suspended_count,
            link,
            "danger",
            items(suspended_rows, lambda d: f"停止党籍自 {d.approved_on:%Y-%m-%d}"),
        ),
    ]
