"""Which cases a user sees (one place, used by every case view).

A user sees the cases of their subtree, plus — for 协查 — each single case another
organization asked their organization to help with (and nothing else of that branch).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from lianxin import access, request_state
from lianxin.models import Organization
from members.status import add_months, duration_text
from tracing.models import AssistanceRequest, Channel, LostContactCase, SearchAttempt


def assisted_case_ids(user):
    scope = access.scope_q(user, access.VIEW, "to_organization__path")
    requests = AssistanceRequest.objects.all() if scope is None else AssistanceRequest.objects.filter(scope)
    return requests.values("case_id")


def _assisted(user):
    """The few cases others asked this user's units to help with, read once per request: an OR
    with a subquery would keep PostgreSQL from using the path index on every case query."""
    return request_state.cached(
        user, "assisted_cases", lambda: list(assisted_case_ids(user)[:1000].values_list("case_id", flat=True))
    )


def cases_visible_to(user):
    own = access.scope_q(user, access.VIEW, "organization__path")
    cases = LostContactCase.objects.select_related("member", "organization", "opened_by")
    if own is None:
        return cases
    assisted = _assisted(user)
    return cases.filter(own | Q(pk__in=assisted)) if assisted else cases.filter(own)


def sees_assisted_cases(user):
    """Does the user see cases outside their scope (协查)? Then no counter holds their case list."""
    return access.scope_q(user, access.VIEW, "organization__path") is not None and bool(_assisted(user))


def can_see_case(user, case):
    """Whether `case` is among cases_visible_to(user), without a query per case."""
    return access.can(user, access.VIEW, case) or case.pk in _assisted(user)


def is_helper_only(user, case):
    """The user sees this case only because their organization was asked for help."""
    return not access.can(user, access.VIEW, case)


class LostBand(models.TextChoices):
    """与党组织失去联系时间, the case list's bands."""

    UNDER_ONE_YEAR = "lt1", "不满1年"
    ONE_TO_TWO_YEARS = "1to2", "1至2年"
    OVER_TWO_YEARS = "gt2", "2年以上"


def lost_band_q(band, today):
    year_ago, two_years_ago = add_months(today, -12), add_months(today, -24)
    return {
        LostBand.UNDER_ONE_YEAR: Q(lost_since__gt=year_ago),
        LostBand.ONE_TO_TWO_YEARS: Q(lost_since__lte=year_ago, lost_since__gt=two_years_ago),
        LostBand.OVER_TWO_YEARS: Q(lost_since__lte=two_years_ago),
    }[band]


def filter_cases(cases, user, filters, today):
    """`cases` narrowed by the case list's filters (CaseFilterForm.filters()); a unit outside
    the user's scope is 404."""
    if "q" in filters:
        cases = cases.filter(member__name__contains=filters["q"])
    if "status" in filters:
        cases = cases.filter(status=filters["status"])
    if "band" in filters:
        cases = cases.filter(lost_band_q(filters["band"], today))
    if "reason" in filters:
        cases = cases.filter(reason=filters["reason"])
    if "org" in filters:
        branch = access.get_or_404(user, access.VIEW, Organization.objects.all(), pk=filters["org"])
        cases = cases.filter(organization__path__startswith=branch.path)
    return cases


def attempt_counts(cases):
    """{case pk: number of search attempts} for these rows only: a GROUP BY over the whole scope
    made the paginator's count scan every search attempt of a province."""
    rows = SearchAttempt.objects.filter(case__in=[c.pk for c in cases]).values_list("case")
    return dict(rows.annotate(n=Count("pk")).values_list("case", "n"))


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
        return self.case.awaiting_second_search


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
