"""No page or file with personal data is kept by a browser or proxy cache; a 返回 link or a
login's `next` never leads off the site (issue 14, item 8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import CaseFactory, MemberFactory
from tracing import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def assert_not_stored(response, what):
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control, f"{what}: Cache-Control {cache_control!r}"
    assert "private" in cache_control, what
    assert response.headers.get("Pragma") == "no-cache", what


@pytest.fixture
def case(world, org):
    member = MemberFactory(organization=org("branch_a1"), name="赵立新", phone="13912345678")
    return CaseFactory(member=member, opened_by=world.users["branch_a1"])


def test_every_page_and_download_is_marked_no_store(world, org, client_for, client, case):
    member = case.member
    attempt = services.attempt_log(
        case=case,
        acting_user=world.users["branch_a1"],
        channel="police",
        process="公安户籍查询",
        result="no_trace",
        attachment=SimpleUploadedFile("reply.png", PNG, content_type="image/png"),
    )
    assert_not_stored(client.get(reverse("login")), "login page")
    assert_not_stored(client.get(reverse("members:member_list")), "redirect to login")
    secretary = client_for("branch_a1")
    branch = f"?org={org('branch_a1').pk}"
    pages = {
        "工作台": reverse("home"),
        "党员": reverse("members:member_list"),
        "党员详情": reverse("members:member_detail", args=[member.pk]),
        "修改党员": reverse("members:member_edit", args=[member.pk]),
        "案件": reverse("tracing:case_detail", args=[case.pk]),
        "查看记录": reverse("disclosure_list"),
        "修改密码": reverse("password_change"),
        "统计表": reverse("reports:statistics") + branch,
        "名册 xlsx": reverse("reports:roster_xlsx") + branch,
        "登记表 xlsx": reverse("reports:register_xlsx") + branch,
        "统计表 xlsx": reverse("reports:statistics_xlsx") + branch,
        "全程纪实表 pdf": reverse("reports:record_pdf", args=[case.pk]),
        "附件": reverse("tracing:attempt_attachment", args=[attempt.pk]),
    }
    for what, url in pages.items():
        response = secretary.get(url)
        assert response.status_code == 200, what
        assert_not_stored(response, what)
    reveal = secretary.post(reverse("reveal_value", args=["members.member", member.pk, "phone"]))
    assert_not_stored(reveal, "查看完整号码")
    search = secretary.post(reverse("members:member_number_search"), {"number": "13912345678"})
    assert_not_stored(search, "按号码查找")
    assert_not_stored(secretary.get(reverse("members:member_detail", args=[10**9])), "404")


@pytest.mark.parametrize(
    "back",
    [
        "//evil.example/phish",
        "https://evil.example/",
        "http://evil.example/members/",
        "javascript:alert(1)",
        "/\\evil.example",
        "///evil.example",
    ],
)
def test_reveal_back_link_never_leaves_the_site(world, client_for, case, back):
    url = reverse("reveal_value", args=["members.member", case.member.pk, "id_number"])
    page = client_for("branch_a1").post(url, {"back": back}).content.decode()
    assert case.member.id_number in page
    assert "evil.example" not in page and "javascript:" not in page
    assert "返回" not in page.split("<main>")[1]


def test_reveal_back_link_returns_to_the_member_page(world, client_for, case):
    detail = reverse("members:member_detail", args=[case.member.pk])
    page = client_for("branch_a1").get(detail).content.decode()
    assert f'name="back" value="{detail}"' in page  # the reveal form says where to come back to
    url = reverse("reveal_value", args=["members.member", case.member.pk, "id_number"])
    page = client_for("branch_a1").post(url, {"back": detail}).content.decode()
    assert f'<a href="{detail}">返回</a>' in page


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x", "javascript:alert(1)"])
def test_login_next_never_leaves_the_site(world, client, target):
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": "branch_a1", "password": "lianxin-demo", "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url and not response.url.startswith("javascript")
