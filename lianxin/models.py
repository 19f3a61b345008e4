"""The organization tree, the posts users hold in it, and the object permissions on its nodes."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from lianxin import perms
from lianxin.fixtures import integer_choices


class OrgKind(models.TextChoices):
    DEPARTMENT = "department", "党委组织部门"
    WORK_COMMITTEE = "work_committee", "党（工）委"
    COMMITTEE = "committee", "基层党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


# 党组织类别, the codes of the 名册 and the 登记表: fixtures/codes/org_categories.json.
OrgCategory = integer_choices("org_categories", "OrgCategory", __name__)


# The tier that acts at each stage of the chain, derived from the kind.
TIER_BRANCH = "branch"
TIER_COMMITTEE = "committee"
TIER_DEPARTMENT = "department"
TIER_LABELS = {TIER_BRANCH: "党支部", TIER_COMMITTEE: "党委", TIER_DEPARTMENT: "党委组织部门"}
KIND_TIER = {
    OrgKind.BRANCH: TIER_BRANCH,
    OrgKind.GENERAL_BRANCH: TIER_COMMITTEE,
    OrgKind.COMMITTEE: TIER_COMMITTEE,
    OrgKind.WORK_COMMITTEE: TIER_COMMITTEE,
    OrgKind.DEPARTMENT: TIER_DEPARTMENT,
}

# Permissions on Organization nodes (lianxin/perms.py); a grant covers the node's whole subtree.
SCOPE_PERMISSIONS = perms.SCOPE_PERMISSIONS


class Organization(MP_Node):
    name = models.CharField("党组织名称", max_length=200)
    code = models.CharField("组织代码", max_length=40, unique=True)
    kind = models.CharField("组织类型", max_length=20, choices=OrgKind.choices)
    category = models.PositiveSmallIntegerField(
        "党组织类别", choices=OrgCategory.choices, default=OrgCategory.OTHER
    )
    approves_probationary = models.BooleanField(
        "预备党员审批权限",
        default=False,
        help_text="有审批权限的基层党委审批；无审批权限的党总支只报送上级。",
    )
    online_address = models.CharField("网上支部地址", max_length=200, blank=True)
    wechat_group_link = models.CharField("支部微信群链接", max_length=300, blank=True)
    phone = models.CharField("联络电话", max_length=40, blank=True)
    is_active = models.BooleanField("有效", default=True)

    history = HistoricalRecords(excluded_fields=["numchild"])

    # Children are appended, never re-sorted: paths stay stable once given.
    # Scope of an Organization row is the row itself.
    scope_path_field = "path"

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        permissions = SCOPE_PERMISSIONS
        indexes = [
            # access.covers_whole_tree reads the roots of the tree; list filters read one level.
            models.Index(fields=["depth"], name="organization_depth_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def tier(self):
        return KIND_TIER[self.kind]

    @property
    def tier_label(self):
        return TIER_LABELS[self.tier]

    @property
    def is_branch(self):
        return self.kind == OrgKind.BRANCH

    @property
    def scope_organization(self):
        return self

    def ancestor_paths(self):
        """Paths of this node and all its ancestors, root first (no query)."""
        step = self.steplen
        return [self.path[:i] for i in range(step, len(self.path) + 1, step)]

    def chain(self):
        """This node and its ancestors, root first, in one query."""
        return list(Organization.objects.filter(path__in=self.ancestor_paths()).order_by("depth"))


class OrganizationUserPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "用户组织权限"
        verbose_name_plural = "用户组织权限"


class OrganizationGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "用户组组织权限"
        verbose_name_plural = "用户组组织权限"


class Role(models.TextChoices):
    """What a post may do; the permissions of each role are in lianxin/posts.py."""

    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    BRANCH_COMMITTEE = "branch_committee", "支部委员"
    COMMITTEE_REVIEWER = "committee_reviewer", "党委审核人"
    DEPARTMENT_APPROVER = "department_approver", "组织部门审批人"
    OBSERVER = "observer", "只读查看"


class Post(models.Model):
    """A user's post at an organization (书记, 组织委员, 审批人 …); grants follow the post."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts", verbose_name="用户"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="posts", verbose_name="党组织"
    )
    title = models.CharField("职务", max_length=40, help_text="如：书记、副书记、组织委员、审批人")
    role = models.CharField("权限角色", max_length=30, choices=Role.choices)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    wechat = models.CharField("微信号", max_length=60, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "职务"
        verbose_name_plural = "职务"
        indexes = [models.Index(fields=["organization", "ended_on"])]

    def __str__(self):
        return f"{self.organization} {self.title} {self.user.get_full_name() or self.user.get_username()}"

    @property
    def is_active(self):
        return self.ended_on is None

    @property
    def scope_organization(self):
        return self.organization


class Delegation(models.Model):
    """代办委托: for a period (出差, 病假) another user does a post's work. The delegate holds the
    post's rights for the period (lianxin/posts.py), and what they record shows "由…代为办理"."""

    class Reason(models.TextChoices):
        TRAVEL = "travel", "出差"
        SICK = "sick", "病假"
        OTHER = "other", "其他"

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="delegations", verbose_name="职务")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations", verbose_name="代办人"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", help_text="含当日")
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="委托人"
    )
    history = HistoricalRecords()

    scope_path_field = "post__organization__path"

    class Meta:
        verbose_name = "代办委托"
        verbose_name_plural = "代办委托"
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["delegate", "ends_on"]), models.Index(fields=["post", "ends_on"])]

    def __str__(self):
        return f"{self.post.organization} {self.post.title}：由{self.delegate.get_full_name() or self.delegate}代为办理"

    @property
    def scope_organization(self):
        return self.post.organization


