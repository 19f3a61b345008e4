"""协查: the organization to ask is found by typing, never by listing the whole tree."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.models import Organization, OrgKind
from tests.factories import CaseFactory, MemberFactory
from tracing.models import AssistanceRequest


def _case(world, org):
    return CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )


def _choices(html):
    return re.findall(r'name="to_organization" value="(\d+)"', html)


def _add_branches(parent, n, name):
    fields = (
        {"name": f"{name}{i:02d}党支部", "code": f"{parent.code}9{i:02d}", "kind": OrgKind.BRANCH}
        for i in range(n)
    )
    return [Organization.objects.add_child(parent, create_kwargs=f) for f in fields]


def test_search_offers_at_most_twenty_matches_and_none_of_the_own_branch(world, org, client_for):
    case = _case(world, org)
    _add_branches(org("committee_c"), 25, "协查测试")
    client = client_for("branch_a1")
    url = reverse("tracing:assistance_request", args=[case.pk])
    html = client.get(url).content.decode()
    assert _choices(html) == [] and "请先输入名称或代码查找" in html
    html = client.post(url, {"q": "协查测试", "text": "请协助", "search": "1"}).content.decode()
    assert len(_choices(html)) == 20 and "只列出前 20 个结果" in html
    assert "请协助" in html  # what was typed is kept
    own = client.post(url, {"q": org("branch_a1").code, "search": "1"}).content.decode()
    assert _choices(own) == [] and "没有找到" in own
    by_code = client.post(url, {"q": org("branch_c1").code, "search": "1"}).content.decode()
    assert _choices(by_code) == [str(org("branch_c1").pk)]


def test_the_chosen_organization_is_asked(world, org, client_for):
    case = _case(world, org)
    url = reverse("tracing:assistance_request", args=[case.pk])
    client = client_for("branch_a1")
    target = org("branch_c1")
    response = client.post(url, {"q": target.code, "to_organization": target.pk, "text": "可能在三中附近"})
    assert response.status_code == 302
    assert AssistanceRequest.objects.get().to_organization == target
    refused = client.post(url, {"to_organization": org("branch_a1").pk, "text": "本支部"})
    assert "请从查找结果中选择本支部以外的党组织" in refused.content.decode()
    assert AssistanceRequest.objects.count() == 1


def test_the_form_does_not_grow_with_the_tree(world, org, client_for):
    case = _case(world, org)
    url = reverse("tracing:assistance_request", args=[case.pk])
    client = client_for("branch_a1")

    def count(data):
        with CaptureQueriesContext(connection) as ctx:
            client.post(url, data)
        return len(ctx.captured_queries)

    search = {"q": "测试", "search": "1"}
    _add_branches(org("committee_b"), 3, "测试")
    few = count(search)
    _add_branches(org("committee_c"), 40, "测试")
    assert count(search) == few
    assert len(_choices(client.post(url, search).content.decode())) == 20
