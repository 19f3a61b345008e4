"""归队码, 报到码 and 成员自报: a member reaches the branch from a phone, without an account.

- `MemberCode` (归队码): one live code per member, printed as a QR on the member's 联心卡 and sent
  by the secretary; `/r/<token>/`. Rotating it stops the old one at once.
- `BranchCode` (报到码): one live code per branch, for posters and the 支部微信群; `/r/b/<token>/`.
- `SelfReport` (成员自报): what a member reported through a code, waiting for the branch to confirm
  it (only then does it count as a contact) or to reject it with a reason.
- `PublicRateCounter`: the public pages' rate limit, shared by every server process.

The tokens are kept as they are, not hashed: the secretary shows and prints a member's code at
any time, so it must be recoverable, and a key to encrypt it would sit on the same server as the
database. What a code opens is small: the chance to name oneself (name and the last four
characters of the 身份证号) and then to send a report that changes nothing until the branch
confirms it. Anyone holding a copy of the database already holds more than that.

Lives beside models.py (imported there) to keep that module short.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lianxin.models import Organization
from lianxin.textlimits import BOX, narrative
from lianxin.validators import validate_phone


class MemberCode(models.Model):
    __module__ = "members.models"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="codes", verbose_name="党员"
    )
    token = models.CharField("归队码", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    revoke_reason = models.CharField("停用原因", max_length=100, blank=True)
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "归队码"
        verbose_name_plural = "归队码"
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_code_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member}的归队码"

    @property
    def scope_organization(self):
        return self.member.organization


class BranchCode(models.Model):
    __module__ = "members.models"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="checkin_codes", verbose_name="党支部"
    )
    token = models.CharField("报到码", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    revoke_reason = models.CharField("停用原因", max_length=100, blank=True)
    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "报到码"
        verbose_name_plural = "报到码"
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_code_per_branch",
            )
        ]

    def __str__(self):
        return f"{self.organization}的报到码"

    @property
    def scope_organization(self):
        return self.organization


class SelfReportStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已驳回"


class SelfReportVia(models.TextChoices):
    MEMBER_CODE = "member_code", "个人归队码"
    BRANCH_CODE = "branch_code", "支部报到码"


class SelfReport(models.Model):
    """成员自报: written by the member on the public page; a fact only once the branch confirms it."""

    __module__ = "members.models"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="self_reports", verbose_name="党员"
    )
    via = models.CharField("报送途径", max_length=12, choices=SelfReportVia.choices)
    received_at = models.DateTimeField("报送时间", default=timezone.now)
    residence = models.CharField("现居住地", max_length=200)
    workplace = models.CharField("现工作单位/学习单位", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, validators=[validate_phone])
    attending = models.CharField("现参加组织生活的党组织", max_length=200, blank=True)
    message = narrative("留言", BOX, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=SelfReportStatus.choices, default=SelfReportStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    reject_reason = models.CharField("驳回理由", max_length=300, blank=True)
    contact_record = models.OneToOneField(
        "members.ContactRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_report",
        verbose_name="联系记录",
    )
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "成员自报"
        verbose_name_plural = "成员自报"
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The 工作台's panel and the list read the few pending reports, oldest first.
            models.Index(
                fields=["received_at"],
                condition=models.Q(status=SelfReportStatus.PENDING),
                name="selfreport_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.member}的成员自报（{self.get_status_display()}）"

    @property
    def scope_organization(self):
        return self.member.organization

    @property
    def is_pending(self):
        return self.status == SelfReportStatus.PENDING

    @property
    def is_confirmed(self):
        return self.status == SelfReportStatus.CONFIRMED


class PublicRateCounter(models.Model):
    """Requests counted per key (a hash of a token or a client address) and fixed time window.

    In the database rather than a per-process cache, so the limit holds across every gunicorn
    worker and server. Holds no fact about anyone: the keys are hashes."""

    __module__ = "members.models"
    bookkeeping = True  # not a domain fact: tests comparing the database before and after ignore it

    key = models.CharField("键", max_length=64)
    window = models.BigIntegerField("时间窗口")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "访问频率计数"
        verbose_name_plural = "访问频率计数"
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_counter_per_window")]
        indexes = [models.Index(fields=["window"], name="ratecounter_window_idx")]

    def __str__(self):
        return f"{self.key[:8]}… {self.count}"
