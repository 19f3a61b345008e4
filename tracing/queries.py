"""Which cases a user sees (one place, used by every case view).

A user sees the cases of their subtree, plus — for 协查 — each single case another
organization asked their organization to help with (and nothing else of that branch).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from lianxin import access
from members.status import duration_text
from tracing.models import AssistanceRequest, CaseStatus, Channel, LostContactCase


def assisted_case_ids(user):
    scope = access.scope_q(user, access.VIEW, "to_organization__path")
    requests = AssistanceRequest.objects.all() if scope is None else AssistanceRequest.objects.filter(scope)
    return requests.values("case_id")


def cases_visible_to(user):
    own = access.scope_q(user, access.VIEW, "organization__path")
    cases = LostContactCase.objects.select_related("member", "organization", "opened_by")
    if own is None:
        return cases
    # The few cases others asked this user's units to help with, read once (cached on the user):
    # an OR with a subquery would keep PostgreSQL from using the path index on every case query.
    assisted = user.__dict__.get("_lianxin_assisted")
    if assisted is None:
        assisted = user.__dict__["_lianxin_assisted"] = list(
            assisted_case_ids(user)[:1000].values_list("case_id", flat=True)
        )
    return cases.filter(own | Q(pk__in=assisted)) if assisted else cases.filter(own)


def is_helper_only(user, case):
    """The user sees this case only because their organization was asked for help."""
    return not access.can(user, access.VIEW, case)


@dataclass
class CaseSummary:
    """What an approver reads before deciding: the search log in numbers (tracing/_case_summary.html)."""

    case: LostContactCase
    attempts: int  # the branch's effective attempts (corrections replace what they supersede)
    channels: list
    first: datetime | None
    last: datetime | None
    committee_attempts: int
    duration: str

    @property
    def awaiting_second_search(self):
        """ "确实无法取得联系" but the committee has not finished its second search (登记表)."""
        return self.case.status == CaseStatus.UNREACHABLE and not self.case.second_search_done_on


def case_summary(case):
    """One query over the case's effective attempts, however many there are."""
    rows = list(
        case.attempts.filter(superseded_by__isnull=True)
        .order_by("searched_at", "pk")
        .values_list("channel", "searched_at", "by_committee")
    )
    branch = [(channel, at) for channel, at, by_committee in rows if not by_committee]
    return CaseSummary(
        case=case,
        attempts=len(branch),
        channels=[Channel(c).label for c in sorted({c for c, _at in branch})],
        first=branch[0][1] if branch else None,
        last=branch[-1][1] if branch else None,
        committee_attempts=len(rows) - len(branch),
        duration=duration_text(case.lost_since, case.closed_on or timezone.localdate()),
    )
