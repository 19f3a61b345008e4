"""The reads behind the 统计表: the latest case of every member in scope, grouped in the database.

One query groups the members by unit and by what decides their columns (the case's status,
whether it was closed by the date, an approved outcome, an active disposition) and counts them
(and lists their ids, for a drill-down); a second reads the approved outcomes of the cases that
have one. Nothing runs once per case: the test for the latest case is a NOT EXISTS the planner
turns into an anti-join, the dispositions are hashed sets. At 5,000,000 members a province holds
about 100,000 cases; four subqueries per case, then a row per case into Python, took seconds.
"""

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, StringAgg, Value, When
from django.db.models.functions import Cast, Substr

from disposition.models import ACTIVE, Disposition, DispositionStatus
from lianxin.models import Organization
from tracing.models import LostContactCase


def approved_by(as_of):
    """Dispositions approved by `as_of` and not revoked by then (a later revocation still counts)."""
    return Disposition.objects.filter(
        status__in=[DispositionStatus.APPROVED, DispositionStatus.REVOKED], approved_on__lte=as_of
    ).exclude(revoked_on__lte=as_of)


def _later_case(as_of):
    """A case of the same member opened by `as_of` after the joined one (by opening date, then id)."""
    return LostContactCase.objects.filter(member=OuterRef("cases__member_id"), opened_on__lte=as_of).filter(
        Q(opened_on__gt=OuterRef("cases__opened_on"))
        | Q(opened_on=OuterRef("cases__opened_on"), pk__gt=OuterRef("cases__pk"))
    )


def case_groups(organization, as_of, scope_members, with_ids=False):
    """(unit path, case status, closed by the date, case id if it has an approved outcome, has an
    active disposition, number of members, their ids if `with_ids`) for the members of
    `scope_members` in `organization`'s subtree with a case opened by `as_of`. The unit path is the
    member's unit cut to the depth of `organization`'s children (its own path for members directly
    in it). The ids cost a string per group to build and parse: only the drill-downs ask for them."""
    step = len(organization.path) + Organization.steplen
    # Starting from the members keeps the caller's scope on the same join (no second pass over
    # the members); the annotations after the filter read the case that filter joined. The
    # dispositions are tested with IN (a set hashed once): a correlated EXISTS would be cheaper for
    # a county, but its estimated cost tips a province's query into PostgreSQL's JIT (+100 ms).
    groups = (
        scope_members.filter(organization__path__startswith=organization.path, cases__opened_on__lte=as_of)
        .alias(superseded=Exists(_later_case(as_of)))
        .filter(superseded=False)
        .annotate(
            unit=Substr("organization__path", 1, step),
            case_status=F("cases__status"),
            closed=Case(When(cases__closed_on__lte=as_of, then=Value(True)), default=Value(False)),
            approved_case=Case(When(cases__pk__in=approved_by(as_of).values("case_id"), then=F("cases__pk"))),
            active=Case(
                When(
                    cases__pk__in=Disposition.objects.filter(status__in=ACTIVE).values("case_id"),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
        .values_list("unit", "case_status", "closed", "approved_case", "active")
        .annotate(
            count=Count("pk"), **({"ids": StringAgg(Cast("pk", CharField()), Value(","))} if with_ids else {})
        )
        .order_by()
    )
    for row in groups:
        if with_ids:
            *group, count, ids = row
            yield *group, count, [int(i) for i in ids.split(",")]
        else:
            yield *row, []


# Up to this many cases, their approvals are read by id; past it, every approval in force is read
# at once: a long IN list costs more to send and plan than the rows it saves (at 7,000 cases in
# 1,000-id chunks: 190 ms against 15 ms for all of them).
BY_ID_UP_TO = 1000


def approved_outcomes(as_of, case_ids):
    """{case id: (outcome, contacted)} of the latest approval in force on `as_of` of each of
    `case_ids` (the latest by approval date, then id)."""
    if not case_ids:
        return {}
    approvals = approved_by(as_of)
    if len(case_ids) <= BY_ID_UP_TO:
        approvals = approvals.filter(case_id__in=case_ids)
    rows = approvals.order_by("case_id", "approved_on", "pk").values_list("case_id", "outcome", "contacted")
    # Ordered by approval: the last one of a case wins.
    return {case_id: (outcome, contacted) for case_id, outcome, contacted in rows if case_id in case_ids}
