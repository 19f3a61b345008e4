"""Which of a rule's rows are addressed to one person, as one SQL filter.

lianxin/addressing.py says who answers for an item, in Python, for the digest that addresses
everything at once. The 待办 page and the 工作台 need the other direction — the rows one person
answers for — and only their number and the first few: so the same rules are written here as a
filter on the rule's rows (tests/lianxin/test_todo_sql.py checks that both agree for every
person):

- the desk (the nearest organization of the rule's tier above the row) is the seat's
  organization, and the seat's role carries the rule's right;
- nobody at the desk holds such a post (nobody not excluded by the row): the seat is the nearest
  organization strictly above the desk, of at least the rule's tier, where anyone holds a post;
- the deadline passed ESCALATE_DAYS ago and the desk is staffed: the seat is the nearest staffed
  organization strictly above the desk of at least the `escalate_to` tier;
- nobody at all up the tree: the administrators.

The organizations above a row are found by its path (Substr of the path at each depth, so each
is one index lookup), never by a Python loop over the rows.
"""

from datetime import timedelta

from django.db.models import Case, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr

from lianxin.addressing import RANK, TIER_ROLES, roles_with
from lianxin.models import KIND_TIER, Delegation, Organization, OrgKind, Post

STEP = Organization.steplen


def _kinds(tier):
    return [kind for kind, t in KIND_TIER.items() if t == tier]


def _desk_kinds(tier):
    """Organizations that can be the desk at `tier` (a 党总支 without approval only passes on)."""
    q = Q(kind__in=_kinds(tier))
    if OrgKind.GENERAL_BRANCH in _kinds(tier):
        q &= ~Q(kind=OrgKind.GENERAL_BRANCH, approves_probationary=False)
    return q


def _on_path(path, depths, prefix="", nested=False):
    """Organizations (through `prefix`) on the row's path at these depths (`nested`: two
    subqueries down from the row)."""
    row = OuterRef(OuterRef(path)) if nested else OuterRef(path)
    q = Q(pk__in=[])
    for depth in depths:
        q |= Q(**{f"{prefix}depth": depth, f"{prefix}path": Substr(row, 1, depth * STEP)})
    return q


class Seats:
    """One person's posts as filters on the overdue rules' rows (one query, for the tree's depth)."""

    def __init__(self, user, posts, today):
        self.user, self.today = user, today
        # A lent post whose holder left is in nobody's staff (addressing.Staff reads active users).
        self.posts = [p for p in posts if p.user_id == user.pk or p.user.is_active]
        self.admin = bool(user.is_superuser and user.is_active)
        self.deepest = Organization.objects.aggregate(deepest=Max("depth"))["deepest"] or 0

    def _held(self, roles_q, excluded):
        """Posts (a Q on Post) with someone answering: the holder, or a delegate, not excluded."""
        q = roles_q & Q(ended_on__isnull=True, user__is_active=True)
        if not excluded:
            return q
        free = Q()
        lent = Delegation.objects.filter(
            post=OuterRef("pk"), starts_on__lte=self.today, ends_on__gte=self.today, delegate__is_active=True
        ).exclude(delegate_id=OuterRef("user_id"))
        for name in excluded:
            free &= ~Q(user_id=OuterRef(name))
            lent = lent.exclude(delegate_id=OuterRef(OuterRef(name)))
        return q & (free | Exists(lent))

    def _staffed_between(self, path, above_depth, rank, excluded):
        """Someone holds a post of at least `rank` strictly between `above_depth` and the desk."""
        roles = Q(pk__in=[])
        for tier, r in RANK.items():
            if r >= rank:
                roles |= Q(organization__kind__in=_kinds(tier), role__in=TIER_ROLES[tier])
        # The organizations first (one index lookup per depth), then their posts.
        between = Organization.objects.filter(
            _on_path(path, range(above_depth + 1, self.deepest + 1), nested=True),
            depth__lt=OuterRef(OuterRef("desk_below")),
        )
        posts = Post.objects.filter(self._held(roles, excluded), organization__in=between.values("pk"))
        return Exists(posts)

    def narrow(self, rule, qs, escalated):
        """The rows of `qs` (a rule's rows) addressed to the person; `escalated` is the Q of rows
        whose level above is told."""
        path = rule.path_field
        excluded = []
        for i, expression in enumerate(rule.excluded() if rule.excluded else ()):
            excluded.append(f"excluded_{i}")
            qs = qs.alias(**{excluded[-1]: Coalesce(expression, Value(0))})
        desks = Organization.objects.filter(
            _on_path(path, range(1, self.deepest + 1)), _desk_kinds(rule.tier)
        ).order_by("-depth")
        qs = qs.alias(
            desk_depth=Subquery(desks.values("depth")[:1]),
            desk_below=Coalesce(F("desk_depth"), Value(self.deepest + 1), output_field=IntegerField()),
        )
        desk_staffed = Exists(
            Post.objects.filter(
                self._held(Q(role__in=roles_with(rule.perm, rule.tier)), excluded),
                organization__depth=OuterRef("desk_depth"),
                organization__path=Substr(OuterRef(path), 1, OuterRef("desk_depth") * STEP),
            )
        )
        mine = Q(pk__in=[])
        for post in self.posts:
            mine |= self._through(rule, post, path, desk_staffed, escalated, excluded)
        if excluded:
            for name in excluded:
                mine &= ~Q(**{name: self.user.pk})
        if self.admin:
            mine |= ~desk_staffed & ~self._staffed_between(path, 0, RANK[rule.tier], excluded)
        return qs.filter(mine)

    def _through(self, rule, post, path, desk_staffed, escalated, excluded):
        """The rows the person answers for through one post."""
        org = post.organization
        tier = KIND_TIER[org.kind]
        under = Q(**{f"{path}__startswith": org.path})
        q = Q(pk__in=[])
        desk_ok = org.kind in _kinds(rule.tier) and not (
            org.kind == OrgKind.GENERAL_BRANCH and not org.approves_probationary
        )
        if desk_ok and post.role in roles_with(rule.perm, rule.tier):
            q |= Q(desk_depth=org.depth)
        if post.role in TIER_ROLES[tier] and RANK[tier] >= RANK[rule.tier]:
            nearest = ~self._staffed_between(path, org.depth, RANK[rule.tier], excluded)
            q |= ~desk_staffed & Q(desk_below__gt=org.depth) & nearest
        if rule.escalate_to and post.role in TIER_ROLES[tier] and RANK[tier] >= RANK[rule.escalate_to]:
            nearest = ~self._staffed_between(path, org.depth, RANK[rule.escalate_to], excluded)
            q |= desk_staffed & escalated & Q(desk_below__gt=org.depth) & nearest
        return under & q


def clock_q(clocks, make):
    """Rows whose own clock (the `overdue_clock` index) satisfies `make(clock)`."""
    q = Q(pk__in=[])
    for i, clock in enumerate(clocks):
        q |= Q(overdue_clock=i) & make(clock)
    return q


def tab_rank(clocks, today, soon_days):
    """0 overdue, 1 due within `soon_days`, 2 the rest (overdue.Item.tab in SQL)."""
    late = clock_q(clocks, lambda c: c.due_before(today))
    soon = clock_q(clocks, lambda c: c.due_before(today + timedelta(days=soon_days + 1)))
    return Case(
        When(late, then=Value(0)), When(soon, then=Value(1)), default=Value(2), output_field=IntegerField()
    )
