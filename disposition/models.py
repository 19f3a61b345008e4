"""Dispositions (组织处置) of lost-contact cases and each step of their approval chain."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from disposition.chain import BY_KEY, stages_for
from disposition.outcomes import Outcome
from lianxin.models import Organization
from lianxin.textlimits import BOX, narrative
from members.models import Member
from tracing.models import LostContactCase


class DispositionStatus(models.TextChoices):
    IN_REVIEW = "in_review", "审批中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未同意"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销"


ACTIVE = (DispositionStatus.IN_REVIEW, DispositionStatus.RETURNED)


class Disposition(models.Model):
    case = models.ForeignKey(
        LostContactCase, on_delete=models.PROTECT, related_name="dispositions", verbose_name="查找案件"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dispositions", verbose_name="党员"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="dispositions", verbose_name="党支部"
    )
    outcome = models.CharField("处置方式", max_length=24, choices=Outcome.choices)
    contacted = models.BooleanField("已取得联系")
    proposal = narrative("处置意见", BOX)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=DispositionStatus.choices,
        default=DispositionStatus.IN_REVIEW,
        db_index=True,
    )
    current_stage = models.CharField("当前环节", max_length=24, blank=True, db_index=True)
    stage_since = models.DateField("进入当前环节日期", null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    proposed_on = models.DateField("提出日期")
    correction_until = models.DateField("限期改正截止日期", null=True, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True, db_index=True)
    previous_party_status = models.CharField("处置前党籍状态", max_length=24, blank=True)
    rejoin_barred_until = models.DateField("不得重新入党截止日期", null=True, blank=True)
    discipline_decision = models.CharField(
        "纪律处分决定", max_length=300, blank=True, help_text="开除党籍：决定机关、文号、日期"
    )
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoke_reason = models.CharField("撤销理由", max_length=500, blank=True)
    remark = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "组织处置"
        verbose_name_plural = "组织处置"
        ordering = ["-proposed_on", "-pk"]
        indexes = [
            models.Index(fields=["outcome", "status", "correction_until"], name="disposition_outcome_idx"),
            # The inbox, oldest first: walked in order, not sorted after joining the whole tree.
            models.Index(fields=["status", "stage_since", "id"], name="disposition_inbox_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=list(ACTIVE)),
                name="one_active_disposition_per_case",
            ),
            # 开除党籍 is recorded once per case (a revoked one may be recorded again).
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(outcome=Outcome.EXPEL, status=DispositionStatus.APPROVED),
                name="one_expulsion_per_case",
            ),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.get_outcome_display()}（{self.get_status_display()}）"

    @property
    def scope_organization(self):
        return self.organization

    @property
    def stages(self):
        return stages_for(self.outcome)

    @property
    def is_active(self):
        """In review or returned: the chain still runs (ACTIVE)."""
        return self.status in ACTIVE

    @property
    def is_returned(self):
        return self.status == DispositionStatus.RETURNED

    @property
    def stage(self):
        return BY_KEY.get(self.current_stage)


class Decision(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    RETURN = "return", "退回修改"


class DispositionStep(models.Model):
    disposition = models.ForeignKey(
        Disposition, on_delete=models.PROTECT, related_name="steps", verbose_name="组织处置"
    )
    stage = models.CharField("环节", max_length=24)
    decision = models.CharField("决定", max_length=10, choices=Decision.choices)
    opinion = narrative("意见", BOX)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="盖章党组织"
    )
    decided_on = models.DateField("日期")
    # The post the user acted for when they held the right only as its delegate ("由…代为办理").
    on_behalf_of = models.ForeignKey(
        "lianxin.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代为办理的职务",
    )
    return_to = models.CharField("退回至环节", max_length=24, blank=True)
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    expected = models.PositiveIntegerField("应到会有表决权党员", null=True, blank=True)
    present = models.PositiveIntegerField("实到会有表决权党员", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权", null=True, blank=True)
    history = HistoricalRecords()

    scope_path_field = "disposition__organization__path"

    class Meta:
        verbose_name = "审批环节"
        verbose_name_plural = "审批环节"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.stage_title}：{self.get_decision_display()}"

    @property
    def stage_title(self):
        return BY_KEY[self.stage].title

    @property
    def scope_organization(self):
        return self.disposition.organization
