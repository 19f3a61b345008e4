"""The overdue rules, as data: what must be done, by whom, by when, and who is told next.

Each app lists its rules in its own `overdue.py` (discovered like admin.py, from
lianxin/apps.py), so this core names no app:

    register(Rule(key="case_open", title="查找中的案件", tier=TIER_BRANCH, perm=perms.LOG_SEARCH,
                  escalate_to=TIER_COMMITTEE, source="…", queryset=open_cases,
                  clocks=lambda: [Clock(anchor="opened_on", due_days=limit("CASE_FIRST_ATTEMPT_DAYS"))],
                  line=case_line))

A rule's queryset holds the rows that may be work; its clocks say, from a date on the row (the
anchor), when the row becomes work and when it is overdue. A clock is turned into one indexed
comparison on the anchor (lianxin.clock.earliest_anchor), so a rule is one query for any scope
— never a Python loop over a province's members. Thresholds come from LIANXIN["OVERDUE"].

Who is responsible is lianxin/addressing.py: the posts at the rule's tier above the item.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Substr

from lianxin.clock import deadline, earliest_anchor

DAY = timedelta(days=1)
OVERDUE, SOON, TODO = "overdue", "soon", "todo"
TABS = {TODO: "待办", OVERDUE: "超期", SOON: "即将到期"}


def limit(name):
    """A threshold from LIANXIN["OVERDUE"] (lianxin/settings.py: the seeds' values by default)."""
    return settings.LIANXIN["OVERDUE"][name]


@dataclass(frozen=True)
class Clock:
    """When a row becomes work and when it is overdue, counted from one of its dates."""

    anchor: str  # the field or annotation the clock runs from
    due_months: int = 0
    due_days: int = 0
    start_months: int = 0  # becomes work this long after the anchor (negative: ahead of it)
    start_days: int = 0
    when: Q | None = None  # the rows this clock is for (None: every row of the rule)
    label: str = ""  # what the line says instead of the rule's title

    def due(self, anchor: date) -> date:
        return deadline(anchor, months=self.due_months, days=self.due_days)

    def starts(self, anchor: date) -> date:
        return deadline(anchor, months=self.start_months, days=self.start_days)

    def due_before(self, day: date) -> Q:
        """Rows whose deadline is before `day`."""
        first = earliest_anchor(day, months=self.due_months, days=self.due_days)
        return Q(**{f"{self.anchor}__lt": first})

    def started_by(self, day: date) -> Q:
        """Rows that are work on `day` (their start is on or before it)."""
        first = earliest_anchor(day + DAY, months=self.start_months, days=self.start_days)
        return Q(**{f"{self.anchor}__lt": first})

    def rows(self) -> Q:
        return self.when if self.when is not None else Q(pk__isnull=False)


@dataclass(frozen=True)
class Rule:
    key: str
    title: str  # e.g. 预警：150天未联系
    tier: str  # whose desk it lands on (lianxin.models TIER_*)
    perm: str  # the right its action needs: the posts at the desk holding it are responsible
    escalate_to: str | None  # the tier told next when the deadline passed ESCALATE_DAYS ago
    source: str  # the seed it comes from, or what is assumed where the seeds are silent
    queryset: object  # today -> QuerySet of the rows that may be work
    clocks: object  # () -> [Clock, …], read from the settings at each evaluation
    line: object  # (row, clock) -> Line
    org_field: str = "organization"  # the row's organization (a ForeignKey to Organization)
    separation: bool = False  # its lines name users who may not do the work (the chain's stages)

    @property
    def path_field(self):
        return f"{self.org_field}__path"


@dataclass
class Line:
    """What a rule says about one row."""

    subject: str  # a name; never a personal number
    detail: str
    url: str  # the page where the work is done
    organization: object  # the Organization the row belongs to
    view_url: str = ""  # where someone who may only look goes instead
    exclude: frozenset = frozenset()  # user ids who may not do it (separation of duties)
    member_pk: int | None = None  # the member it is about (so no member can slip through unlisted)


@dataclass
class Item:
    """One piece of overdue (or soon due) work."""

    rule: Rule
    pk: int
    label: str
    line: Line
    starts_on: date
    due_on: date
    addressees: list = field(default_factory=list)  # lianxin.addressing.Address, filled later

    @property
    def key(self):
        return f"{self.rule.key}:{self.pk}"

    @property
    def organization(self):
        return self.line.organization

    def tab(self, today):
        if today > self.due_on:
            return OVERDUE
        return SOON if (self.due_on - today).days <= limit("SOON_DAYS") else TODO

    @property
    def escalates_on(self):
        """The first day the level above is told."""
        return self.due_on + timedelta(days=limit("ESCALATE_DAYS") + 1)


RULES: dict[str, Rule] = {}


def register(rule):
    if rule.key in RULES and RULES[rule.key] != rule:
        raise ValueError(f"overdue rule registered twice: {rule.key}")
    RULES[rule.key] = rule
    return rule


def rules():
    return list(RULES.values())


def _clock_index(clocks):
    return Case(
        *[When(clock.rows(), then=Value(i)) for i, clock in enumerate(clocks)],
        default=Value(-1),
        output_field=IntegerField(),
    )


def _any(clocks, make):
    q = Q(pk__in=[])
    for clock in clocks:
        q |= clock.rows() & make(clock)
    return q


def work_q(rule_clocks, today):
    """Rows that are work today."""
    return _any(rule_clocks, lambda clock: clock.started_by(today))


def overdue_q(rule_clocks, today):
    return _any(rule_clocks, lambda clock: clock.due_before(today))


def escalated_q(rule_clocks, today):
    """Rows whose deadline passed more than ESCALATE_DAYS ago: the level above is told."""
    return _any(rule_clocks, lambda clock: clock.due_before(today - timedelta(days=limit("ESCALATE_DAYS"))))


def rows(rule, today, *, where=None):
    """The rule's rows that are work today (one query), each with the index of its clock."""
    clocks = rule.clocks()
    qs = rule.queryset(today).filter(work_q(clocks, today))
    if where is not None:
        qs = qs.filter(where)
    return qs.annotate(overdue_clock=_clock_index(clocks)), clocks


def items(rule, today, *, where=None):
    """The rule's work today as Items (one query; `where` narrows it, e.g. to a scope)."""
    qs, clocks = rows(rule, today, where=where)
    out = []
    for row in qs:
        if row.overdue_clock < 0:
            continue
        clock = clocks[row.overdue_clock]
        anchor = _value(row, clock.anchor)
        out.append(
            Item(
                rule=rule,
                pk=row.pk,
                label=clock.label or rule.title,
                line=rule.line(row, clock),
                starts_on=clock.starts(anchor),
                due_on=clock.due(anchor),
            )
        )
    return out


def _value(row, path):
    for part in path.split("__"):
        row = getattr(row, part)
    return row


def all_items(today, *, where_for=None, include=None, probe=False):
    """Every rule's work today; `where_for(rule)` gives each rule's extra filter (or None), and
    `include(rule)`, when given, says which rules are asked at all. With `probe` (a small scope,
    where most rules have no work), one query first finds the rules that have any."""
    asked = [rule for rule in rules() if include is None or include(rule)]
    if probe:
        busy = rules_with_work(today, asked, where_for=where_for)
        asked = [rule for rule in asked if rule.key in busy]
    found = []
    for rule in asked:
        found.extend(items(rule, today, where=where_for(rule) if where_for else None))
    return found


def rules_with_work(today, asked, *, where_for=None):
    """The keys of the rules among `asked` that have work today, in one query: each rule's rows
    reduced to the rule's number, in a UNION. On a branch, asking each of a dozen rules for its
    rows costs more than the rows: it is Django building and PostgreSQL planning empty queries.

    Building that UNION costs three times running it, so its SQL is kept for the day when
    `where_for` names what decides its filters (`where_for.key`, lianxin/todo.py): everything
    else in it is the rules and their thresholds (LIANXIN["OVERDUE"]), part of the key."""
    if not asked:
        return set()
    scope_key = getattr(where_for, "key", None) if where_for else ()
    if scope_key is None:
        return {asked[n].key for (n,) in _probe(today, asked, where_for)}
    from lianxin.models import Organization

    alias = router.db_for_read(Organization)  # the same for every model: lianxin/replica.py
    key = (alias, today, tuple(r.key for r in asked), scope_key, repr(settings.LIANXIN["OVERDUE"]))
    compiled = _PROBE_SQL.get(key)
    if compiled is None:
        try:
            compiled = _probe(today, asked, where_for).query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            compiled = ()
        if len(_PROBE_SQL) >= PROBE_SQL_KEPT:
            _PROBE_SQL.clear()  # yesterday's and the least asked: all cheap to build again
        _PROBE_SQL[key] = compiled
    if not compiled:
        return set()
    with connections[alias].cursor() as cursor:
        cursor.execute(*compiled)
        return {asked[n].key for (n,) in cursor.fetchall()}


PROBE_SQL_KEPT = 500  # scopes whose probe SQL a process keeps (about 8 KB each: 4 MB at most)
_PROBE_SQL = {}


def _probe(today, asked, where_for):
    """The UNION of `rules_with_work` as a queryset of rule numbers."""
    parts = []
    for n, rule in enumerate(asked):
        qs = rule.queryset(today).filter(work_q(rule.clocks(), today))
        where = where_for(rule) if where_for else None
        if where is not None:
            qs = qs.filter(where)
        parts.append(qs.order_by().values_list(Value(n, output_field=IntegerField())).distinct())
    return parts[0].union(*parts[1:])


def unit_counts(rule, today, *, under, depth):
    """{unit path: (overdue, all)} for the units at `depth` below the paths `under` (one query)."""
    from lianxin.models import Organization

    clocks = rule.clocks()
    scope = Q()
    for path in under:
        scope |= Q(**{f"{rule.path_field}__startswith": path})
    length = depth * Organization.steplen
    qs = (
        rule.queryset(today)
        .filter(work_q(clocks, today) & scope)
        .annotate(unit=Substr(rule.path_field, 1, length))
        .values("unit")
        .annotate(
            total=Count("pk", distinct=True), late=Count("pk", filter=overdue_q(clocks, today), distinct=True)
        )
        .order_by()
    )
    return {row["unit"]: (row["late"], row["total"]) for row in qs if len(row["unit"]) == length}
