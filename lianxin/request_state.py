"""What is worth reading once per request: a user's grants, posts and the like.

Every such cache lives here, in a store opened for one request by `RequestStateMiddleware`
(or for one unit of work by `scope()`: a daily job, a test that stands for a request), and is
dropped with it. Inside the store each user has their own entries, keyed by the user's id, so
two objects of the same user share them and one forgetting clears both.

- `cached(user, key, compute)`   the user's value for `key`, computed once per store
- `shared(key, compute)`         a value that belongs to no user (the roots of the tree)
- `forget(user)`                 drop the user's entries (their posts or grants changed);
                                 `forget()` drops everything

The user's entries are dropped on login and logout, and the whole store whenever a post, a
delegation, an object permission or a group membership is saved or deleted (see `connect`),
so a change made earlier in the same request is seen. Outside a store nothing is cached: a script or a shell reads fresh every time.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_store = ContextVar("lianxin_request_state", default=None)
_SHARED = "shared"  # key of the entries that belong to no user (user ids are ints)


@contextmanager
def scope():
    """Open a fresh store for the block (nested blocks get their own)."""
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def cached(user, key, compute):
    store = _store.get()
    if store is None:
        return compute()
    entries = store.setdefault(user.pk, {})
    if key not in entries:
        entries[key] = compute()
    return entries[key]


def shared(key, compute):
    store = _store.get()
    if store is None:
        return compute()
    entries = store.setdefault(_SHARED, {})
    if key not in entries:
        entries[key] = compute()
    return entries[key]


def forget(user=None):
    store = _store.get()
    if store is None:
        return
    if user is None:
        store.clear()
    else:
        store.pop(user.pk, None)


class RequestStateMiddleware:
    """One store per request, from before the user is loaded until the response is rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope():
            return self.get_response(request)


def _forget_user(sender, user=None, **kwargs):
    if user is not None:
        forget(user)


def _forget_everyone(sender, **kwargs):
    """A post, delegation or grant changed: whose entries it touches (the holder, their
    delegates, a group's members) is more than worth working out for a change this rare."""
    forget()


def connect():
    """Called once from LianxinConfig.ready()."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from lianxin.models import Delegation, OrganizationGroupPermission, OrganizationUserPermission, Post

    user_logged_in.connect(_forget_user, dispatch_uid="lianxin_state_login")
    user_logged_out.connect(_forget_user, dispatch_uid="lianxin_state_logout")
    for model in (Post, Delegation, OrganizationUserPermission, OrganizationGroupPermission):
        post_save.connect(_forget_everyone, sender=model, dispatch_uid=f"lianxin_state_save_{model.__name__}")
        post_delete.connect(
            _forget_everyone, sender=model, dispatch_uid=f"lianxin_state_delete_{model.__name__}"
        )
    m2m_changed.connect(
        _forget_everyone, sender=get_user_model().groups.through, dispatch_uid="lianxin_state_groups"
    )
