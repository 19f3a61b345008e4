"""A list's total from the per-organization counters (lianxin/counters.py) when it is exactly
their number: a county's or a province's list opened without a search would otherwise count
tens of thousands of rows (SELECT COUNT(*) FROM (… LIMIT 50001)) on every page view.

The view names the counters whose conditions add up to exactly its rows — the scope's, or an
organization's subtree within it — and counts its rows as before for anything else (a search,
a filter no counter follows). A small scope counts its rows too, as its 工作台 does
(lianxin/dashboard.py `counted`): a branch's count costs a few milliseconds.
"""

from lianxin import counters
from lianxin.dashboard import counted


def total(user, keys, organization=None):
    """The sum of the counters `keys` over the user's scope, or over `organization`'s subtree
    (a unit the view has already found within the scope); None when the scope is small."""
    in_scope = counted(user)  # read once per request, shared with the 工作台
    if in_scope is None:
        return None
    if organization is not None:
        in_scope = counters.totals([organization.path], keys)
    return sum(in_scope[key] for key in keys)
