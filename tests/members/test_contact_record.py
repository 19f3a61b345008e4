"""记录联系 and 立案查找 from the member page: no dead end in a member's life."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import ContactRecord, ContactStatus
from tests.factories import CaseFactory, MemberFactory


def _lost(org, **kw):
    member = MemberFactory(
        organization=org("branch_a1"), last_contact_on=timezone.localdate() - timedelta(days=250), **kw
    )
    services.member_refresh_status(member)
    return member


def test_recording_a_contact_moves_the_status(world, org, client_for):
    member = _lost(org)
    assert member.contact_status == ContactStatus.LOST
    day = timezone.localdate() - timedelta(days=1)
    response = client_for("branch_a1").post(
        reverse("members:contact_record", args=[member.pk]),
        {"on": day.isoformat(), "kind": "visit", "note": "上门走访，本人在家"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_contact_on == day and member.contact_status == ContactStatus.NORMAL
    record = ContactRecord.objects.get(member=member)
    assert record.kind == "visit" and record.recorded_by == world.users["branch_a1"]
    assert record.history.first().history_user == world.users["branch_a1"]
    page = client_for("branch_a1").get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "上门走访，本人在家" in page


def test_a_contact_clears_unreachable(world, org, client_for):
    member = MemberFactory(
        organization=org("branch_a1"),
        last_contact_on=timezone.localdate() - timedelta(days=40),
        unreachable_since=timezone.localdate() - timedelta(days=10),
    )
    services.member_refresh_status(member)
    assert member.contact_status == ContactStatus.OUT_OF_CONTROL
    client_for("branch_a1").post(
        reverse("members:contact_record", args=[member.pk]),
        {"on": timezone.localdate().isoformat(), "kind": "phone", "note": "本人接听"},
    )
    member.refresh_from_db()
    assert member.unreachable_since is None and member.contact_status == ContactStatus.NORMAL


def test_a_future_contact_is_refused_and_nothing_written(world, org, client_for):
    member = _lost(org)
    response = client_for("branch_a1").post(
        reverse("members:contact_record", args=[member.pk]),
        {"on": (timezone.localdate() + timedelta(days=1)).isoformat(), "kind": "phone", "note": "x"},
    )
    assert "联系日期不能晚于今天" in response.content.decode()
    assert not ContactRecord.objects.exists()


def test_the_service_checks_the_right_itself(world, org):
    member = _lost(org)
    with pytest.raises(PermissionDenied):
        services.contact_record(
            member=member,
            on=timezone.localdate(),
            kind="phone",
            note="越权",
            acting_user=world.users["branch_a2"],
        )
    assert not ContactRecord.objects.exists()


def test_member_page_offers_a_case_for_any_status_and_contact(world, org, client_for):
    """联系不上 (not yet six months): the full 立案 form is linked, and 记录联系."""
    member = MemberFactory(
        organization=org("branch_a1"),
        last_contact_on=timezone.localdate() - timedelta(days=30),
        unreachable_since=timezone.localdate() - timedelta(days=5),
    )
    page = client_for("branch_a1").get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert reverse("tracing:case_open", args=[member.pk]) in page
    assert reverse("members:contact_record", args=[member.pk]) in page
    # The committee searches (log_search) but does not manage members: 立案查找 only.
    page = client_for("committee_a").get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert reverse("tracing:case_open", args=[member.pk]) in page
    assert reverse("members:contact_record", args=[member.pk]) not in page
    # The county neither searches nor manages: neither link.
    page = client_for("county").get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "tracing/open" not in page and "record-contact" not in page
    form = client_for("branch_a1").get(reverse("tracing:case_open", args=[member.pk]))
    assert form.status_code == 200 and "失去联系情形" in form.content.decode()


def test_a_member_with_an_open_case_is_sent_to_the_case(world, org, client_for):
    member = _lost(org)
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"])
    client = client_for("branch_a1")
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert reverse("tracing:case_contact", args=[case.pk]) in page
    assert reverse("tracing:case_open", args=[member.pk]) not in page
    response = client.post(
        reverse("members:contact_record", args=[member.pk]),
        {"on": timezone.localdate().isoformat(), "kind": "phone", "note": "本人接听"},
    )
    assert response.status_code == 302 and response.url == reverse("tracing:case_contact", args=[case.pk])
    assert not ContactRecord.objects.exists()
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.LOST
