"""代办委托: a post's work done by someone else for a while (出差, 病假).

The holder arranges it for their own post, or the level above does (a secretary on sick leave
cannot). The delegate must already hold a post at the same organization or above it: a deputy,
a fellow committee member, the committee's reviewer — never someone from outside. For the
period the delegate holds the post's rights, receives its work and its digest, and what they
record shows "由…代为办理". A delegation longer than half a year is a handover, not a
delegation (lianxin.posts.post_hand_over).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lianxin import access
from lianxin.models import Delegation, Post
from lianxin.posts import ROLE_PERMISSIONS, sync_grants
from lianxin.service import REFUSED, service

MAX_DAYS = 183


def _post_rights(kwargs):
    post = kwargs.get("post") or kwargs["delegation"].post
    return tuple(sorted(ROLE_PERMISSIONS[post.role] - {access.VIEW}))


def may_arrange(user, post):
    """The holder, or someone holding one of the post's rights above its organization."""
    if user.pk == post.user_id:
        return True
    path = post.organization.path
    rights = ROLE_PERMISSIONS[post.role] - {access.VIEW}
    return any(
        path.startswith(granted) and granted != path
        for perm in rights
        for granted in access.granted_paths(user, perm)
    )


def delegate_choices(post):
    """Users who may stand in: holders of active posts at the post's organization or above it."""
    from django.contrib.auth import get_user_model

    holders = Post.objects.filter(
        ended_on__isnull=True, organization__path__in=post.organization.ancestor_paths()
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=holders, is_active=True)
        .exclude(pk=post.user_id)
        .order_by("username")
    )


@service(perm=_post_rights, on=lambda kw: kw["post"])
@transaction.atomic
def delegation_create(*, post, delegate, starts_on, ends_on, reason, acting_user, note=""):
    post = Post.objects.select_for_update().select_related("organization").get(pk=post.pk)
    if not may_arrange(acting_user, post):
        raise PermissionDenied(REFUSED)
    if post.ended_on is not None:
        raise ValidationError("该职务已离任，不能委托；请办理职务交接。")
    if not delegate_choices(post).filter(pk=delegate.pk).exists():
        raise ValidationError({"delegate": "代办人须是本组织或上级组织的在任人员，且不是任职者本人。"})
    today = timezone.localdate()
    if starts_on < today:
        raise ValidationError({"starts_on": "开始日期不能早于今天。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    if ends_on - starts_on > timedelta(days=MAX_DAYS):
        raise ValidationError({"ends_on": "委托不能超过半年；长期不能履职的，请办理职务交接。"})
    overlapping = post.delegations.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlapping.exists():
        raise ValidationError("该职务在此期间已有代办委托。")
    delegation = Delegation(
        post=post,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note,
        created_by=acting_user,
    )
    delegation.full_clean()
    delegation.save()
    sync_grants(delegate)
    return delegation


@service(perm=_post_rights, on=lambda kw: kw["delegation"].post)
@transaction.atomic
def delegation_end(*, delegation, acting_user):
    """End a delegation now (the holder is back): the delegate no longer acts for the post."""
    delegation = (
        Delegation.objects.select_for_update().select_related("post__organization").get(pk=delegation.pk)
    )
    if not may_arrange(acting_user, delegation.post):
        raise PermissionDenied(REFUSED)
    today = timezone.localdate()
    if delegation.ends_on < today:
        raise ValidationError("该委托已结束。")
    # It ran until yesterday; one not begun yet ends before it begins (it never ran).
    delegation.ends_on = min(today, delegation.starts_on) - timedelta(days=1)
    delegation._change_reason = "提前结束委托"
    delegation.save()
    sync_grants(delegation.delegate, today=today)
    return delegation


def sync_delegation_grants(*, today=None):
    """The daily job: grants for the delegations that begin today or ended lately (a missed
    day is caught up: everything that ended within the last month is synced again)."""
    day = today or timezone.localdate()
    delegates = (
        Delegation.objects.filter(starts_on__lte=day, ends_on__gte=day - timedelta(days=31))
        .values_list("delegate", flat=True)
        .distinct()
    )
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(pk__in=delegates))
    for user in users:
        sync_grants(user, today=day)
    return {"users": len(users)}


def on_behalf_text(actor, post):
    """How a record made by a delegate says so: "由张三代为办理（东街社区党支部书记 刘桂兰）"."""
    if post is None:
        return ""
    name = actor.get_full_name() or actor.get_username()
    holder = post.user.get_full_name() or post.user.get_username()
    return f"由{name}代为办理（{post.organization.name}{post.title} {holder}）"
