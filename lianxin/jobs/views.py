"""我的导出: the user's own jobs, a job's page with its progress, its JSON for polling, its file;
and everybody's jobs for the administrators' 后台任务 page (/tasks/, lianxin/todo_views.py)."""

from datetime import datetime, time

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lianxin import access
from lianxin.jobs import recovery, registry
from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.services import job_download, own_job
from lianxin.pagination import paginate, query_without_page


def job_list(request):
    jobs = Job.objects.filter(user=request.user).select_related("organization").order_by("-created_at", "-pk")
    page = paginate(request, jobs, per_page=20)
    now = timezone.now()
    rows = [(job, registry.label(job.kind), job.shown_status(now), job.downloadable(now)) for job in page]
    return render(
        request,
        "lianxin/jobs/job_list.html",
        {"page": page, "rows": rows, "query": query_without_page(request), "JobStatus": JobStatus},
    )


STAFF_ROWS = 100


def jobs_since(day):
    """Everybody's jobs asked for since `day`, newest first, for the administrators' /tasks/ page:
    (job, kind label, status shown), unfinished and failed ones first."""
    since = timezone.make_aware(datetime.combine(day, time.min))
    # newest first by primary key: the index walked backwards, stopping after a page
    jobs = (Job.objects.filter(created_at__gte=since).select_related("user", "organization").order_by("-pk"))[
        :STAFF_ROWS
    ]
    now = timezone.now()
    rows = [(job, registry.label(job.kind), job.shown_status(now)) for job in jobs]
    first = (JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.FAILED)
    return sorted(rows, key=lambda row: row[2] not in first)


def _state(job):
    if not job.is_finished:
        job = recovery.check(job)
    return job


def job_detail(request, pk):
    job = _state(own_job(request.user, pk))
    return render(
        request,
        "lianxin/jobs/job_detail.html",
        {
            "job": job,
            "kind_label": registry.label(job.kind),
            "back": registry.back_link(job),
            "status": job.shown_status(),
            "JobStatus": JobStatus,
            "downloadable": job.downloadable(),
        },
    )


def job_status(request, pk):
    """What the job page's script polls every second."""
    job = _state(own_job(request.user, pk))
    status = job.shown_status()
    return JsonResponse(
        {
            "status": status.value,
            "label": status.label,
            "finished": job.is_finished,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "download": reverse("jobs:download", args=[job.pk]) if job.downloadable() else "",
        }
    )


def job_file(request, pk):
    job = own_job(request.user, pk)
    # 404 when the organization has left the user's scope, 403 when only the right to export went.
    access.require(request.user, registry.get(job.kind).perm, job.organization)
    spec = job_download(acting_user=request.user, job=job)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=spec.content_type)
