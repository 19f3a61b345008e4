"""Full ID and phone numbers are shown only on an explicit, recorded request."""

import pytest
from django.urls import reverse

from lianxin.models import Disclosure
from tests.factories import MemberFactory


@pytest.fixture
def member(org):
    return MemberFactory(organization=org("branch_a1"), name="赵立新", phone="13912345678")


def reveal_url(member, field):
    return reverse("reveal_value", args=["members.member", member.pk, field])


def test_reveal_records_who_saw_whom(world, client_for, member):
    response = client_for("branch_a1").post(reveal_url(member, "id_number"))
    assert response.status_code == 200
    assert member.id_number in response.content.decode()
    record = Disclosure.objects.get()
    assert record.user == world.users["branch_a1"]
    assert record.subject == "赵立新" and record.fields == "身份证号"
    assert record.organization == member.organization


def test_reveal_outside_scope_is_404_and_not_recorded(world, client_for, member):
    for persona in ("branch_a2", "committee_b"):
        assert client_for(persona).post(reveal_url(member, "phone")).status_code == 404
    assert not Disclosure.objects.exists()


def test_reveal_needs_post(world, client_for, member):
    assert client_for("branch_a1").get(reveal_url(member, "phone")).status_code == 405
    assert not Disclosure.objects.exists()


def test_only_listed_fields_can_be_revealed(world, client_for, member):
    assert client_for("branch_a1").post(reveal_url(member, "name")).status_code == 404
    url = reverse("reveal_value", args=["auth.user", world.users["county"].pk, "password"])
    assert client_for("county").post(url).status_code == 404


def test_level_above_sees_the_record_other_committee_does_not(world, client_for, member):
    client_for("branch_a1").post(reveal_url(member, "phone"))
    page = reverse("disclosure_list")
    assert "赵立新" in client_for("committee_a").get(page).content.decode()
    assert "赵立新" in client_for("county").get(page).content.decode()
    assert "赵立新" not in client_for("committee_b").get(page).content.decode()
    assert "赵立新" not in client_for("branch_a2").get(page).content.decode()
