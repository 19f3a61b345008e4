"""What the case pages link to, with the right each view requires (lianxin/actions.py)."""

from django.urls import reverse

from lianxin.actions import register
from tracing.models import CaseStatus

LOG = "log_search"


def _open(case):
    return case.status == CaseStatus.OPEN


def _second_search_due(case):
    return case.status == CaseStatus.UNREACHABLE and not case.second_search_done_on


register("tracing:case_edit", perm=LOG, when=_open)
register("tracing:case_close", perm=LOG, when=_open)
register("tracing:attempt_add", perm=LOG, when=_open)
# The committee's second search of an unreachable case (then on the 登记表).
register(
    "tracing:attempt_add_second",
    perm="review_committee",
    when=_second_search_due,
    url=lambda case: reverse("tracing:attempt_add", args=[case.pk]) + "?second=1",
)
register("tracing:second_search_done", perm="review_committee", when=_second_search_due)
register(
    "tracing:assistance_request",
    perm=LOG,
    when=lambda case: case.status in (CaseStatus.OPEN, CaseStatus.UNREACHABLE),
)
register("tracing:assistance_answer", perm=LOG, when=lambda item: not item.answered_on)
# On a member.
register("tracing:case_open", perm=LOG)
register("tracing:case_quick_open", perm=LOG, method="post")
