"""逐级报: a branch submits a frozen 名册, the committee sees who has submitted and can return one."""

from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import submissions
from reports.models import Submission
from tests.factories import MemberFactory

AS_OF = date(2026, 11, 1)


def test_submit_freeze_see_and_return(world, org, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MemberFactory(organization=org("branch_a1"), name="上报甲", last_contact_on=date(2025, 1, 1))
    client = client_for("branch_a1")
    client.post(f"{reverse('reports:submission_submit')}?org={org('branch_a1').pk}&as_of={AS_OF}")
    submission = Submission.objects.get()
    assert submission.rows == 1 and submission.submitted_by == world.users["branch_a1"]
    MemberFactory(
        organization=org("branch_a1"), name="后来者", last_contact_on=date(2025, 1, 1)
    )  # the file stays as submitted
    rows = openpyxl.load_workbook(submission.file.path).active.iter_rows(min_row=4, values_only=True)
    assert [r[1] for r in rows if r[0] and isinstance(r[0], int)] == ["上报甲"]
    with pytest.raises(ValidationError, match="已上报"):
        submissions.submission_submit(
            organization=org("branch_a1"), as_of=AS_OF, acting_user=world.users["branch_a1"]
        )

    page = (
        client_for("committee_a")
        .get(reverse("reports:submission_status"), {"org": org("committee_a").pk, "as_of": AS_OF})
        .content.decode()
    )
    assert "城关镇东街社区党支部" in page and "已上报" in page and "未上报" in page
    with pytest.raises(PermissionDenied):
        submissions.submission_return(submission=submission, reason="x", acting_user=world.users["branch_a1"])
    client_for("committee_a").post(
        reverse("reports:submission_return", args=[submission.pk]), {"reason": "身份证号有误"}
    )
    submission.refresh_from_db()
    assert (
        submission.status == Submission.Status.RETURNED
        and submission.returned_by == world.users["committee_a"]
    )
    submissions.submission_submit(
        organization=org("branch_a1"), as_of=AS_OF, acting_user=world.users["branch_a1"]
    )
    assert Submission.objects.filter(status="submitted").count() == 1
