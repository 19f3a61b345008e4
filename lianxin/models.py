"""The organization tree, the posts users hold in it, and the object permissions on its nodes."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node


class OrgKind(models.TextChoices):
    DEPARTMENT = "department", "党委组织部门"
    WORK_COMMITTEE = "work_committee", "党（工）委"
    COMMITTEE = "committee", "基层党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


class OrgCategory(models.IntegerChoices):
    """党组织类别, the codes of the 名册 and the 登记表."""

    STATE_ENTERPRISE = 1, "国有企业"
    PRIVATE_ENTERPRISE = 2, "非公有制企业"
    RURAL = 3, "农村"
    GOVERNMENT = 4, "党政机关"
    SCHOOL = 5, "学校"
    PUBLIC_INSTITUTION = 6, "其他事业单位"
    COMMUNITY = 7, "街道社区"
    SOCIAL_ORGANIZATION = 8, "社会组织"
    OTHER = 9, "其他"


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

# Permissions on Organization nodes; a grant covers the node's whole subtree.
SCOPE_PERMISSIONS = [
    ("view_scope", "查看本组织及下级"),
    ("manage_members", "管理党员信息"),
    ("log_search", "记录查找情况"),
    ("decide_branch", "党支部处置环节"),
    ("review_committee", "党委预审与审核"),
    ("approve_department", "组织部门预审与审批"),
    ("export_reports", "导出报表"),
]


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


from lianxin.jobs.models import Job, JobStatus  # noqa: E402,F401  (long work lives in lianxin/jobs/)
