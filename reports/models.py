"""逐级报: a unit submits its 失联党员名册 for a census date; the file is frozen as submitted."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lianxin.models import Organization
from lianxin.storage import private_storage


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "已上报"
    RETURNED = "returned", "已退回"


class Submission(models.Model):
    Status = SubmissionStatus

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="submissions", verbose_name="填报单位"
    )
    as_of = models.DateField("排查结束日期", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    rows = models.PositiveIntegerField("人数")
    file = models.FileField("上报文件", upload_to="submissions/%Y/", storage=private_storage)
    unit_name = models.CharField("填报单位名称（上报时）", max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上报人"
    )
    submitted_at = models.DateTimeField("上报时间", auto_now_add=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="退回人",
    )
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "名册上报"
        verbose_name_plural = "名册上报"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One standing 名册 per unit and date; a returned one may be submitted again.
            models.UniqueConstraint(
                fields=["organization", "as_of"],
                condition=models.Q(status=SubmissionStatus.SUBMITTED),
                name="one_submitted_roster_per_date",
            )
        ]

    def __str__(self):
        return f"{self.unit_name} {self.as_of} {self.get_status_display()}"

    @property
    def scope_organization(self):
        return self.organization


class MonthlySnapshot(models.Model):
    """One organization's numbers at the end of a month (its whole subtree), for the trend page.

    Derived data, recomputed from the facts at any time (reports/snapshots.py): no simple-history,
    and rows are written in bulk (an upsert per month), never edited by hand."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="党组织"
    )
    month = models.DateField("月份", help_text="该月1日")
    as_of = models.DateField("统计日期", help_text="数字所反映的日期：往月为月末，本月为生成当天")
    reconstructed = models.BooleanField(
        "据历史记录推算", default=False, help_text="事后按有日期的记录推算，而非当月生成"
    )
    members = models.PositiveIntegerField("党员人数", default=0)
    warning = models.PositiveIntegerField("预警", default=0)
    out_of_control = models.PositiveIntegerField("失控", default=0)
    lost = models.PositiveIntegerField("失联", default=0)
    cases_opened = models.PositiveIntegerField("本月立案", default=0)
    cases_closed = models.PositiveIntegerField("本月结案", default=0)
    cases_open = models.PositiveIntegerField("月末查找中案件", default=0)
    cases_overdue = models.PositiveIntegerField("月末超期未查找案件", default=0)
    dispositions_waiting = models.PositiveIntegerField("月末审批中处置", default=0)
    dispositions_overdue = models.PositiveIntegerField("月末超期未办理处置", default=0)

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "月度快照"
        verbose_name_plural = "月度快照"
        ordering = ["organization", "month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="one_snapshot_per_month")
        ]

    def __str__(self):
        return f"{self.organization} {self.month:%Y-%m}"

    @property
    def scope_organization(self):
        return self.organization

    @property
    def overdue(self):
        return self.cases_overdue + self.dispositions_overdue
