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


def admin_form_data(response):
    """The change form's own values, as the browser would send them back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def test_post_history_records_admin_change(world, client_for):
    post = world.users["branch_a1"].posts.get()
    before = post.history.count()
    client = client_for("admin")
    url = reverse("admin:lianxin_post_change", args=[post.pk])
    data = {**admin_form_data(client.get(url)), "phone": "13900001111", "title": "党支部书记（兼）"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert post.history.count() == before + 1
    last = post.history.first()
    assert (last.history_type, last.history_user) == ("~", world.admin)
    assert (last.phone, last.title) == ("13900001111", "党支部书记（兼）")
    previous = last.prev_record
    assert previous.title != last.title
    changed = {change.field for change in last.diff_against(previous).changes}
    assert changed == {"phone", "title"}


def test_admin_cannot_delete_organizations(world, client_for, org):
    client = client_for("admin")
    response = client.get(reverse("admin:lianxin_organization_delete", args=[org("branch_a1").pk]))
    assert response.status_code == 403
