"""Lost-contact cases: opening, the append-only search log, closing rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import ContactStatus
from tests.factories import CaseFactory, MemberFactory
from tests.faults import InjectedFault, fail_after
from tracing import services
from tracing.models import CaseStatus, Channel, LossReason, LostContactCase, SearchAttempt


@pytest.fixture
def lost_member(org):
    return MemberFactory(
        organization=org("branch_a1"), last_contact_on=timezone.localdate() - timedelta(days=300)
    )


def test_reason_seven_needs_a_remark(world, lost_member):
    with pytest.raises(ValidationError) as err:
        services.case_open(member=lost_member, acting_user=world.users["branch_a1"], reason=LossReason.OTHER)
    assert "备注" in str(err.value)
    assert not LostContactCase.objects.exists()


def test_one_open_case_per_member(world, lost_member):
    user = world.users["branch_a1"]
    case = services.case_open(member=lost_member, acting_user=user, reason=LossReason.MIGRANT_WORK)
    assert case.lost_since == lost_member.last_contact_on
    with pytest.raises(ValidationError, match="已有正在查找的案件"):
        services.case_open(member=lost_member, acting_user=user, reason=LossReason.MIGRANT_WORK)
    assert LostContactCase.objects.count() == 1


def test_lost_since_changes_only_with_a_reason(world, lost_member):
    user = world.users["branch_a1"]
    with pytest.raises(ValidationError, match="理由"):
        services.case_open(member=lost_member, acting_user=user, reason=1, lost_since=date(2024, 1, 1))
    case = services.case_open(
        member=lost_member,
        acting_user=user,
        reason=1,
        lost_since=date(2024, 1, 1),
        lost_since_reason="党费记录补登",
    )
    assert case.lost_since == date(2024, 1, 1) and case.lost_since_reason == "党费记录补登"


def _attempt(case, user, channel=Channel.PHONE, **kw):
    return services.attempt_log(
        case=case, acting_user=user, channel=channel, process="查找过程", result="no_trace", **kw
    )


def test_attempts_are_append_only_corrections_supersede(world, lost_member):
    user = world.users["branch_a1"]
    case = services.case_open(member=lost_member, acting_user=user, reason=1)
    first = _attempt(case, user)
    with pytest.raises(ValidationError, match="理由"):
        _attempt(case, user, supersedes=first)
    fix = _attempt(case, user, channel=Channel.WECHAT, supersedes=first, correction_reason="渠道记错")
    with pytest.raises(ValidationError, match="已被更正"):
        _attempt(case, user, supersedes=first, correction_reason="again")
    # the original is kept, marked by its correction; only the correction counts
    assert list(case.attempts.filter(superseded_by__isnull=True)) == [fix]
    assert SearchAttempt.objects.get(pk=first.pk).superseded_by == fix
    assert SearchAttempt.objects.count() == 2 and SearchAttempt.history.count() == 2
    assert services.channels_tried(case) == {Channel.WECHAT}


def test_unreachable_needs_three_channels_and_findings(world, lost_member):
    user = world.users["branch_a1"]
    case = services.case_open(member=lost_member, acting_user=user, reason=1)
    _attempt(case, user, Channel.PHONE)
    _attempt(case, user, Channel.PHONE)
    _attempt(case, user, Channel.RELATIVES)
    with pytest.raises(ValidationError, match="至少 3 种"):
        services.case_close(case=case, acting_user=user, outcome=CaseStatus.UNREACHABLE)
    _attempt(case, user, Channel.POLICE)
    with pytest.raises(ValidationError, match="调查核实情况"):
        services.case_close(case=case, acting_user=user, outcome=CaseStatus.UNREACHABLE)
    case.findings = "表现一般"
    case.save()
    services.case_close(case=case, acting_user=user, outcome=CaseStatus.UNREACHABLE)
    case.refresh_from_db()
    assert case.status == CaseStatus.UNREACHABLE and case.closed_on == timezone.localdate()
    with pytest.raises(ValidationError, match="已结束"):
        _attempt(case, user)


def test_contact_re_established_updates_the_member(world, lost_member):
    user = world.users["branch_a1"]
    case = services.case_open(member=lost_member, acting_user=user, reason=1)
    services.case_close(case=case, acting_user=user, outcome=CaseStatus.CONTACTED, evidence="电话联系上")
    lost_member.refresh_from_db()
    assert lost_member.last_contact_on == timezone.localdate()
    assert lost_member.contact_status == ContactStatus.NORMAL


def test_fault_while_closing_leaves_case_and_member_unchanged(world, lost_member, monkeypatch):
    user = world.users["branch_a1"]
    case = services.case_open(member=lost_member, acting_user=user, reason=1)
    with fail_after(monkeypatch, member_services, "member_refresh_status"), pytest.raises(InjectedFault):
        services.case_close(case=case, acting_user=user, outcome=CaseStatus.CONTACTED, evidence="电话联系上")
    case.refresh_from_db()
    lost_member.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_on is None
    assert lost_member.last_contact_on == timezone.localdate() - timedelta(days=300)


def test_attachment_content_must_match_its_type(world, lost_member):
    user = world.users["branch_a1"]
    case = services.case_open(member=lost_member, acting_user=user, reason=1)
    fake = SimpleUploadedFile("letter.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="内容与文件类型不符"):
        _attempt(case, user, attachment=fake)
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="JPG"):
        _attempt(case, user, attachment=exe)
    assert not SearchAttempt.objects.exists()


def test_one_click_open_from_the_workbench(world, lost_member, client_for):
    client = client_for("branch_a1")
    home = client.get("/").content.decode()
    quick = reverse("tracing:case_quick_open", args=[lost_member.pk])
    assert quick in home and "立案查找" in home
    response = client.post(quick)
    case = LostContactCase.objects.get(member=lost_member)
    assert response.url == reverse("tracing:case_detail", args=[case.pk])
    assert case.history.first().history_user == world.users["branch_a1"]


def test_secretary_logs_attempts_through_the_page(world, lost_member, client_for):
    case = services.case_open(member=lost_member, acting_user=world.users["branch_a1"], reason=1)
    client = client_for("branch_a1")
    data = {
        "searched_at": "2026-11-01T10:00",
        "channel": "phone",
        "process": "拨打电话无人接听",
        "result": "no_trace",
    }
    assert client.post(reverse("tracing:attempt_add", args=[case.pk]), data).status_code == 302
    page = client.get(reverse("tracing:case_detail", args=[case.pk])).content.decode()
    assert "拨打电话无人接听" in page and "党组织查找情况记录（1 次）" in page


def test_case_list_queries_are_constant(world, org, client_for):
    client = client_for("county")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("tracing:case_list")).status_code == 200
        return len(ctx.captured_queries)

    user = world.users["branch_a1"]
    CaseFactory(member=MemberFactory(organization=org("branch_a1")), opened_by=user)
    few = count()
    for _ in range(30):
        CaseFactory(member=MemberFactory(organization=org("branch_b1")), opened_by=user)
    assert count() == few


def test_census_is_opened_for_own_units_only(world, org, client_for):
    from tracing.models import CensusPeriod

    data = {"name": "2026年排查", "starts_on": "2026-10-01", "ends_on": "2026-10-31"}
    client_for("branch_a2").post(
        reverse("tracing:census_list"), {**data, "organization": org("branch_a1").pk}
    )
    assert not CensusPeriod.objects.exists()
    client_for("county").post(reverse("tracing:census_list"), {**data, "organization": org("county").pk})
    assert CensusPeriod.objects.get().organization == org("county")
    assert "2026年排查" in client_for("branch_a1").get(reverse("tracing:census_list")).content.decode()


def test_duration_band_filter(world, org, client_for):
    user = world.users["branch_a1"]
    old = CaseFactory(
        member=MemberFactory(organization=org("branch_a1"), name="久失联"),
        opened_by=user,
        lost_since=date(2023, 1, 1),
    )
    CaseFactory(
        member=MemberFactory(organization=org("branch_a1"), name="新失联"),
        opened_by=user,
        lost_since=timezone.localdate() - timedelta(days=200),
    )
    page = client_for("branch_a1").get(reverse("tracing:case_list"), {"band": "gt2"}).content.decode()
    assert old.member.name in page and "新失联" not in page


def test_case_list_filters_narrow_and_bad_values_are_ignored(world, org, client_for):
    user = world.users["branch_a1"]
    contacted = CaseFactory(
        member=MemberFactory(organization=org("branch_a1"), name="已联系甲"),
        opened_by=user,
        status=CaseStatus.CONTACTED,
        reason=LossReason.OTHER,
    )
    CaseFactory(member=MemberFactory(organization=org("branch_a1"), name="查找中乙"), opened_by=user)
    client = client_for("branch_a1")

    def names(params):
        response = client.get(reverse("tracing:case_list"), params)
        assert response.status_code == 200
        page = response.content.decode()
        return {name for name in ("已联系甲", "查找中乙") if name in page}

    assert names({"status": CaseStatus.CONTACTED}) == {"已联系甲"}
    assert names({"q": " 查找中 "}) == {"查找中乙"}
    assert names({"reason": contacted.reason}) == {"已联系甲"}
    assert names({"org": org("branch_a1").pk, "status": CaseStatus.OPEN}) == {"查找中乙"}
    # a value that is not one of the choices is ignored, never an error
    assert names({"status": "nope", "band": "x", "reason": "abc", "org": "-1", "q": "\x00"}) == {
        "已联系甲",
        "查找中乙",
    }
    assert client.get(reverse("tracing:case_list"), {"org": org("branch_b1").pk}).status_code == 404
