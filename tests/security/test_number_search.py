"""Personal numbers cannot be guessed: whole numbers only, by POST, every search recorded;
the edit page shows them masked (issue 14, item 3)."""

from datetime import date

import pytest
from django.urls import reverse

from lianxin.models import Disclosure
from members import idcard
from members.models import Contact, Member
from tests.factories import MemberFactory

BIRTH = date(1985, 3, 15)
ID_NUMBER = idcard.make("610581", BIRTH, 17)  # ends in a check character


@pytest.fixture
def member(org):
    return MemberFactory(
        organization=org("branch_a1"),
        name="赵立新",
        birth_date=BIRTH,  # the number's own birth month, whatever today is
        id_number=ID_NUMBER,
        phone="13912345678",
    )


def as_posted(form):
    """The edit form's fields as the browser sends them back unchanged."""
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def search(client, number):
    return client.post(reverse("members:member_number_search"), {"number": number})


def test_a_prefix_of_a_number_tells_nothing(world, client_for, member):
    """Digit by digit guessing: a matching prefix and a wrong one must get the same answer."""
    client = client_for("branch_a1")
    url = reverse("members:member_list")
    hit, miss = client.get(url, {"q": ID_NUMBER[:10]}), client.get(url, {"q": "9" * 10})
    assert hit.status_code == miss.status_code == 302
    assert hit.url == miss.url == url  # the number is dropped from the address
    phone_hit, phone_miss = client.get(url, {"q": "1391234"}), client.get(url, {"q": "1390000"})
    assert phone_hit.url == phone_miss.url == url
    # and the number search refuses a part of a number, writing nothing
    for part in (ID_NUMBER[:10], ID_NUMBER[:17], "139123", "1391234567"):
        page = search(client, part).content.decode()
        assert "完整" in page and "赵立新" not in page
    assert not Disclosure.objects.exists()


def test_the_whole_number_finds_the_member_and_is_recorded(world, client_for, member):
    client = client_for("branch_a1")
    spaced = f"{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}".lower()
    for typed, label in [
        (spaced, "身份证号"),
        ("+86 139 1234 5678", "联系电话"),
        ("139-1234-5678", "联系电话"),
    ]:
        page = search(client, typed).content.decode()
        assert "赵立新" in page, typed
        assert ID_NUMBER not in page and "13912345678" not in page  # results are masked
        record = Disclosure.objects.latest("pk")
        assert record.kind == Disclosure.Kind.NUMBER_SEARCH and record.fields == label
        assert record.subject == "赵立新" and record.organization == member.organization
        assert record.user == world.users["branch_a1"]
    assert Disclosure.objects.count() == 3


def test_a_stored_plus86_phone_is_found_by_the_plain_number(world, client_for, org):
    MemberFactory(organization=org("branch_a1"), name="钱国强", phone="+8613800001111")
    assert "钱国强" in search(client_for("branch_a1"), "13800001111").content.decode()


def test_a_search_that_finds_nobody_is_recorded_too(world, client_for, member, org):
    """Probing shows: a miss is recorded against the searcher's own unit, the number masked."""
    page = search(client_for("branch_a2"), ID_NUMBER).content.decode()  # a member of another branch
    assert "赵立新" not in page and "没有该号码" in page
    record = Disclosure.objects.get()
    assert record.organization == org("branch_a2") and record.count == 0
    assert record.subject.startswith("未找到") and ID_NUMBER not in record.subject
    assert ID_NUMBER[-4:] in record.subject
    # the level above sees it
    assert "未找到" in client_for("committee_a").get(reverse("disclosure_list")).content.decode()


def test_a_number_never_travels_in_a_url(world, client_for, member):
    client = client_for("branch_a1")
    listing = client.get(reverse("members:member_list")).content.decode()
    assert 'method="post" action="/members/search/"' in listing  # the number form posts
    assert client.get(reverse("members:member_number_search")).status_code == 200
    response = search(client, ID_NUMBER)
    assert response.status_code == 200  # shown in the answer to the POST: no redirect carrying it
    assert ID_NUMBER not in response.content.decode()  # not even written back into the input


def test_edit_page_masks_the_numbers_and_keeps_them_when_left_masked(world, client_for, member):
    client = client_for("branch_a1")
    url = reverse("members:member_edit", args=[member.pk])
    page = client.get(url).content.decode()
    assert ID_NUMBER not in page and "13912345678" not in page
    assert idcard.mask(ID_NUMBER) in page and "139****5678" in page
    reveal = reverse("reveal_value", args=["members.Member", member.pk, "id_number"])
    assert f'formaction="{reveal}"' in page  # the recorded reveal is one click away
    data = as_posted(client.get(url).context["form"])
    data["remark"] = "只改备注"
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.phone, member.remark) == (ID_NUMBER, "13912345678", "只改备注")
    assert not Disclosure.objects.exists()


def test_edit_page_replaces_a_number_typed_anew(world, client_for, member):
    client = client_for("branch_a1")
    url = reverse("members:member_edit", args=[member.pk])
    data = as_posted(client.get(url).context["form"])
    new_id = idcard.make("610581", BIRTH, 19)
    data.update(phone="13700002222", id_number=new_id)
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.phone) == (new_id, "13700002222")
    bad = {**data, "id_number": new_id[:-1] + ("0" if new_id[-1] != "0" else "1")}
    assert "校验位" in client.post(url, bad).content.decode()
    member.refresh_from_db()
    assert member.id_number == new_id


def test_contact_phone_is_masked_and_revealed_with_a_record(world, client_for, member):
    contact = Contact.objects.create(member=member, name="王五", relation="父亲", phone="13655556666")
    client = client_for("branch_a1")
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "13655556666" not in page and "136****6666" in page
    url = reverse("reveal_value", args=["members.contact", contact.pk, "phone"])
    assert "13655556666" in client.post(url).content.decode()
    record = Disclosure.objects.get()
    assert record.subject == "赵立新的联系人王五（父亲）" and record.organization == member.organization
    assert client_for("branch_a2").post(url).status_code == 404
    assert Disclosure.objects.count() == 1


def test_name_search_still_works(world, client_for, member):
    body = client_for("branch_a1").get(reverse("members:member_list"), {"q": "立新"}).content.decode()
    assert "赵立新" in body
    assert Member.objects.count() == 1
