"""Scope: each tier sees its own subtree and nothing else, the same from access.py,
user.has_perm and HTTP."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lianxin import access, perms
from lianxin.models import Organization, Role
from lianxin.posts import post_assign, post_end, post_hand_over
from tests.conftest import ORG

ALL = set(ORG.values()) | {"610581001003002", "610581003002"}
COMMITTEE_A = {ORG[k] for k in ("committee_a", "branch_a1", "branch_a2", "general_a3", "branch_a3_1")} | {
    "610581001003002"
}
COMMITTEE_B = {ORG[k] for k in ("committee_b", "branch_b1", "branch_b2")}

EXPECTED_SCOPE = {
    "county": ALL,
    "committee_a": COMMITTEE_A,
    "committee_b": COMMITTEE_B,
    "branch_a1": {ORG["branch_a1"]},
    "branch_a2": {ORG["branch_a2"]},
    "branch_b1": {ORG["branch_b1"]},
}


@pytest.mark.parametrize("username", EXPECTED_SCOPE)
def test_scoped_matches_subtree(world, username):
    user = world.users[username]
    seen = set(
        access.scoped(user, perms.VIEW_SCOPE, Organization.objects.all()).values_list("code", flat=True)
    )
    assert seen == EXPECTED_SCOPE[username]


@pytest.mark.parametrize("username", EXPECTED_SCOPE)
def test_can_and_has_perm_agree_with_scope(world, username):
    user = get_user_model().objects.get(username=username)  # fresh object: no cached grants
    for code, org in world.orgs.items():
        inside = code in EXPECTED_SCOPE[username]
        assert access.can(user, perms.VIEW_SCOPE, org) is inside, code
        assert user.has_perm(perms.qualified(perms.VIEW_SCOPE), org) is inside, code


@pytest.mark.parametrize("username", EXPECTED_SCOPE)
def test_organization_page_over_http(world, client_for, username):
    client = client_for(username)
    for code, org in world.orgs.items():
        response = client.get(reverse("organization_detail", args=[org.pk]))
        expected = 200 if code in EXPECTED_SCOPE[username] else 404
        assert response.status_code == expected, (username, code)


def test_branch_cannot_open_other_branch(world, client_for, org):
    client = client_for("branch_a1")
    assert client.get(reverse("organization_detail", args=[org("branch_a2").pk])).status_code == 404
    assert client.get(reverse("organization_detail", args=[org("branch_b1").pk])).status_code == 404
    assert client.get(reverse("organization_detail", args=[org("committee_a").pk])).status_code == 404


def test_organization_list_shows_only_scope(world, client_for):
    body = client_for("committee_b").get(reverse("organization_list")).content.decode()
    assert "华阳县第一中学党支部" in body
    assert "城关镇东街社区党支部" not in body
    assert "中共华阳县委组织部" not in body


def test_rights_are_per_permission(world, org):
    branch = world.users["branch_a1"]
    committee = world.users["committee_a"]
    county = world.users["county"]
    assert access.can(branch, perms.DECIDE_BRANCH, org("branch_a1"))
    assert not access.can(branch, perms.REVIEW_COMMITTEE, org("branch_a1"))
    assert access.can(committee, perms.REVIEW_COMMITTEE, org("branch_a1"))
    assert not access.can(committee, perms.APPROVE_DEPARTMENT, org("branch_a1"))
    assert access.can(county, perms.APPROVE_DEPARTMENT, org("branch_a1"))
    assert not access.can(county, perms.MANAGE_MEMBERS, org("branch_a1"))


def test_unknown_permission_is_an_error(world):
    with pytest.raises(ValueError):
        access.can(world.users["county"], "fly", world.root)


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not access.scoped(AnonymousUser(), perms.VIEW_SCOPE, Organization.objects.all()).exists()
    assert not access.can(AnonymousUser(), perms.VIEW_SCOPE, world.root)


def test_user_without_post_sees_nothing(world):
    nobody = get_user_model().objects.create_user("nobody", password="x-very-long-pass")
    assert not access.scoped(nobody, perms.VIEW_SCOPE, Organization.objects.all()).exists()


def test_superuser_sees_everything(world):
    assert access.scoped(world.admin, perms.VIEW_SCOPE, Organization.objects.all()).count() == len(world.orgs)


def test_group_grant_is_inherited(world, org):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    group = Group.objects.create(name="督查组")
    assign_perm(perms.qualified(perms.VIEW_SCOPE), group, org("committee_b"))
    inspector = get_user_model().objects.create_user("inspector", password="x-very-long-pass")
    inspector.groups.add(group)
    assert access.can(inspector, perms.VIEW_SCOPE, org("branch_b2"))
    assert not access.can(inspector, perms.VIEW_SCOPE, org("branch_a1"))


def test_post_ending_removes_access_and_hand_over_gives_it(world, org):
    old = world.users["branch_a2"]
    post = old.posts.get(ended_on__isnull=True)
    new = get_user_model().objects.create_user("new_secretary", password="x-very-long-pass")
    post_hand_over(post=post, to_user=new)
    old = get_user_model().objects.get(pk=old.pk)
    assert not access.can(old, perms.VIEW_SCOPE, org("branch_a2"))
    assert access.can(new, perms.DECIDE_BRANCH, org("branch_a2"))


def test_a_second_post_keeps_the_first_posts_rights(world, org):
    user = world.users["branch_a1"]
    extra = post_assign(user=user, organization=org("branch_b2"), title="委员", role=Role.OBSERVER)
    access.forget(user)
    assert access.can(user, perms.VIEW_SCOPE, org("branch_b2"))
    post_end(post=extra)
    access.forget(user)
    assert not access.can(user, perms.VIEW_SCOPE, org("branch_b2"))
    assert access.can(user, perms.MANAGE_MEMBERS, org("branch_a1"))


def test_a_subtree_by_range_is_the_subtree_by_prefix(world, org):
    """The range subtree_q adds (for the index's order) never drops or adds a row: every unit's
    subtree is the same by the range as by the prefix alone — also for a path made of the
    alphabet's last letter, the range's edge — and a sibling's rows stay out."""
    from members.models import Member
    from tests.factories import MemberFactory

    committee = org("committee_a")
    edge = org("branch_a2")
    Organization.objects.filter(pk=edge.pk).update(path=committee.path + "ZZZZ")  # the last possible child
    for unit in (org("branch_a1"), org("branch_b1")):
        MemberFactory(organization=unit)
    MemberFactory(organization=edge)
    for unit in Organization.objects.all():
        by_prefix = set(
            Member.objects.filter(organization__path__startswith=unit.path).values_list("pk", flat=True)
        )
        by_range = set(
            Member.objects.filter(access.subtree_q("organization__path", unit.path)).values_list(
                "pk", flat=True
            )
        )
        assert by_range == by_prefix, unit.code
    assert Member.objects.filter(
        access.subtree_q("organization__path", committee.path), organization=edge
    ).exists()
    after = committee.path[:-1] + chr(ord(committee.path[-1]) + 1)  # the next sibling's prefix
    assert not Member.objects.filter(
        access.subtree_q("organization__path", after), organization=edge
    ).exists()
