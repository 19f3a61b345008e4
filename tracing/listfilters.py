"""Named filters of the case list, and the member list's 失联 members without a case
(lianxin/listfilters.py): what the 工作台 counts is what these lists show."""

from django.db.models import Q
from django.utils import timezone

from lianxin import access
from lianxin.listfilters import register, register_list, rows
from members.models import PartyStatus
from members.status import lost_threshold
from tracing.models import AssistanceRequest, CaseStatus
from tracing.queries import cases_visible_to

LIST = "tracing:case_list"
SEARCHING = [CaseStatus.OPEN, CaseStatus.UNREACHABLE]


def lost_no_case(user, today):
    """失联 today (over six months since the last contact) and no case searching for them."""
    return Q(
        party_status__in=[PartyStatus.NORMAL, PartyStatus.CORRECTION],
        last_contact_on__lt=lost_threshold(today),
    ) & ~Q(cases__status__in=SEARCHING)


def lost_without_case(user):
    """The members of `lost_no_case` in the user's scope, today."""
    return rows("members:member_list", "lost_no_case", user, timezone.localdate())


def assistance_pending(user, today):
    """Cases with a 协查 request to one of the user's organizations, not yet answered."""
    scope = access.scope_q(user, access.VIEW, "to_organization__path")
    requests = AssistanceRequest.objects.filter(answered_on__isnull=True)
    return Q(pk__in=(requests if scope is None else requests.filter(scope)).values("case_id"))


register("members:member_list", "lost_no_case", "失联超过六个月未立案查找", lost_no_case)

register_list(LIST, base=cases_visible_to)
register(LIST, "searching", "正在查找", lambda user, today: Q(status=CaseStatus.OPEN))
register(
    LIST,
    "second_search_due",
    "待党委再次查找",
    lambda user, today: Q(status=CaseStatus.UNREACHABLE, second_search_done_on__isnull=True),
)
register(LIST, "assistance_pending", "待答复的协查请求", assistance_pending)
