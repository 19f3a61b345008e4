"""协查: the helping organization sees the one case it was asked about, and nothing else of the branch."""

from django.urls import reverse

from tests.factories import CaseFactory, MemberFactory
from tracing import services
from tracing.models import AssistanceRequest


def test_helper_sees_that_case_only_and_answers(world, org, client_for):
    asked = CaseFactory(
        member=MemberFactory(organization=org("branch_a1"), name="协查对象"),
        opened_by=world.users["branch_a1"],
    )
    other = CaseFactory(
        member=MemberFactory(organization=org("branch_a1"), name="本支部其他"),
        opened_by=world.users["branch_a1"],
    )
    request = services.assistance_request(
        case=asked,
        to_organization=org("branch_b1"),
        text="该党员可能在第一中学附近居住",
        acting_user=world.users["branch_a1"],
    )
    helper = client_for("branch_b1")
    page = helper.get(reverse("tracing:case_detail", args=[asked.pk]))
    assert page.status_code == 200 and "贵组织受邀协助查找" in page.content.decode()
    assert helper.get(reverse("tracing:case_detail", args=[other.pk])).status_code == 404
    assert helper.get(reverse("members:member_detail", args=[asked.member.pk])).status_code == 404
    listing = helper.get(reverse("tracing:case_list")).content.decode()
    assert "协查对象" in listing and "本支部其他" not in listing
    assert helper.get(reverse("tracing:attempt_add", args=[asked.pk])).status_code == 404
    assert "待答复的协查请求" in helper.get("/").content.decode()
    helper.post(
        reverse("tracing:assistance_answer", args=[request.pk]), {"text": "经走访，该党员已于去年迁往西安。"}
    )
    request.refresh_from_db()
    assert (
        request.answered_by == world.users["branch_b1"]
        and request.history.first().history_user == world.users["branch_b1"]
    )
    assert (
        "已于去年迁往西安"
        in client_for("branch_a1").get(reverse("tracing:case_detail", args=[asked.pk])).content.decode()
    )
    assert client_for("branch_a2").get(reverse("tracing:case_detail", args=[asked.pk])).status_code == 404


def test_request_must_go_outside_the_branch(world, org):
    import pytest
    from django.core.exceptions import ValidationError

    case = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )
    with pytest.raises(ValidationError, match="本支部以外"):
        services.assistance_request(
            case=case, to_organization=org("branch_a1"), text="x", acting_user=world.users["branch_a1"]
        )
    assert not AssistanceRequest.objects.exists()
