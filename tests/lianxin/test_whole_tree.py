"""A user whose subtrees are the whole tree (a county department on a county server, a province
department on a province server) is not filtered at all: the filter would exclude nothing and
cost a join over every unit on every query. A second tree brings the filter back."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin import access, request_state
from lianxin.models import Organization, OrgKind
from members.models import Member
from tests.factories import MemberFactory


def fresh(username):
    return get_user_model().objects.get(username=username)  # no cached grants or roots


def other_tree():
    root = Organization.objects.add_root(
        create_kwargs={"code": "610582", "name": "另一县委组织部", "kind": OrgKind.DEPARTMENT}
    )
    return Organization.objects.add_child(
        root, create_kwargs={"code": "610582001001", "name": "另一县某党支部", "kind": OrgKind.BRANCH}
    )


def test_the_root_user_of_the_only_tree_is_not_filtered(world):
    county = fresh("county")
    assert access.scope_q(county, access.VIEW, "organization__path") is None
    assert (
        access.scoped(county, access.VIEW, Organization.objects.all()).count() == Organization.objects.count()
    )


def test_the_check_reads_the_roots_once_per_request(world):
    county = fresh("county")
    with request_state.scope(), CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            access.scope_q(county, access.VIEW, "organization__path")
    assert len(ctx.captured_queries) == 2  # the grants, the roots


def test_users_below_the_root_are_filtered_and_never_read_the_roots(world):
    branch = fresh("branch_a1")
    with CaptureQueriesContext(connection) as ctx:
        q = access.scope_q(branch, access.VIEW, "organization__path")
    assert q is not None
    assert len(ctx.captured_queries) == 1  # the grants only


def test_a_second_tree_brings_the_filter_back(world, client_for):
    outsider = MemberFactory(organization=other_tree())
    county = fresh("county")
    assert access.scope_q(county, access.VIEW, "organization__path") is not None
    assert not access.scoped(county, access.VIEW, Member.objects.filter(pk=outsider.pk)).exists()
    client = client_for("county")
    assert client.get(reverse("members:member_detail", args=[outsider.pk])).status_code == 404
    assert outsider.name not in client.get(reverse("members:member_list") + "?all=1").content.decode()
