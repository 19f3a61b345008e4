"""Writing services declare the right they need; the declaration is what checks it.

    @service(perm=perms.LOG_SEARCH, on="case")
    @transaction.atomic
    def case_close(*, case, acting_user, ...): ...

Before the service runs, `on` (the name of a keyword argument, or a function of the keyword
arguments) gives the object whose organization the right must cover, `perm` (a scope
permission, a tuple of which any one suffices, or a function of the keyword arguments giving
either) the right, and `access.can(acting_user, perm, obj)` decides; otherwise PermissionDenied
and nothing runs. The service then runs with `acting_user` as the history user.

Every decorated service is in REGISTRY, so a test calls each one with a user lacking the
right (tests/security/test_service_rights.py). A service called by another service (closing
a case records the contact with the member) runs under the outer service's check: the outer
action is the one the user asked for, and its right is what was checked.

A service runs in one transaction, and the per-organization counters its writes change are
written once, at its end (lianxin/counters.py).
"""

from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal

from lianxin import access, counters
from lianxin.audit import acting_as

REFUSED = "您没有办理此事项的权限。"

_checked_for = ContextVar("lianxin_service_checked_for", default=None)


@dataclass(frozen=True)
class Declaration:
    name: str  # module.function
    perm: object
    on: object
    function: object  # the decorated service


REGISTRY: dict[str, Declaration] = {}
# Sent when a service the user asked for (not one it called) has finished, its writes and its
# counters in place; sender: its Declaration (the tests recount the counters on it).
service_done = Signal()


def _resolve(spec, kwargs):
    return spec(kwargs) if callable(spec) else spec


def required(declaration, kwargs):
    """(perms, obj) the call needs: any one of `perms` on `obj`."""
    perms = _resolve(declaration.perm, kwargs)
    perms = (perms,) if isinstance(perms, str) else tuple(perms)
    on = declaration.on
    obj = on(kwargs) if callable(on) else kwargs[on]
    return perms, obj


def check(declaration, kwargs):
    user = kwargs.get("acting_user")
    if user is None or not user.is_authenticated:
        raise PermissionDenied(REFUSED)
    perms, obj = required(declaration, kwargs)
    if obj is None or not any(access.can(user, perm, obj) for perm in perms):
        raise PermissionDenied(REFUSED)


def service(*, perm, on):
    def decorate(function):
        name = f"{function.__module__}.{function.__qualname__}"

        @wraps(function)
        def wrapper(*args, **kwargs):
            if args:
                raise TypeError(f"{name} takes keyword arguments only")
            user = kwargs.get("acting_user")
            if user is None or _checked_for.get() != user.pk:
                check(declaration, kwargs)
            outermost = _checked_for.get() is None
            token = _checked_for.set(user.pk)
            try:
                # One transaction, its counters written once at its end (lianxin/counters.py).
                with acting_as(user), counters.deferred():
                    result = function(**kwargs)
            finally:
                _checked_for.reset(token)
            if outermost:
                service_done.send(sender=declaration, kwargs=kwargs)
            return result

        declaration = Declaration(name=name, perm=perm, on=on, function=wrapper)
        REGISTRY[name] = declaration
        wrapper.declaration = declaration
        return wrapper

    return decorate
