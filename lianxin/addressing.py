"""Who answers for an item: the people holding the posts at its desk, today.

Work is addressed to a post at an organization, never to a person: the desk of an item is the
organization of the rule's tier above the item (its branch; the 基层党委 that seals for it —
a 党总支 without approval authority only passes cases on, as in disposition._seal; the
department). The holders of the desk's posts whose role carries the rule's right answer for it,
and so do the delegates of those posts while a 代办委托 runs (lianxin.models.Delegation). When a
post changes hands, its work is the new holder's at once; nothing waits on someone who left.

- Nobody holds such a post at the desk: the level above answers for it at once.
- The deadline passed ESCALATE_DAYS ago: the level above (`rule.escalate_to`) is told as well.
- Nobody at all up the tree: the administrators (superusers), who can staff the post.

Staff reads the posts of every organization involved in three queries, whatever the number of
items.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from lianxin.models import (
    KIND_TIER,
    TIER_BRANCH,
    TIER_COMMITTEE,
    TIER_DEPARTMENT,
    Delegation,
    Organization,
    OrgKind,
    Post,
    Role,
)
from lianxin.posts import ROLE_PERMISSIONS

RANK = {TIER_BRANCH: 0, TIER_COMMITTEE: 1, TIER_DEPARTMENT: 2}
# The posts that answer at each tier (an observer only reads).
TIER_ROLES = {
    TIER_BRANCH: {Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE},
    TIER_COMMITTEE: {Role.COMMITTEE_REVIEWER},
    TIER_DEPARTMENT: {Role.DEPARTMENT_APPROVER},
}
UNSTAFFED, ESCALATED, DIRECT = "unstaffed", "escalated", "direct"
WHOLE_TREE = 5000  # organizations above the items past which Staff reads every post at once


@dataclass(frozen=True)
class Address:
    user: object
    post: object  # the post the work comes through
    delegated: bool = False  # the user does it as the post's delegate ("由…代为办理")
    why: str = DIRECT  # direct | escalated (the deadline passed) | unstaffed (nobody below)


def roles_with(perm, tier):
    return {role for role in TIER_ROLES[tier] if perm in ROLE_PERMISSIONS[role]}


class Staff:
    """The active posts and delegations of the organizations above a set of items."""

    def __init__(self, paths, today):
        self.today = today
        chain_paths = {p for path in paths for p in _ancestor_paths(path)}
        # A province's daily digest involves every unit: then read them all rather than name
        # sixty thousand paths in one query (more than SQLite takes, and no faster elsewhere).
        every = len(chain_paths) > WHOLE_TREE
        orgs = Organization.objects.all() if every else Organization.objects.filter(path__in=chain_paths)
        self.orgs = {
            o.path: o for o in orgs.only("pk", "path", "depth", "kind", "name", "approves_probationary")
        }
        posts = Post.objects.filter(ended_on__isnull=True, user__is_active=True)
        delegations = Delegation.objects.filter(
            starts_on__lte=today, ends_on__gte=today, delegate__is_active=True, post__ended_on__isnull=True
        )
        if not every:
            posts = posts.filter(organization__path__in=chain_paths)
            delegations = delegations.filter(post__organization__path__in=chain_paths)
        self.posts = defaultdict(list)
        for post in posts.select_related("user", "organization").order_by("pk"):
            self.posts[post.organization.path].append(post)
        self.delegates = defaultdict(list)
        for d in delegations.select_related("delegate").order_by("pk"):
            self.delegates[d.post_id].append(d.delegate)
        self._admins = None

    def chain(self, path):
        """The organization at `path` and its ancestors, nearest first."""
        return [self.orgs[p] for p in reversed(_ancestor_paths(path)) if p in self.orgs]

    def desk(self, path, tier):
        """The organization of `tier` that answers for what happens at `path`."""
        for org in self.chain(path):
            if KIND_TIER[org.kind] != tier:
                continue
            if org.kind == OrgKind.GENERAL_BRANCH and not org.approves_probationary:
                continue
            return org
        return None

    def holders(self, org, roles, exclude=frozenset(), why=DIRECT):
        found = []
        for post in self.posts.get(org.path, ()):
            if post.role not in roles:
                continue
            if post.user_id not in exclude:
                found.append(Address(post.user, post, False, why))
            for delegate in self.delegates.get(post.pk, ()):
                if delegate.pk not in exclude and delegate.pk != post.user_id:
                    found.append(Address(delegate, post, True, why))
        return found

    def above(self, path, rank, why, exclude=frozenset(), strictly_above=None):
        """The nearest organization up from `path` of at least `rank` with someone at it."""
        for org in self.chain(path):
            if strictly_above is not None and len(org.path) >= len(strictly_above.path):
                continue
            tier = KIND_TIER[org.kind]
            if RANK[tier] < rank:
                continue
            found = self.holders(org, TIER_ROLES[tier], exclude, why)
            if found:
                return found
        return []

    def admins(self, why=UNSTAFFED):
        if self._admins is None:
            self._admins = list(
                get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk")
            )
        return [Address(user, None, False, why) for user in self._admins]

    def address(self, item):
        """Who answers for the item today (fills and returns item.addressees)."""
        rule, path = item.rule, item.organization.path
        desk = self.desk(path, rule.tier)
        exclude = item.line.exclude
        found = self.holders(desk, roles_with(rule.perm, rule.tier), exclude) if desk else []
        if not found:
            found = (
                self.above(path, RANK[rule.tier], UNSTAFFED, exclude, strictly_above=desk) or self.admins()
            )
        elif rule.escalate_to and self.today >= item.escalates_on:
            found += self.above(path, RANK[rule.escalate_to], ESCALATED, exclude, strictly_above=desk)
        seen, unique = set(), []
        for address in found:
            if address.user.pk not in seen:
                seen.add(address.user.pk)
                unique.append(address)
        item.addressees = unique
        return unique


def _ancestor_paths(path):
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def address_all(items, today):
    """Address every item (three queries for all of them)."""
    staff = Staff({item.organization.path for item in items}, today)
    for item in items:
        staff.address(item)
    return items
