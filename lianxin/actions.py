"""Actions on objects, asked in one place by the view that does them and the page that links to them.

Each app registers its actions in its own `actions.py` (discovered at start-up, as Django's admin
discovers `admin.py`, so this module never names an app):

    register("disposition:disposition_withdraw", perm=perms.DECIDE_BRANCH, when=lambda d: d.status in ACTIVE)

- `perm`: the scope permission the action needs on the object — a name, a tuple of names of
  which one suffices, or a function of the object returning either (None: nobody).
- `when`: the states of the object in which the action makes sense (default: always).
- `on`: the object the right is checked on, when it is not the object itself.
- `check`: instead of `perm`, a function of the user and the object answering the right itself,
  for an action whose right is not a scope permission (a case seen through 协查); its view
  checks the same rule its own way.
- `refuse`: a function of the object and the user giving why the service would refuse this user
  although they hold the right (separation of duties), or "" — the page then says why.
- `url`: the link (default: the URL name reversed with the object's pk; no object: no args).

A view calls `require(user, name, obj)`: 404 when the object is outside what the user may view,
403 without the right. A page renders the link with `{% action name obj "label" %}`
(lianxin_actions), which renders nothing unless `allowed(user, name, obj)` — the same right, the
state, and no refusal. So a link shown is a link that works. An action registered without an
object (`obj=None`) needs the permission anywhere in the user's scope.
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
    refuse: object = None
    check: object = None

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


def register(name, *, perm=None, when=None, on=None, url=None, method="get", refuse=None, check=None):
    if (perm is None) == (check is None):
        raise ValueError(f"{name}: give the action a perm or a check")
    _REGISTRY[name] = Action(name, perm, when=when, on=on, url=url, method=method, refuse=refuse, check=check)


def get(name):
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no action registered as {name!r}") from None


def may(user, name, obj):
    """The right alone: what the view enforces (the state is the service's to refuse)."""
    action = get(name)
    if action.check is not None:
        return action.check(user, obj)
    perms = action.perms(obj)
    if obj is None:
        return any(access.has_any(user, perm) for perm in perms)
    target = action.on(obj) if action.on else obj
    return target is not None and any(access.can(user, perm, target) for perm in perms)


def _in_state(action, obj):
    return action.when is None or action.when(obj)


def allowed(user, name, obj):
    """The right, the state and no refusal: whether a page shows the action."""
    action = get(name)
    if not _in_state(action, obj) or not may(user, name, obj):
        return False
    return not (action.refuse and action.refuse(obj, user))


def refusal(user, name, obj):
    """Why a user who holds the right may still not take the action now (the service would
    refuse it), or "": a page says it where it would otherwise show the action."""
    action = get(name)
    if action.refuse is None or not _in_state(action, obj) or not may(user, name, obj):
        return ""
    return action.refuse(obj, user)


def require(user, name, obj):
    """In the view: 404 outside what the user may view, 403 without the action's right."""
    if obj is not None and not access.can(user, access.VIEW, obj):
        raise Http404
    if not may(user, name, obj):
        raise PermissionDenied


def url(name, obj):
    return get(name).link(obj)


def register_reveal(field):
    """查看完整号码 of `field`: a POST that records who looked (lianxin/disclosure.py calls this for
    every field an app makes revealable)."""
    register(
        f"reveal_value.{field}",
        perm=access.VIEW,
        method="post",
        url=lambda obj: reverse("reveal_value", args=[obj._meta.label_lower, obj.pk, field]),
    )


# lianxin's own pages (autodiscovery imports this module for the lianxin app).
def _register_own():
    from lianxin.delegations import may_arrange

    # 代办委托 (lianxin/todo_views.py): one's own post, or a post below one's own.
    register("delegation_add", check=may_arrange)
    register("delegation_end", check=lambda user, d: may_arrange(user, d.post), method="post")


_register_own()
