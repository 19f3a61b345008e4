"""The one place that decides who may see and do what.

Rights are guardian object permissions on Organization nodes; a grant on a node covers its
whole subtree. Every model that lives in the tree names the path of its organization in
`scope_path_field` (e.g. "organization__path") and exposes `scope_organization`.

- `scoped(user, perm, queryset)`   rows of the queryset the user may see for `perm`
- `scope_q(user, perm, field)`     the same filter as a Q, to combine with other rules (None
                                   when nothing is out of bounds: a superuser reading, or a user
                                   whose subtrees are the whole tree)
- `subtree_q(field, path)`         the rows of one subtree (a prefix and, for the index, a range)
- `can(user, perm, obj)`           may the user do `perm` to this object
- `get_or_404(user, perm, qs, …)`  fetch within scope; outside scope is 404
- `require(user, perm, obj)`       404 when the object is outside what the user may view,
                                   403 when they may view it but not do `perm`

The grants of a user are read in one query and kept for the request (lianxin/request_state.py),
so scoping costs one query whatever the size of the tree.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxin import perms, request_state
from lianxin.models import (
    SCOPE_PERMISSIONS,
    Organization,
    OrganizationGroupPermission,
    OrganizationUserPermission,
)

PERMISSIONS = frozenset(codename for codename, _label in SCOPE_PERMISSIONS)
VIEW = perms.VIEW_SCOPE


def _codename(perm):
    codename = perm.rpartition(".")[2]
    if codename not in PERMISSIONS:
        raise ValueError(f"unknown scope permission: {perm}")
    return codename


def _load_grants(user):
    """{codename: [path, …]} for the user, direct and through groups, in one query."""
    direct = OrganizationUserPermission.objects.filter(user_id=user.pk).values_list(
        "permission__codename", "content_object__path"
    )
    via_groups = OrganizationGroupPermission.objects.filter(group__user=user.pk).values_list(
        "permission__codename", "content_object__path"
    )
    grants = {}
    for codename, path in direct.union(via_groups):
        grants.setdefault(codename, []).append(path)
    return {codename: _outermost(paths) for codename, paths in grants.items()}


def _outermost(paths):
    """Drop paths already covered by an ancestor in the list."""
    kept = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def granted_paths(user, perm):
    """Tree paths whose subtrees the user holds `perm` on (empty for anonymous/inactive users)."""
    codename = _codename(perm)
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    grants = request_state.cached(user, "grants", lambda: _load_grants(user))
    return grants.get(codename, ())


def covers_whole_tree(user, paths):
    """Do these subtrees hold every organization there is (a province department on its own
    server)? Then the scope excludes nothing, and filtering by it would only cost a join over
    the whole tree on every query. The roots are read once per request, only for a user
    granted a root."""
    if not any(len(path) == Organization.steplen for path in paths):
        return False
    roots = request_state.shared(
        "roots", lambda: frozenset(Organization.objects.filter(depth=1).values_list("path", flat=True))
    )
    return roots <= set(paths)


# A superuser administers users and posts (/admin/): it reads the whole tree, and acts only
# through posts like everyone else, so the chain's separation of duties holds for it too.
SUPERUSER_PERMISSIONS = frozenset({VIEW})


def is_unrestricted(user, perm=VIEW):
    """Does the user hold `perm` on the whole tree without a grant (a superuser, reading)?"""
    if _codename(perm) not in SUPERUSER_PERMISSIONS:
        return False
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def scope_q(user, perm, path_field):
    """A Q limiting rows to the user's scope for `perm`, or None when nothing is out of bounds."""
    if is_unrestricted(user, perm):
        return None
    paths = granted_paths(user, perm)
    if not paths:
        return Q(pk__in=[])
    if covers_whole_tree(user, paths):
        return None
    q = Q()
    for path in paths:
        q |= subtree_q(path_field, path)
    return q


def subtree_q(path_field, path):
    """Rows whose organization is the one at `path` or below it. The LIKE says so exactly; the
    range says it again in terms the path's ordinary index answers in path order. Without it, a
    list sorted by unit sorted the whole county (48,000 members, 20 ms) to show its first page;
    with it PostgreSQL reads the first units' members and stops (under 1 ms). Every descendant's
    path is the prefix and steps of the alphabet, so it lies between the prefix and the prefix
    padded with the alphabet's last letter: in every collation, as the tree's own order assumes."""
    last = path + Organization.alphabet[-1] * (PATH_LENGTH - len(path))
    return Q(**{f"{path_field}__startswith": path, f"{path_field}__gte": path, f"{path_field}__lte": last})


PATH_LENGTH = Organization._meta.get_field("path").max_length


def scoped(user, perm, queryset):
    q = scope_q(user, perm, queryset.model.scope_path_field)
    return queryset if q is None else queryset.filter(q)


def organization_of(obj):
    return obj.scope_organization


def can(user, perm, obj):
    if is_unrestricted(user, perm):
        return True
    paths = granted_paths(user, perm)
    if not paths:
        return False
    org_path = organization_of(obj).path
    return any(org_path.startswith(path) for path in paths)


def get_or_404(user, perm, queryset, **lookup):
    return get_object_or_404(scoped(user, perm, queryset), **lookup)


def require(user, perm, obj):
    if not can(user, VIEW, obj):
        raise Http404
    if perm != VIEW and not can(user, perm, obj):
        raise PermissionDenied


def has_any(user, perm):
    """Does the user hold `perm` anywhere (to show or hide a menu entry)?"""
    return is_unrestricted(user, perm) or bool(granted_paths(user, perm))


def forget(user):
    """Drop what the request read about the user (their grants and posts)."""
    request_state.forget(user)


class ScopeBackend:
    """Makes `user.has_perm("lianxin.view_scope", obj)` (perms.qualified(perms.VIEW_SCOPE)) answer exactly as `can()` does."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not hasattr(obj, "scope_organization"):
            return False
        codename = perm.rpartition(".")[2]
        if codename not in PERMISSIONS:
            return False
        return can(user_obj, codename, obj)

    def get_all_permissions(self, user_obj, obj=None):
        return set()
