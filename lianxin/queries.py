"""Reading logic about organizations and posts shared by several views."""

from lianxin.models import Post


def active_posts(user):
    """The user's active posts, highest organization first (one query, cached on the user)."""
    if not user.is_authenticated:
        return []
    posts = user.__dict__.get("_lianxin_posts")
    if posts is None:
        posts = list(
            Post.objects.filter(user=user, ended_on__isnull=True)
            .select_related("organization")
            .order_by("organization__depth", "organization__path")
        )
        user.__dict__["_lianxin_posts"] = posts
    return posts


def acting_organization(user):
    """The organization the user mainly acts for: the highest one they hold a post at."""
    posts = active_posts(user)
    return posts[0].organization if posts else None
