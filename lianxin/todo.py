"""待办 for one person: the overdue rules' items addressed to them, and — for a committee or a
department — their subordinate units ranked by overdue work.

The same addressing decides the 待办 page, the 工作台's counts and the daily digest, so what a
person is sent is what they see. The page costs a bounded number of queries: on a small scope
one to find the rules with work and one for each of them, else one per rule; three for the posts
above the items; one per rule for the ranking.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from lianxin import access, overdue
from lianxin.addressing import RANK, Staff, roles_with
from lianxin.dashboard import counted
from lianxin.models import TIER_BRANCH, Organization, Post
from lianxin.posts import active_delegations
from lianxin.queries import active_posts


@dataclass
class Entry:
    """One item as one person sees it."""

    item: overdue.Item
    address: object  # lianxin.addressing.Address
    tab: str
    url: str  # the action where they may take it, the record where they may only look

    @property
    def on_behalf_of(self):
        return self.address.post if self.address.delegated else None


def seats(user, today):
    """The posts the user answers for today: their own, and those delegated to them."""
    own = list(active_posts(user))
    lent = [
        d.post for d in active_delegations(user, today).select_related("post__organization", "post__user")
    ]
    return own + [post for post in lent if post.pk not in {p.pk for p in own}]


def _unstaffed(rule):
    """Rows whose branch has nobody holding a post that carries the rule's right."""
    holders = Post.objects.filter(
        organization=OuterRef(rule.org_field),
        ended_on__isnull=True,
        user__is_active=True,
        role__in=roles_with(rule.perm, TIER_BRANCH),
    )
    return ~Exists(holders)


def _where_for(user, posts, today):
    """Each rule's filter for this user: their subtrees; for a branch rule, when they hold no
    branch post, only what can reach them — escalated, or at a branch with nobody in post."""
    unrestricted = access.is_unrestricted(user)
    paths = sorted({p.organization.path for p in posts})
    paths = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    ranks = {RANK[p.organization.tier] for p in posts}

    def where(rule):
        q = Q()
        if not unrestricted:
            q = Q(pk__in=[])
            for path in paths:
                q |= Q(**{f"{rule.path_field}__startswith": path})
        if rule.tier == TIER_BRANCH and RANK[TIER_BRANCH] not in ranks and not rule.separation:
            clocks = rule.clocks()
            reach = _unstaffed(rule)
            if rule.escalate_to:
                reach |= overdue.escalated_q(clocks, today)
            q &= reach
        return q

    # Everything the filters are made of, besides the rules (overdue.rules_with_work keeps the
    # probe's SQL under it).
    where.key = ("todo", unrestricted, tuple(paths), tuple(sorted(ranks)), today)
    return where


def _reachable(user, posts):
    """The rules whose items can be addressed to the user: work goes to its desk's tier and, when
    nobody is there or it waits too long, upward — never down. So a secretary who holds (or is
    lent) no committee post is never asked the committee's rules; the administrators all."""
    if access.is_unrestricted(user):
        return None
    top = max(RANK[p.organization.tier] for p in posts)
    return lambda rule: RANK[rule.tier] <= top


def entries_for(user, today):
    """The user's items today, most urgent first (a fixed number of queries)."""
    posts = seats(user, today)
    if not posts and not access.is_unrestricted(user):
        return []
    items = overdue.all_items(
        today,
        where_for=_where_for(user, posts, today),
        include=_reachable(user, posts),
        probe=counted(user) is None,  # a branch or a committee: most rules have nothing there
    )
    staff = Staff({item.organization.path for item in items}, today)
    found = []
    for item in items:
        for address in staff.address(item):
            if address.user.pk == user.pk:
                found.append(Entry(item, address, item.tab(today), _url_for(user, item)))
    order = {overdue.OVERDUE: 0, overdue.SOON: 1, overdue.TODO: 2}
    found.sort(key=lambda e: (order[e.tab], e.item.due_on, e.item.rule.key, e.item.pk))
    return found


def _url_for(user, item):
    """A link is shown only where following it works: the action, or the record to look at."""
    acts = access.can(user, item.rule.perm, item.organization) and user.pk not in item.line.exclude
    return item.line.url if acts or not item.line.view_url else item.line.view_url


def counts(entries):
    out = {tab: 0 for tab in overdue.TABS}
    for entry in entries:
        out[entry.tab] += 1
    return out


def ranking(user, today):
    """The units directly below the user's committee or department posts, most overdue first:
    [(organization, overdue, all)] (one query per rule, one for the names)."""
    tops = [p.organization for p in seats(user, today) if RANK[p.organization.tier] > RANK[TIER_BRANCH]]
    tops = [o for o in tops if not any(o.path.startswith(t.path) and o.path != t.path for t in tops)]
    if not tops:
        return []
    totals = {}
    for depth in {o.depth + 1 for o in tops}:
        under = [o.path for o in tops if o.depth + 1 == depth]
        for rule in overdue.rules():
            for unit, (late, total) in overdue.unit_counts(rule, today, under=under, depth=depth).items():
                was = totals.get(unit, (0, 0))
                totals[unit] = (was[0] + late, was[1] + total)
    units = Organization.objects.filter(path__in=totals).only("pk", "name", "path", "kind")
    rows = [(unit, *totals[unit.path]) for unit in units]
    rows.sort(key=lambda row: (-row[1], -row[2], row[0].path))
    return rows
