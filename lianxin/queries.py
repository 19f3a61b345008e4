"""Reading logic about organizations and posts shared by several views."""

from lianxin import request_state
from lianxin.models import Post


def active_posts(user):
    """The user's active posts, highest organization first (one query per request)."""
    if not user.is_authenticated:
        return []
    return request_state.cached(
        user,
        "posts",
        lambda: list(
            Post.objects.filter(user=user, ended_on__isnull=True)
            .select_related("organization")
            .order_by("organization__depth", "organization__path")
        ),
    )


def filter_choices(user, limit=300):
    """Organizations to offer in a list filter: the user's own top units and the units directly
    below them — a handful for a branch or a county, not the 60,000 branches of a province."""
    from django.db.models import Q

    from lianxin import access
    from lianxin.models import Organization

    orgs = access.scoped(user, access.VIEW, Organization.objects.all())
    if access.is_unrestricted(user):
        top = Organization.objects.filter(depth=1)
    else:
        top = Organization.objects.filter(path__in=access.granted_paths(user, access.VIEW))
    top = list(top.order_by("path")[:limit])
    if not top:
        return []
    below = Q()
    for node in top:
        below |= Q(path__startswith=node.path, depth=node.depth + 1)
    children = list(orgs.filter(below).order_by("path")[: max(0, limit - len(top))])
    return sorted(top + children, key=lambda o: o.path)


def name_as_of(organization, day):
    """The organization's name in force on `day` (from its history): forms show the names of their time."""
    from datetime import datetime, time

    from django.utils import timezone

    moment = timezone.make_aware(datetime.combine(day, time.max))
    try:
        return organization.history.as_of(moment).name
    except organization.DoesNotExist:
        return organization.name  # created later than `day` (or before history was kept)


def names_as_of(path_prefix, day):
    """{organization id: name in force on `day`} for a subtree, in one query over the history."""
    from datetime import datetime, time

    from django.utils import timezone

    from lianxin.models import Organization

    moment = timezone.make_aware(datetime.combine(day, time.max))
    names = {}
    rows = (
        Organization.history.filter(path__startswith=path_prefix, history_date__lte=moment)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "name", "history_type")
    )
    for org_id, name, kind in rows.iterator(chunk_size=5000):
        if kind == "-":
            names.pop(org_id, None)
        else:
            names[org_id] = name  # the latest change on or before the day wins
    return names
