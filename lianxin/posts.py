"""Posts and the object permissions they carry.

A post's role decides which permissions its holder has on the post's organization (and so on
its whole subtree). Grants are kept in step with the active posts: when a post ends, its
holder loses what it gave; the next holder's new post gives it to them. While a 代办委托
(Delegation) runs, its delegate holds the post's permissions too; the daily job syncs the
grants of delegations that start or end (lianxin/delegations.py).
"""

from django.db import transaction
from django.utils import timezone

from lianxin import perms
from lianxin.models import Delegation, Organization, OrganizationUserPermission, Post, Role

ROLE_PERMISSIONS = {
    Role.BRANCH_SECRETARY: {
        perms.VIEW_SCOPE,
        perms.MANAGE_MEMBERS,
        perms.LOG_SEARCH,
        perms.DECIDE_BRANCH,
        perms.EXPORT_REPORTS,
    },
    # 支部委员 sit on the 支委会: one may propose a disposition and another record the branch's
    # decisions on it (separation of duties, disposition.services.separation_refusal).
    Role.BRANCH_COMMITTEE: {
        perms.VIEW_SCOPE,
        perms.MANAGE_MEMBERS,
        perms.LOG_SEARCH,
        perms.DECIDE_BRANCH,
        perms.EXPORT_REPORTS,
    },
    Role.COMMITTEE_REVIEWER: {
        perms.VIEW_SCOPE,
        perms.LOG_SEARCH,
        perms.REVIEW_COMMITTEE,
        perms.EXPORT_REPORTS,
    },
    Role.DEPARTMENT_APPROVER: {perms.VIEW_SCOPE, perms.APPROVE_DEPARTMENT, perms.EXPORT_REPORTS},
    Role.OBSERVER: {perms.VIEW_SCOPE},
}


def _permission_ids():
    from django.contrib.auth.models import Permission

    rows = Permission.objects.filter(content_type__app_label="lianxin", content_type__model="organization")
    return dict(rows.values_list("codename", "id"))


def active_delegations(user, day):
    """The delegations the user does a post's work under on `day` (of posts still held)."""
    return Delegation.objects.filter(
        delegate=user, starts_on__lte=day, ends_on__gte=day, post__ended_on__isnull=True
    )


def sync_grants(user, *, today=None):
    """Make the user's object permissions exactly those given by their active posts and the
    posts they are delegated today."""
    day = today or timezone.localdate()
    wanted = set()
    own = Post.objects.filter(user=user, ended_on__isnull=True).values_list("organization_id", "role")
    delegated = active_delegations(user, day).values_list("post__organization_id", "post__role")
    for org_id, role in [*own, *delegated]:
        wanted.update((org_id, codename) for codename in ROLE_PERMISSIONS[role])
    ids = _permission_ids()
    existing = {
        (row.content_object_id, row.permission.codename): row
        for row in OrganizationUserPermission.objects.filter(user=user).select_related("permission")
    }
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
    OrganizationUserPermission.objects.bulk_create(
        [
            OrganizationUserPermission(user=user, content_object_id=org_id, permission_id=ids[codename])
            for org_id, codename in wanted - existing.keys()
        ]
    )


@transaction.atomic
def post_assign(*, user, organization: Organization, title, role, started_on=None, **contact):
    post = Post.objects.create(
        user=user,
        organization=organization,
        title=title,
        role=role,
        started_on=started_on or timezone.localdate(),
        **contact,
    )
    sync_grants(user)
    return post


@transaction.atomic
def post_end(*, post: Post, ended_on=None):
    post.ended_on = ended_on or timezone.localdate()
    post.save(update_fields=["ended_on"])
    sync_grants(post.user)
    # A delegation lends a post that is held: when the post ends, so does what it lent.
    for delegate in {d.delegate for d in post.delegations.select_related("delegate")}:
        sync_grants(delegate)
    return post


@transaction.atomic
def post_hand_over(*, post: Post, to_user, on=None):
    """A post changes hands: the previous holder loses access, the new one gains it."""
    post_end(post=post, ended_on=on)
    contact = {"phone": "", "wechat": "", "email": ""}
    return post_assign(
        user=to_user,
        organization=post.organization,
        title=post.title,
        role=post.role,
        started_on=on,
        **contact,
    )


def roles_with(perm):
    return [role for role, granted in ROLE_PERMISSIONS.items() if perm in granted]


def delegated_post(user, perm, organization, *, today=None):
    """The post the user acts for when they hold `perm` on `organization` only as the delegate
    of someone else's post (then their record says "由…代为办理"); None when it is their own."""
    day = today or timezone.localdate()
    roles, paths = roles_with(perm), organization.ancestor_paths()
    if Post.objects.filter(
        user=user, ended_on__isnull=True, role__in=roles, organization__path__in=paths
    ).exists():
        return None
    delegation = (
        active_delegations(user, day)
        .filter(post__role__in=roles, post__organization__path__in=paths)
        .select_related("post__user", "post__organization")
        .order_by("-post__organization__depth")
        .first()
    )
    return delegation.post if delegation else None
