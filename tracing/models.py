"""Lost-contact cases (失联党员查找) and their search log."""

import os
import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lianxin.dates import validate_in_range
from lianxin.fixtures import integer_choices
from lianxin.models import Organization
from lianxin.storage import private_storage
from lianxin.textlimits import BOX, LOG_ROW, NOTE, narrative
from members.models import Member

# 失去联系情形 codes of the 名册 and the 登记表 (⑦ needs a remark): fixtures/codes/loss_reasons.json.
LossReason = integer_choices("loss_reasons", "LossReason", __name__)


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
    findings = narrative("失联党员表现调查核实情况", BOX, blank=True)
    lost_since_reason = models.CharField("失联起始日期修改理由", max_length=300, blank=True)
    closing_evidence = narrative("结案依据", NOTE, blank=True, help_text="取得联系的情况，或死亡的证明材料")
    # After "经多方努力确实无法取得联系": the committee's second search (登记表).
    second_search_done_on = models.DateField("党委再次查找完成日期", null=True, blank=True)
    second_search_findings = narrative("党委再次查找情况", NOTE, blank=True)

    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "失联党员查找案件"
        verbose_name_plural = "失联党员查找案件"
        # The case list's order: a province's first page walks this index instead of sorting
        # every case joined with its member.
        indexes = [models.Index(fields=["status", "-opened_on", "-id"], name="case_list_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status=CaseStatus.OPEN), name="one_open_case_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member.name}（{self.get_status_display()}）"

    @property
    def scope_organization(self):
        return self.organization

    @property
    def is_open(self):
        return self.status == CaseStatus.OPEN

    @property
    def is_unreachable(self):
        return self.status == CaseStatus.UNREACHABLE

    @property
    def awaiting_second_search(self):
        """ "确实无法取得联系" but the committee has not finished its second search (登记表)."""
        return self.is_unreachable and not self.second_search_done_on


class Channel(models.TextChoices):
    """查找渠道 (Fuzhou measure 6 adds the public registers to the personal channels)."""

    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信"
    LETTER = "letter", "信函"
    HOME_VISIT = "home_visit", "上门走访"
    RELATIVES = "relatives", "亲友"
    FORMER_EMPLOYER = "employer", "原工作单位"
    POLICE = "police", "公安户籍"
    SOCIAL_SECURITY = "social_security", "人社社保"
    MEDICAL = "medical", "医保"
    SCHOOL = "school", "教育学籍"
    CIVIL_AFFAIRS = "civil_affairs", "民政低保"
    PROPERTY = "property", "房产"
    BUSINESS = "business", "工商注册"
    TAX = "tax", "税务"
    SELF_REPORT = "self_report", "本人自报"  # the member reported through 归队码/报到码
    OTHER = "other", "其他"


class AttemptResult(models.TextChoices):
    NO_TRACE = "no_trace", "未找到"
    LEAD = "lead", "发现线索"
    CONTACTED = "contacted", "取得联系"
    DEATH = "death", "确认死亡"


def attachment_path(instance, filename):
    """A random name: the uploader's file name may itself carry a name or a number, and a long
    one would overflow the column. The extension (checked on upload) is all that is kept."""
    extension = os.path.splitext(filename)[1].lower()[:5]
    return f"attempts/{instance.case_id}/{uuid.uuid4().hex}{extension}"


class SearchAttempt(models.Model):
    """One search attempt (党组织查找情况记录). Append-only: a correction supersedes, never edits."""

    case = models.ForeignKey(
        LostContactCase, on_delete=models.PROTECT, related_name="attempts", verbose_name="案件"
    )
    searched_at = models.DateTimeField("时间", validators=[validate_in_range])
    searcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="查找人（账号）"
    )
    searcher_name = models.CharField("查找人", max_length=100)
    channel = models.CharField("查找渠道", max_length=20, choices=Channel.choices)
    process = narrative("查找过程", LOG_ROW)
    witness = models.CharField("证明人", max_length=100, blank=True)
    remark = models.CharField("备注", max_length=500, blank=True)
    result = models.CharField("查找结果", max_length=12, choices=AttemptResult.choices)
    by_committee = models.BooleanField("党委再次查找", default=False)
    attachment = models.FileField("附件", upload_to=attachment_path, storage=private_storage, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name="更正的记录",
    )
    correction_reason = models.CharField("更正理由", max_length=300, blank=True)
    # The post the searcher acted for when they held the right only as its delegate ("由…代为办理").
    on_behalf_of = models.ForeignKey(
        "lianxin.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代为办理的职务",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_path_field = "case__organization__path"

    class Meta:
        verbose_name = "查找记录"
        verbose_name_plural = "查找记录"
        ordering = ["searched_at", "pk"]

    def __str__(self):
        return f"{self.searched_at:%Y-%m-%d} {self.get_channel_display()}"

    @property
    def scope_organization(self):
        return self.case.organization


class CensusPeriod(models.Model):
    """排查: an organization searches its subtree between two dates."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="census_periods", verbose_name="党组织"
    )
    name = models.CharField("排查名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "排查"
        verbose_name_plural = "排查"
        ordering = ["-ends_on"]

    def __str__(self):
        return self.name

    @property
    def scope_organization(self):
        return self.organization


class AssistanceRequest(models.Model):
    """协查: a branch asks another organization to search; both see this case, and only this case."""

    case = models.ForeignKey(
        LostContactCase, on_delete=models.PROTECT, related_name="assistance_requests", verbose_name="案件"
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assistance_requests", verbose_name="协查党组织"
    )
    request_text = narrative("协查请求", NOTE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="请求人"
    )
    requested_on = models.DateField("请求日期")
    answer_text = narrative("协查结果", NOTE, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    history = HistoricalRecords()

    scope_path_field = "to_organization__path"

    class Meta:
        verbose_name = "协查请求"
        verbose_name_plural = "协查请求"
        ordering = ["requested_on", "pk"]

    def __str__(self):
        return f"协查：{self.to_organization.name}"

    @property
    def scope_organization(self):
        return self.to_organization
