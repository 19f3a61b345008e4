"""The scope filter costs a fixed number of queries whatever the size of the tree."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin import access, perms, request_state
from lianxin.models import Organization, OrgKind


def grow(parent, n):
    for i in range(n):
        fields = {"code": f"{parent.code}9{i:03d}", "name": f"新增党支部{i}", "kind": OrgKind.BRANCH}
        Organization.objects.add_child(parent, create_kwargs=fields)


def scoped_list_queries(username):
    user = get_user_model().objects.get(username=username)  # no cached grants
    with request_state.scope(), CaptureQueriesContext(connection) as ctx:  # as in one request
        list(access.scoped(user, perms.VIEW_SCOPE, Organization.objects.all()))
        access.can(user, perms.VIEW_SCOPE, Organization.objects.first())
    return len(ctx.captured_queries)


@pytest.mark.parametrize("username", ["county", "committee_a", "branch_a1"])
def test_scope_queries_constant_in_tree_size(world, org, username):
    small = scoped_list_queries(username)
    grow(org("committee_a"), 40)
    large = scoped_list_queries(username)
    # 1 query for the user's grants (cached for the request), 1 for the rows, 1 for .first();
    # the county holds the root of this tree: 1 more for the roots (access.covers_whole_tree)
    assert small == large == (4 if username == "county" else 3)


def test_organization_list_page_queries_constant(world, org, client_for):
    client = client_for("county")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("organization_list")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    grow(org("committee_b"), 60)
    assert count() == small
