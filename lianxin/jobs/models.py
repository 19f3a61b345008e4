"""A piece of long work a user asked for (a big export, a batch of PDFs, a big import), as the
user sees it: what, for which organization, how far, and the file when it is done.

The task queue (django-tasks-db) runs it; this row is what the pages read and poll. It holds no
personal numbers: `params` names organizations, dates, columns and case ids only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from lianxin.storage import private_storage


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    EXPIRED = "expired", "已过期"


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    # Whose data it is: the download is allowed only while it stays in the user's scope.
    organization = models.ForeignKey(
        "lianxin.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="党组织"
    )
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("内容", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已完成数", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    summary = models.CharField("结果", max_length=300, blank=True)
    file = models.FileField("文件", upload_to="jobs/", storage=private_storage, blank=True, max_length=200)
    filename = models.CharField("下载文件名", max_length=200, blank=True)
    rows = models.PositiveIntegerField("人数", default=0)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("保留至", null=True, blank=True)
    # Written with every progress report: a running job whose worker died stops moving.
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    # Asked by a browser that has just written: read from the primary, not the replica (lianxin/replica.py).
    primary_reads = models.BooleanField("读主库", default=False)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    worker = models.CharField("执行进程", max_length=120, blank=True)

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_created_idx"),
            models.Index(fields=["status", "expires_at"], name="job_status_expires_idx"),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def scope_organization(self):
        return self.organization

    @property
    def is_finished(self):
        return self.status not in UNFINISHED

    def shown_status(self, now=None):
        """The status a page shows: a file past its time is 已过期 even before the sweep removed it."""
        if self.status == JobStatus.DONE and self.expires_at and self.expires_at <= (now or timezone.now()):
            return JobStatus.EXPIRED
        return JobStatus(self.status)

    def downloadable(self, now=None):
        return self.shown_status(now) == JobStatus.DONE and bool(self.file)

    @property
    def percent(self):
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
