"""The tracing app's counters (lianxin/counters.py): cases being searched, cases waiting for the
committee's second search, 协查 requests not yet answered (counted at the organization asked),
and the cases by status."""

from django.db.models import Q

from lianxin.counters import register
from tracing.models import AssistanceRequest, CaseStatus, LostContactCase

register("cases.open", label="正在查找的案件", model=LostContactCase, q=Q(status=CaseStatus.OPEN))
# The other statuses too: the case list's total, whole or by status, is their sum (lianxin/listcounts.py).
for status in (CaseStatus.CONTACTED, CaseStatus.DECEASED, CaseStatus.UNREACHABLE):
    register(
        f"cases.{status.value}", label=f"案件：{status.label}", model=LostContactCase, q=Q(status=status)
    )
register(
    "cases.second_search",
    label="待党委再次查找",
    model=LostContactCase,
    q=Q(status=CaseStatus.UNREACHABLE, second_search_done_on__isnull=True),
)
register(
    "assistance.pending",
    label="待答复的协查请求",
    model=AssistanceRequest,
    q=Q(answered_on__isnull=True),
    organization="to_organization",
)
