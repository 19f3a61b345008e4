"""The member list's named filters, shared with the 工作台's panels (lianxin/listfilters.py).

Each filter says which party statuses it covers: the list's default (members still in the
party) does not apply under a filter, so the list shows exactly what the panel counts.
"""

from datetime import timedelta

from django.db.models import Q

from lianxin import access
from lianxin.listfilters import register, register_list
from members.models import Absence, AbsenceKind, ContactStatus, Member, PartyStatus, Transfer
from members.status import WARNING_DAYS, add_months, lost_threshold

LIST = "members:member_list"
ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]

register_list(LIST, base=lambda user: access.scoped(user, access.VIEW, Member.objects.all()))

register(
    LIST,
    "unreachable",
    "联系不上（点名时联系不上）",
    lambda user, today: Q(party_status__in=ACTIVE, unreachable_since__isnull=False),
)
register(
    LIST,
    "out_of_control",
    "失控",
    lambda user, today: Q(party_status__in=ACTIVE, contact_status=ContactStatus.OUT_OF_CONTROL),
)
register(
    LIST,
    "approaching",
    "即将满六个月未联系",
    lambda user, today: Q(
        party_status__in=ACTIVE,
        last_contact_on__gte=lost_threshold(today),
        last_contact_on__lte=today - timedelta(days=WARNING_DAYS),
    ),
)
register(
    LIST,
    "receipt_missing",
    "介绍信回执未收回",
    lambda user, today: Q(
        pk__in=Transfer.objects.filter(
            direction=Transfer.Direction.OUT, receipt_received_on__isnull=True
        ).values("member_id")
    ),
)
register(
    LIST,
    "graduates_due",
    "毕业生组织关系在校将满两年",
    lambda user, today: Q(
        pk__in=Absence.objects.filter(
            returned_on__isnull=True, kind=AbsenceKind.GRADUATE, left_on__lte=add_months(today, -22)
        ).values("member_id")
    ),
)
register(
    LIST,
    "abroad_due",
    "出国（境）半年未联系",
    lambda user, today: (
        Q(
            pk__in=Absence.objects.filter(returned_on__isnull=True, kind=AbsenceKind.ABROAD).values(
                "member_id"
            )
        )
        & (Q(last_contact_on__lt=today - timedelta(days=182)) | Q(last_contact_on__isnull=True))
    ),
)
