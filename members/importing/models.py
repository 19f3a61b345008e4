"""A record of each import, so the last one can be rolled back by the user who made it."""

from django.conf import settings
from django.db import models

from lianxin.models import Organization


class ImportBatch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导入人"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="党组织"
    )
    file_name = models.CharField("文件名", max_length=255)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    rolled_back_at = models.DateTimeField("撤销时间", null=True, blank=True)

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）"

    @property
    def scope_organization(self):
        return self.organization

    @property
    def change_reason(self):
        return f"导入：{self.file_name}"[:100]


class ImportRecord(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "新增"
        UPDATED = "updated", "更新"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    member = models.ForeignKey("members.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    previous = models.JSONField(default=dict, blank=True)  # field -> value before an update

    class Meta:
        verbose_name = "导入明细"
        verbose_name_plural = "导入明细"

    def __str__(self):
        return f"{self.get_action_display()} #{self.member_id}"
