"""Lost-contact cases (失联党员查找) and their search log."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lianxin.models import Organization
from members.models import Member


class LossReason(models.IntegerChoices):
    """失去联系情形 codes of the 名册 and the 登记表 (⑦ needs a remark)."""

    MIGRANT_WORK = 1, "外出务工经商"
    RESTRUCTURED = 2, "单位改制或破产"
    GRADUATE_UNKNOWN = 3, "毕业后去向不明"
    EMPLOYER_CHANGED = 4, "工作单位改变"
    ABROAD = 5, "出国（境）"
    RESIDENCE_CHANGED = 6, "居住地改变"
    OTHER = 7, "其他"


class CaseStatus(models.TextChoices):
    OPEN = "open", "查找中"
    CONTACTED = "contacted", "已取得联系"
    DECEASED = "deceased", "确认已死亡"
    UNREACHABLE = "unreachable", "经多方努力确实无法取得联系"


class LostContactCase(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cases", verbose_name="党员")
    # The member's branch when the case was opened: the case's scope.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="cases", verbose_name="党支部"
    )
    opened_on = models.DateField("立案日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="立案人"
    )
    lost_since = models.DateField("失联起始日期", help_text="最近一次参加组织生活或交纳党费的日期")
    reason = models.PositiveSmallIntegerField("失去联系情形", choices=LossReason.choices)
    reason_remark = models.CharField("备注", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    closed_on = models.DateField("查找结束日期", null=True, blank=True)
    findings = models.TextField("失联党员表现调查核实情况", blank=True)

    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "失联党员查找案件"
        verbose_name_plural = "失联党员查找案件"
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status="open"), name="one_open_case_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member.name}（{self.get_status_display()}）"

    @property
    def scope_organization(self):
        return self.organization
