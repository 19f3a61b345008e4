"""Named filters of the disposition list (the inbox page), shared with the 工作台's panels
(lianxin/listfilters.py). The base is every disposition; each filter carries its own scope:
the inbox its stages' rights, the others the user's view."""

from datetime import timedelta

from django.db.models import Q

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from disposition.services import inbox_q
from lianxin import access
from lianxin.listfilters import register, register_list
from members.models import PartyStatus
from members.status import add_months

LIST = "disposition:inbox"
WAITING = "waiting"  # what waits on the user: the inbox without a filter, the 待我审批 panel


def _visible(user):
    return access.scope_q(user, access.VIEW, "organization__path") or Q()


def correction_due(user, today):
    return _visible(user) & Q(
        status=DispositionStatus.APPROVED,
        outcome=Outcome.CORRECTION,
        member__party_status=PartyStatus.CORRECTION,
        correction_until__lte=today + timedelta(days=30),
    )


def suspension_due(user, today):
    return _visible(user) & Q(
        status=DispositionStatus.APPROVED,
        outcome=Outcome.SUSPEND_UNREACHABLE,
        member__party_status=PartyStatus.SUSPENDED,
        approved_on__lte=add_months(today, -24),
    )


register_list(LIST, base=lambda user: Disposition.objects.all())
register(LIST, WAITING, "待我审批", lambda user, today: inbox_q(user))
register(LIST, "correction_due", "限期改正即将到期", correction_due)
register(LIST, "suspension_due", "停止党籍满两年仍未联系", suspension_due)
# Every status is a filter too.
for status in DispositionStatus:
    register(
        LIST,
        f"status_{status.value}",
        f"状态：{status.label}",
        lambda user, today, status=status: _visible(user) & Q(status=status),
    )
