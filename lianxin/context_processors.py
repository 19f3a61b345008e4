from lianxin.queries import active_posts


def acting_for(request):
    """The user's posts and the organization they act for, for the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    posts = active_posts(user)
    return {"acting_posts": posts, "acting_org": posts[0].organization if posts else None}
