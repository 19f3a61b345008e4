"""Starting a job and handing its file out: the two writes a user makes on jobs."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lianxin.disclosure import disclosure_record
from lianxin.jobs import registry
from lianxin.jobs.models import UNFINISHED, Job
from lianxin.models import Disclosure
from lianxin.replica import reads_from_primary
from lianxin.service import REFUSED, service
from lianxin.tasks import run_job

PERSONAL_FIELDS = ["身份证号", "联系电话"]


def _kind_perm(kwargs):
    return registry.get(kwargs["kind"]).perm


def _job_perm(kwargs):
    return registry.get(kwargs["job"].kind).perm


@service(perm=_kind_perm, on="organization")
def job_start(*, acting_user, kind, organization, title, params=None, primary_reads=False):
    """Queue a job of `kind` for `organization` and return it (the worker takes it from there;
    the immediate backend of the tests has already run it). `params`: JSON, no personal numbers.

    The same request while an identical job is still waiting or running (a double click, a page
    reloaded) returns that job instead of starting the same province-wide export twice.
    `primary_reads`: the asking browser has just written (`lianxin.replica.pinned_to_primary`), so
    a report job reads the primary, as the page would."""
    params = params or {}
    with reads_from_primary(), transaction.atomic():
        same = Job.objects.filter(
            user=acting_user, kind=kind, organization=organization, status__in=UNFINISHED
        ).order_by("-pk")
        for job in same:
            if job.params == params:
                return job
        job = Job.objects.create(
            user=acting_user,
            organization=organization,
            kind=kind,
            title=title[:200],
            params=params,
            primary_reads=primary_reads,
        )
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        job.refresh_from_db()
    return job


def is_big(rows):
    """Past this many rows an export or an import runs on the worker (LIANXIN_JOB_ROWS)."""
    return rows > settings.LIANXIN["JOB_ROWS"]


def own_job(user, pk):
    """The user's own job; anybody else's is 404, whoever asks."""
    job = Job.objects.select_related("organization").filter(pk=pk, user_id=user.pk).first()
    if job is None:
        raise Http404
    return job


@service(perm=_job_perm, on=lambda kwargs: kwargs["job"].organization)
def job_download(*, acting_user, job):
    """Check that the file may still be handed out and record it; the caller streams `job.file`.

    The job must be the user's own, its organization still within what the user may export
    (rights change; the file does not: the declaration checks it), and its file still kept."""
    if job.user_id != acting_user.pk:
        raise PermissionDenied(REFUSED)
    spec = registry.get(job.kind)
    if not job.downloadable():
        raise Http404
    if spec.personal:
        disclosure_record(
            user=acting_user,
            organization=job.organization,
            kind=Disclosure.Kind.EXPORT,
            subject=job.title,
            subject_key=f"lianxin.job:{job.pk}",
            fields=PERSONAL_FIELDS,
            count=job.rows,
        )
    return spec
