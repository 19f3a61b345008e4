from django.urls import reverse

from lianxin.audit import acting_as


def test_organization_history_records_the_acting_user(world, org):
    branch = org("branch_a1")
    with acting_as(world.users["county"]):
        branch.name = "城关镇东街社区第一党支部"
        branch.save()
    last = branch.history.first()
    assert last.history_user == world.users["county"]
    assert last.history_type == "~"
    assert branch.history.last().name == "城关镇东街社区党支部"


def test_post_history_records_admin_change(world, client_for):
    post = world.users["branch_a1"].posts.get()
    client = client_for("admin")
    response = client.get(reverse("admin:lianxin_post_change", args=[post.pk]))
    assert response.status_code == 200


def test_admin_cannot_delete_organizations(world, client_for, org):
    client = client_for("admin")
    response = client.get(reverse("admin:lianxin_organization_delete", args=[org("branch_a1").pk]))
    assert response.status_code == 403
