"""逐级报: submit a frozen 名册 for a census date, see who below has submitted, return one with a reason."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from lianxin import perms
from lianxin.jobs.registry import counted
from lianxin.models import Organization
from lianxin.service import service
from members.models import Member
from reports import builders, xlsx
from reports.models import Submission


def current(organization, as_of):
    return Submission.objects.filter(
        organization=organization, as_of=as_of, status=Submission.Status.SUBMITTED
    ).first()


ALREADY = "该排查日期的名册已上报；如需修改，请上级党组织先退回。"


def parent_of(submission):
    """The organization above the submitting one: it receives the 名册 and may return it."""
    path = submission.organization.path[: -Organization.steplen]
    return Organization.objects.filter(path=path).first() if path else None


@service(perm=perms.EXPORT_REPORTS, on="organization")
@transaction.atomic
def submission_submit(*, organization, as_of, acting_user, progress=None):
    """Freeze the subtree's 名册 for `as_of` (on the worker for a big subtree: `progress(done, total)`)."""
    # Submitters of one organization queue on its row, so the second sees the first's 名册.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if current(organization, as_of):
        raise ValidationError(ALREADY)
    members = Member.objects.filter(organization__path__startswith=organization.path)
    rows = builders.roster_rows(members, as_of, organization.path)
    if progress:
        rows = counted(rows, progress, builders.roster_members(members, as_of).count())
    stream = io.BytesIO()
    count = xlsx.write_roster(
        stream,
        rows,
        title="失联党员名册",
        unit=organization.name,
        filled_on=as_of,
    )
    submission = Submission(
        organization=organization,
        as_of=as_of,
        rows=count,
        unit_name=organization.name,
        submitted_by=acting_user,
    )
    submission.file.save(
        f"roster-{organization.code}-{as_of}.xlsx", ContentFile(stream.getvalue()), save=False
    )
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # one_submitted_roster_per_date: a submission that got past the lock
        submission.file.delete(save=False)
        raise ValidationError(ALREADY) from None
    return submission


@service(perm=(perms.REVIEW_COMMITTEE, perms.APPROVE_DEPARTMENT), on=lambda kw: parent_of(kw["submission"]))
@transaction.atomic
def submission_return(*, submission, reason, acting_user):
    submission = Submission.objects.select_for_update().select_related("organization").get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError("该名册已退回。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明退回理由。"})
    submission.status, submission.return_reason, submission.returned_by = (
        Submission.Status.RETURNED,
        reason,
        acting_user,
    )
    submission.save()
    return submission


def status_of_children(organization, as_of):
    """[(child, its current submission or None)] — one query for the children, one for their submissions."""
    children = list(
        Organization.objects.filter(
            path__startswith=organization.path, depth=organization.depth + 1
        ).order_by("path")
    )
    by_org = {
        s.organization_id: s
        for s in Submission.objects.filter(
            organization__in=children, as_of=as_of, status=Submission.Status.SUBMITTED
        )
    }
    return [(child, by_org.get(child.pk)) for child in children]
