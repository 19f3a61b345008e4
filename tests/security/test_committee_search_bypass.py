"""Issue 14 item 4, the bypass found: a branch secretary posting `attempt_add?second=1` logged
a 党委再次查找 attempt that only the committee may log. The view answers 403, the service
refuses with PermissionDenied, and nothing is written either way."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.factories import CaseFactory, MemberFactory
from tests.test_access_matrix import db_fingerprint
from tracing import services
from tracing.models import AttemptResult, Channel, SearchAttempt


@pytest.fixture
def unreachable_case(world, org):
    member = MemberFactory(organization=org("branch_a1"))
    return CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status="unreachable",
        closed_on=timezone.localdate(),
        findings="多方查找无果",
    )


ATTEMPT = {
    "searched_at": "2026-11-01T10:00",
    "channel": "phone",
    "process": "党委再次拨打电话，空号",
    "result": "no_trace",
    "second": "1",
}


def test_branch_secretary_posting_second_search_gets_403_and_nothing_written(
    world, client_for, unreachable_case
):
    url = reverse("tracing:attempt_add", args=[unreachable_case.pk]) + "?second=1"
    before = db_fingerprint()
    response = client_for("branch_a1").post(url, ATTEMPT)
    assert response.status_code == 403
    assert db_fingerprint() == before
    assert client_for("branch_a1").get(url).status_code == 403


def test_the_service_refuses_the_branch_secretary(world, unreachable_case):
    before = db_fingerprint()
    with pytest.raises(PermissionDenied):
        services.attempt_log(
            case=unreachable_case,
            acting_user=world.users["branch_a1"],
            channel=Channel.PHONE,
            process="党委再次查找",
            result=AttemptResult.NO_TRACE,
            by_committee=True,
        )
    assert db_fingerprint() == before


def test_the_committee_logs_its_second_search(world, client_for, unreachable_case):
    url = reverse("tracing:attempt_add", args=[unreachable_case.pk]) + "?second=1"
    assert client_for("committee_a").post(url, ATTEMPT).status_code == 302
    assert SearchAttempt.objects.get(case=unreachable_case).by_committee
