"""What the case pages link to, with the right each view requires (lianxin/actions.py)."""

from django.urls import reverse

from lianxin import perms
from lianxin.actions import register
from members.models import PartyStatus
from tracing.corrections import correctable
from tracing.models import CaseStatus, LostContactCase
from tracing.queries import can_see_case

LOG = perms.LOG_SEARCH
COMMITTEE = perms.REVIEW_COMMITTEE
# 党籍 statuses a search may be opened for (tracing.services.case_open refuses the others).
SEARCHABLE = (PartyStatus.NORMAL, PartyStatus.CORRECTION, PartyStatus.SUSPENDED)


def _open(case):
    return case.status == CaseStatus.OPEN


def _second_search_due(case):
    return case.status == CaseStatus.UNREACHABLE and not case.second_search_done_on


def _searchable(member):
    """立案查找, for any contact status: case_open refuses a member out of the party or already
    searched for. A list that knows (its query left out members with an open case) sets
    `member.has_open_case`, and no query is asked per row."""
    if member.party_status not in SEARCHABLE:
        return False
    has_open_case = getattr(member, "has_open_case", None)
    if has_open_case is None:
        has_open_case = LostContactCase.objects.filter(member=member, status=CaseStatus.OPEN).exists()
    return not has_open_case


register("tracing:case_edit", perm=LOG, when=_open)
register("tracing:case_close", perm=LOG, when=_open)
register("tracing:attempt_add", perm=LOG, when=_open)
# 记录联系 while the case is open: an attempt that reached the member (tracing/contact.py).
register("tracing:case_contact", perm=LOG, when=_open)
# The committee's second search of an unreachable case (then on the 登记表).
register(
    "tracing:attempt_add_second",
    perm=COMMITTEE,
    when=_second_search_due,
    url=lambda case: reverse("tracing:attempt_add", args=[case.pk]) + "?second=1",
)
register("tracing:second_search_done", perm=COMMITTEE, when=_second_search_due)
register(
    "tracing:assistance_request",
    perm=LOG,
    when=lambda case: case.status in (CaseStatus.OPEN, CaseStatus.UNREACHABLE),
)
register("tracing:assistance_answer", perm=LOG, when=lambda item: not item.answered_on)
# On an attempt: 更正 supersedes it (tracing/corrections.py), with the right it was logged under.
register(
    "tracing:attempt_correct",
    perm=lambda attempt: COMMITTEE if attempt.by_committee else LOG,
    when=correctable,
    url=lambda attempt: reverse("tracing:attempt_add", args=[attempt.case_id]) + f"?supersedes={attempt.pk}",
)
# Its attachment: for whoever sees the case, 协查 helpers included (tracing/attachments.py).
register(
    "tracing:attempt_attachment",
    check=lambda user, attempt: can_see_case(user, attempt.case),
    when=lambda attempt: bool(attempt.attachment),
)
# On a member.
register("tracing:case_open", perm=LOG, when=_searchable)
register("tracing:case_quick_open", perm=LOG, when=_searchable, method="post")
