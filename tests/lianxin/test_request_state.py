"""A user's grants and posts are read once per request (lianxin/request_state.py), and a change
of posts, grants, login or logout within the request is seen at once."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin import access, perms, request_state
from lianxin.models import Post, Role
from lianxin.posts import post_assign, post_end
from lianxin.queries import active_posts


def fresh(username):
    return get_user_model().objects.get(username=username)


def count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return result, len(ctx.captured_queries)


def test_within_a_request_grants_and_posts_are_read_once(world, org):
    user = fresh("branch_a1")
    with request_state.scope():
        _, first = count_queries(
            lambda: (access.can(user, perms.VIEW_SCOPE, org("branch_a1")), active_posts(user))
        )
        _, again = count_queries(
            lambda: (access.can(user, perms.VIEW_SCOPE, org("branch_a2")), active_posts(user))
        )
    assert (first, again) == (2, 0)


def test_two_objects_of_one_user_share_the_request_state(world, org):
    one, other = fresh("branch_a1"), fresh("branch_a1")
    with request_state.scope():
        access.can(one, perms.VIEW_SCOPE, org("branch_a1"))
        _, queries = count_queries(lambda: access.can(other, perms.VIEW_SCOPE, org("branch_a1")))
    assert one is not other and queries == 0


def test_outside_a_request_nothing_is_cached(world, org):
    user = fresh("branch_a1")
    access.can(user, perms.VIEW_SCOPE, org("branch_a1"))
    _, queries = count_queries(lambda: access.can(user, perms.VIEW_SCOPE, org("branch_a1")))
    assert queries == 1


def test_a_new_post_in_the_same_request_is_seen_by_the_same_user_object(world, org):
    user = fresh("branch_a1")
    with request_state.scope():
        assert not access.can(user, perms.VIEW_SCOPE, org("branch_b2"))
        assert [p.organization for p in active_posts(user)] == [org("branch_a1")]
        post = post_assign(user=user, organization=org("branch_b2"), title="委员", role=Role.OBSERVER)
        assert access.can(user, perms.VIEW_SCOPE, org("branch_b2"))
        assert post in active_posts(user)
        post_end(post=post)
        assert not access.can(user, perms.VIEW_SCOPE, org("branch_b2"))
        assert post not in active_posts(user)


def test_a_post_saved_directly_is_seen_too(world, org):
    """Not only the services: any save of a post drops what the request read (post_save)."""
    user = fresh("branch_a1")
    with request_state.scope():
        (post,) = active_posts(user)
        post.title = "新职务"
        post.save()
        assert active_posts(user)[0].title == "新职务"
        Post.objects.get(pk=post.pk).delete()
        assert active_posts(user) == []


def test_login_and_logout_drop_the_users_state(world, org):
    user = fresh("branch_a1")
    request = RequestFactory().get("/")
    with request_state.scope():
        active_posts(user)
        user_logged_out.send(sender=type(user), request=request, user=user)
        _, after_logout = count_queries(lambda: active_posts(user))
        user_logged_in.send(sender=type(user), request=request, user=user)
        _, after_login = count_queries(lambda: active_posts(user))
        _, cached = count_queries(lambda: active_posts(user))
    assert (after_logout, after_login, cached) == (1, 1, 0)


def test_each_request_reads_afresh(world, org, client_for):
    """A grant taken away between two requests is gone on the next page (no state survives)."""
    client = client_for("branch_a1")
    url = reverse("organization_detail", args=[org("branch_b2").pk])
    extra = post_assign(
        user=world.users["branch_a1"], organization=org("branch_b2"), title="委员", role=Role.OBSERVER
    )
    assert client.get(url).status_code == 200
    post_end(post=extra)
    assert client.get(url).status_code == 404


def grant_and_post_reads(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    grants = [s for s in sqls if "lianxin_organizationuserpermission" in s]
    posts = [
        s for s in sqls if s.startswith('SELECT "lianxin_post"') and '"lianxin_post"."ended_on" IS NULL' in s
    ]
    return len(grants), len(posts)


def test_a_page_reads_the_grants_and_the_posts_once(world, client_for):
    client = client_for("committee_a")
    for url in (
        reverse("home"),
        reverse("members:member_list"),
        reverse("tracing:case_list"),
        reverse("todo"),
    ):
        grants, posts = grant_and_post_reads(client, url)
        assert grants <= 1 and posts <= 1, url
    assert grant_and_post_reads(client, reverse("members:member_list"))[0] == 1  # a scoped list
