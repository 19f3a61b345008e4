"""Named list filters: the number on a 工作台 card is the number of rows its list opens with.

A list (by its URL name) has a base — the rows a user sees there at all — and named filters,
each a Q of the user and today. An app registers them in its `listfilters.py` (discovered at
start-up, so this module never names an app):

    register_list("members:member_list", base=lambda user: access.scoped(user, VIEW, Member.objects.all()))
    register("members:member_list", "unreachable", "联系不上", lambda user, today: Q(...))

A panel counts `base(list, user).filter(q(list, key, user, today))` and links to `url(list, key)`
(?due=key); the list view, given ?due=key, shows `rows(list, key, user, today)` — the same
query. Search or other filters the user adds narrow it further.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

PARAM = "due"


@dataclass(frozen=True)
class ListFilter:
    key: str
    label: str
    q: object  # (user, today) -> Q


_BASES = {}
_FILTERS = {}


def register_list(list_name, *, base):
    _BASES[list_name] = base


def register(list_name, key, label, q):
    _FILTERS.setdefault(list_name, {})[key] = ListFilter(key, label, q)


def choices(list_name):
    """[(key, label)] for the list's filter menu, in the order registered."""
    return [(f.key, f.label) for f in _FILTERS.get(list_name, {}).values()]


def get(list_name, key):
    """The filter named `key` on the list, or None (an unknown ?due= is ignored, not an error)."""
    return _FILTERS.get(list_name, {}).get(key)


def base(list_name, user):
    return _BASES[list_name](user)


def q(list_name, key, user, today):
    return _FILTERS[list_name][key].q(user, today)


def rows(list_name, key, user, today):
    return base(list_name, user).filter(q(list_name, key, user, today))


def url(list_name, key):
    return f"{reverse(list_name)}?{urlencode({PARAM: key})}"
