"""The roll call (组织生活) never rewrites history: no row asserts a fact by default, unset rows are
refused, and a member with an open case is not returned to 正常 without the secretary's confirmation."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Absence, Activity, Attendance, ContactStatus
from tests.factories import CaseFactory, MemberFactory
from tracing.models import AttemptResult, CaseStatus, SearchAttempt


def _url(branch):
    return reverse("members:activity_add", args=[branch.pk])


def _data(day=None, **rows):
    day = day or timezone.localdate() - timedelta(days=2)
    return {"kind": "party_day", "title": "主题党日", "held_on": day.isoformat(), **rows}


def _checked(html, member):
    """The value of the checked radio of the member's row, or None."""
    found = re.findall(rf'<input type="radio" name="m{member.pk}" value="(\w+)"[^>]*checked', html)
    return found[0] if found else None


@pytest.fixture
def lost_with_case(world, org):
    member = MemberFactory(
        organization=org("branch_a1"),
        name="林失联",
        last_contact_on=timezone.localdate() - timedelta(days=300),
        contact_status=ContactStatus.LOST,
    )
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], opened_on=timezone.localdate())
    return member, case


def test_rows_start_unset_and_members_on_leave_start_on_leave(world, org, client_for):
    branch = org("branch_a1")
    present, away = MemberFactory(organization=branch), MemberFactory(organization=branch)
    Absence.objects.create(member=away, left_on=timezone.localdate() - timedelta(days=10), destination="西安")
    html = client_for("branch_a1").get(_url(branch)).content.decode()
    assert _checked(html, present) is None
    assert _checked(html, away) == "leave"
    assert 'class="segmented"' in html and "外出" in html


def test_unset_rows_are_refused_in_chinese_and_nothing_is_written(world, org, client_for):
    branch = org("branch_a1")
    chosen = MemberFactory(organization=branch)
    MemberFactory(organization=branch, name="漏选者")
    response = client_for("branch_a1").post(_url(branch), _data(**{f"m{chosen.pk}": "present"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "还有党员未选择出席情况：漏选者" in html and "请选择出席情况。" in html
    assert _checked(html, chosen) == "present"  # the input is kept
    assert not Activity.objects.exists() and not Attendance.objects.exists()


def test_roll_call_does_not_reset_a_lost_member_with_an_open_case(world, org, client_for, lost_with_case):
    member, case = lost_with_case
    branch = org("branch_a1")
    client = client_for("branch_a1")
    data = _data(**{f"m{member.pk}": "present"})
    response = client.post(_url(branch), data)
    html = response.content.decode()
    assert response.status_code == 200 and "以下党员有正在查找的失联案件" in html and "林失联" in html
    member.refresh_from_db()
    assert not Activity.objects.exists() and not SearchAttempt.objects.exists()
    assert member.contact_status == ContactStatus.LOST

    response = client.post(_url(branch), {**data, "confirm_open": "on"})
    assert response.status_code == 302
    attempt = SearchAttempt.objects.get(case=case)
    assert attempt.result == AttemptResult.CONTACTED and "参加组织生活" in attempt.process
    assert attempt.searcher == world.users["branch_a1"]
    case.refresh_from_db()
    member.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # the case is closed on the case page, not by a roll call
    assert member.last_contact_on == timezone.localdate() - timedelta(days=2)


def test_the_service_refuses_an_unconfirmed_presence(world, org, lost_with_case):
    member, _case = lost_with_case
    with pytest.raises(ValidationError, match="须经确认"):
        services.activity_record(
            organization=org("branch_a1"),
            kind="party_day",
            title="主题党日",
            held_on=timezone.localdate(),
            attendance={member: "present"},
            acting_user=world.users["branch_a1"],
        )
    with pytest.raises(ValidationError, match="未选择"):
        services.activity_record(
            organization=org("branch_a1"),
            kind="party_day",
            title="主题党日",
            held_on=timezone.localdate(),
            attendance={member: ""},
            acting_user=world.users["branch_a1"],
        )
    assert not Activity.objects.exists() and not Attendance.objects.exists()


def test_a_lost_member_marked_unreachable_stays_lost(world, org, client_for, lost_with_case):
    member, case = lost_with_case
    response = client_for("branch_a1").post(_url(org("branch_a1")), _data(**{f"m{member.pk}": "unreachable"}))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.LOST and not SearchAttempt.objects.exists()


def test_filling_the_rest_as_present_skips_lost_and_searched_members(world, org, client_for, lost_with_case):
    searched, _case = lost_with_case
    branch = org("branch_a1")
    plain = MemberFactory(organization=branch)
    lost = MemberFactory(organization=branch, last_contact_on=timezone.localdate() - timedelta(days=250))
    lost.contact_status = ContactStatus.LOST
    lost.save()
    absent = MemberFactory(organization=branch)
    response = client_for("branch_a1").post(
        _url(branch), {**_data(), f"m{absent.pk}": "absent", "fill_present": "1"}
    )
    html = response.content.decode()
    assert _checked(html, plain) == "present" and _checked(html, absent) == "absent"
    assert _checked(html, lost) is None and _checked(html, searched) is None
    assert not Activity.objects.exists()


def test_roll_call_page_queries_do_not_grow_with_members(world, org, client_for):
    branch = org("branch_a1")
    client = client_for("branch_a1")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(branch)).status_code == 200
        return len(ctx.captured_queries)

    MemberFactory.create_batch(2, organization=branch)
    few = count()
    MemberFactory.create_batch(20, organization=branch)
    assert count() == few