class DigestLog(models.Model):
    """One day's digest to one user: what it listed, so the next one says only what is new and a
    second run the same day sends nothing again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="接收人"
    )
    day = models.DateField("日期")
    item_keys = models.JSONField("事项", default=list)
    overdue = models.PositiveIntegerField("超期", default=0)
    new = models.PositiveIntegerField("新增", default=0)
    channels = models.CharField("发送渠道", max_length=100, blank=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "每日提醒记录"
        verbose_name_plural = "每日提醒记录"
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")]

    def __str__(self):
        return f"{self.day} {self.user}"


class DailyRun(models.Model):
    """One daily job on one day (lianxin/daily.py): its attempts, and how the last one ended."""

    class Status(models.TextChoices):
        WAITING = "waiting", "等待"
        RUNNING = "running", "运行中"
        RETRYING = "retrying", "失败，等待重试"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"

    day = models.DateField("日期")
    name = models.CharField("任务", max_length=60)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "每日任务"
        verbose_name_plural = "每日任务"
        ordering = ["-day", "name"]
        constraints = [models.UniqueConstraint(fields=["day", "name"], name="one_daily_run_per_job_and_day")]

    def __str__(self):
        return f"{self.day} {self.name}（{self.get_status_display()}）"


class Disclosure(models.Model):
    """A full personal number shown or exported: who saw whose, when, and why.

    Append-only; listed for the user's own organization and the levels above (scope)."""

    class Kind(models.TextChoices):
        REVEAL = "reveal", "查看完整信息"
        EXPORT = "export", "导出含完整信息的文件"
        NUMBER_SEARCH = "search", "按号码查询"
        ATTACHMENT = "attachment", "下载附件"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    # The organization the subject belongs to: who above may see this record.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="党组织"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    subject = models.CharField("对象", max_length=200, help_text="党员姓名或导出的文件")
    subject_key = models.CharField("对象标识", max_length=100, blank=True)
    fields = models.CharField("信息项", max_length=200)
    count = models.PositiveIntegerField("人数", default=1)

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_kind_display()} {self.subject}"

    @property
    def scope_organization(self):
        return self.organization


class OrgCounter(models.Model):
    """How many rows of a kind an organization's whole subtree holds (lianxin/counters.py).

    Derived data, kept by the writers in their transaction and recounted from the rows at any
    time (`manage.py recount`): no simple-history, zeros not stored."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="党组织"
    )
    key = models.CharField("计数项", max_length=60)
    value = models.IntegerField("数量", default=0)

    class Meta:
        verbose_name = "计数"
        verbose_name_plural = "计数"
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="one_counter_per_key")]

    def __str__(self):
        return f"{self.organization_id} {self.key}={self.value}"


class TodoSnapshot(models.Model):
    """A large scope's 待办 cards and watch panels as the worker last computed them
    (lianxin/todo_snapshot.py).

    Derived data, recomputed from the overdue rules at any time: no simple-history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="用户",
    )
    day = models.DateField("统计日期", null=True)
    computed_at = models.DateTimeField("统计时间", null=True)
    counts = models.JSONField("各栏数量", default=dict)
    first = models.JSONField("前几条", default=list)
    panels = models.JSONField("动态卡片", null=True)
    refreshing_since = models.DateTimeField("开始统计", null=True)

    class Meta:
        verbose_name = "工作台快照"
        verbose_name_plural = "工作台快照"

    def __str__(self):
        return f"{self.user_id} {self.computed_at}"


from lianxin.jobs.models import Job, JobStatus  # noqa: E402,F401  (long work lives in lianxin/jobs/)
