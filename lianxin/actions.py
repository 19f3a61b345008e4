"""Actions on objects, asked in one place by the view that does them and the page that links to them.

Each app registers its actions in its own `actions.py` (discovered at start-up, as Django's admin
discovers `admin.py`, so this module never names an app):

    register("disposition:disposition_withdraw", perm="decide_branch", when=lambda d: d.status in ACTIVE)

- `perm`: the scope permission the action needs on the object — a name, a tuple of names of
  which one suffices, or a function of the object returning either (None: nobody).
- `when`: the states of the object in which the action makes sense (default: always).
- `on`: the object the right is checked on, when it is not the object itself.
- `url`: the link (default: the URL name reversed with the object's pk; no object: no args).

A view calls `require(user, name, obj)`: 404 when the object is outside what the user may view,
403 without the right. A page renders the link with `{% action name obj "label" %}`
(lianxin_actions), which renders nothing unless `allowed(user, name, obj)` — the same right, and
the state. So a link shown is a link that works. An action registered without an object
(`obj=None`) needs the permission anywhere in the user's scope.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from lianxin import access


@dataclass(frozen=True)
class Action:
    name: str
    perm: object
    when: object = None
    on: object = None
    url: object = None
    method: str = "get"

    def perms(self, obj):
        perm = self.perm(obj) if callable(self.perm) else self.perm
        if perm is None:
            return ()
        return (perm,) if isinstance(perm, str) else tuple(perm)

    def link(self, obj):
        if self.url is not None:
            return self.url(obj)
        return reverse(self.name, args=[] if obj is None else [obj.pk])


_REGISTRY = {}


def register(name, *, perm, when=None, on=None, url=None, method="get"):
    _REGISTRY[name] = Action(name, perm, when=when, on=on, url=url, method=method)


def get(name):
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no action registered as {name!r}") from None


def may(user, name, obj):
    """The right alone: what the view enforces (the state is the service's to refuse)."""
    action = get(name)
    perms = action.perms(obj)
    if obj is None:
        return any(access.has_any(user, perm) for perm in perms)
    target = action.on(obj) if action.on else obj
    return target is not None and any(access.can(user, perm, target) for perm in perms)


def allowed(user, name, obj):
    """The right and the state: whether a page shows the action."""
    action = get(name)
    if action.when is not None and not action.when(obj):
        return False
    return may(user, name, obj)


def require(user, name, obj):
    """In the view: 404 outside what the user may view, 403 without the action's right."""
    if obj is not None and not access.can(user, access.VIEW, obj):
        raise Http404
    if not may(user, name, obj):
        raise PermissionDenied


def url(name, obj):
    return get(name).link(obj)
