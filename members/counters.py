"""The members app's counters (lianxin/counters.py): members still in the party, by contact
status, and those marked 联系不上 at a roll call. Contact status changes with the days passing:
the daily refresh (members/services.py refresh_all) saves the members whose status changed, and
the counters follow those saves like any other."""

from django.db.models import Q

from lianxin.counters import register
from members.models import ContactStatus, Member, PartyStatus

ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]

register("members.active", label="党员（党籍正常或限期改正）", model=Member, q=Q(party_status__in=ACTIVE))
for status in ContactStatus:
    register(
        f"members.{status.value}",
        label=f"联系状态：{status.label}",
        model=Member,
        q=Q(party_status__in=ACTIVE, contact_status=status),
    )
# The member list shows these beside the active ones unless asked otherwise (its total: active + suspended).
register("members.suspended", label="停止党籍", model=Member, q=Q(party_status=PartyStatus.SUSPENDED))
register(
    "members.unreachable",
    label="联系不上（点名时联系不上）",
    model=Member,
    q=Q(party_status__in=ACTIVE, unreachable_since__isnull=False),
)
