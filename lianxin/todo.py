"""待办 for one person: the overdue rules' items addressed to them, and — for a committee or a
department — their subordinate units ranked by overdue work.

The same addressing decides the 待办 page, the 工作台's counts and the daily digest, so what a
person is sent is what they see. The page costs a fixed number of queries: one per rule, three
for the posts above the items, one per rule for the ranking.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, DateField, F, Q, When, Window
from django.db.models.functions import RowNumber

from lianxin import access, overdue
from lianxin.addressed import Seats, clock_q, tab_rank
from lianxin.addressing import RANK, Address, Staff
from lianxin.models import TIER_BRANCH, Organization
from lianxin.pagination import PAGE_SIZE, CappedPaginator
from lianxin.posts import active_delegations
from lianxin.queries import active_posts

TAB_ORDER = [overdue.OVERDUE, overdue.SOON, overdue.TODO]  # most urgent first; tab_rank's values


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


def _mine(rule, seats_q, today):
    """The rule's rows addressed to the person (a queryset with each row's tab) and its clocks."""
    qs, clocks = overdue.rows(rule, today)
    escalate = today - timedelta(days=overdue.limit("ESCALATE_DAYS"))
    qs = seats_q.narrow(
        rule, qs.filter(overdue_clock__gte=0), clock_q(clocks, lambda c: c.due_before(escalate))
    )
    return qs.annotate(tab_rank=tab_rank(clocks, today, overdue.limit("SOON_DAYS"))), clocks


def summary(user, today, *, first=None, tab=None):
    """({tab: count}, the user's entries most urgent first): every entry, or — with `first` —
    only the first `first` of each tab (of `tab` alone, if given). One query per rule either way:
    the counts are SQL window counts, and per rule and clock only the first rows are read."""
    posts = seats(user, today)
    counts = dict.fromkeys(overdue.TABS, 0)
    if not posts and not access.is_unrestricted(user):
        return counts, []
    seats_q = Seats(user, posts, today)
    items = []
    for rule in overdue.rules():
        qs, clocks = _mine(rule, seats_q, today)
        if first is not None:
            qs = _first_rows(qs, clocks, first, tab)
        for row in qs:
            row_tab = TAB_ORDER[row.tab_rank]
            if first is None:
                counts[row_tab] += 1
            elif row.place == 1:
                counts[row_tab] += row.in_partition
            if tab is None or row_tab == tab:
                items.append(overdue.item_of(rule, clocks, row))
    found = _entries(user, items, today)
    if first is not None:
        per_tab = {t: [e for e in found if e.tab == t][:first] for t in TAB_ORDER}
        found = [e for t in TAB_ORDER for e in per_tab[t]]
    return counts, found


def _first_rows(qs, clocks, first, tab):
    """Per clock and tab, the first `first` rows by the clock's anchor (so by due date), each
    with the size of its group; of the other tabs, one row for the count."""
    group = [F("overdue_clock"), F("tab_rank")]
    anchor = Case(
        *[When(overdue_clock=i, then=F(c.anchor)) for i, c in enumerate(clocks)], output_field=DateField()
    )
    qs = qs.annotate(
        in_partition=Window(Count("pk"), partition_by=group),
        place=Window(RowNumber(), partition_by=group, order_by=[anchor.asc(), F("pk").asc()]),
    )
    if tab is None:
        return qs.filter(place__lte=first)
    return qs.filter(Q(place__lte=first, tab_rank=TAB_ORDER.index(tab)) | Q(place=1))


def _entries(user, items, today):
    """The items as the user's entries (three queries for the posts above them), most urgent first."""
    staff = Staff({item.organization.path for item in items}, today)
    found = []
    for item in items:
        mine = [a for a in staff.address(item) if a.user.pk == user.pk]
        address = mine[0] if mine else Address(user, None)
        found.append(Entry(item, address, item.tab(today), _url_for(user, item)))
    found.sort(key=lambda e: (TAB_ORDER.index(e.tab), e.item.due_on, e.item.rule.key, e.item.pk))
    return found


def entries_for(user, today):
    """Every item addressed to the user today, most urgent first (one query per rule)."""
    return summary(user, today)[1]


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


class _Loaded(Sequence):
    """A tab's entries as far as they were read; its length is the tab's count."""

    def __init__(self, entries, counts, tab):
        self.entries, self.counts, self.tab = entries, counts, tab

    def __len__(self):
        return self.counts[self.tab]

    def __getitem__(self, index):
        return self.entries[index]


def page_of(user, today, tab, number):
    """One page of a tab of the 待办 page: the rows up to it are read, the counts are SQL's (a
    page past the first reads the counts first, to know how far to read)."""
    try:
        number = max(int(number or 1), 1)
    except ValueError:
        number = 1
    if number > 1:
        counts, _ = summary(user, today, first=1, tab=tab)
        number = min(number, max(-(-counts[tab] // PAGE_SIZE), 1))
    counts, entries = summary(user, today, first=number * PAGE_SIZE, tab=tab)
    return CappedPaginator(_Loaded(entries, counts, tab), PAGE_SIZE).get_page(number)


def counts_of(page):
    """{tab: count} of a page from page_of."""
    return page.paginator.object_list.counts
