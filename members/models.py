"""党员 records: contact status derived by members/services.py; 党籍 changed only by the chain."""

from django.db import models
from simple_history.models import HistoricalRecords

from lianxin.fixtures import integer_choices
from lianxin.models import Organization
from lianxin.textlimits import NOTE, narrative
from lianxin.validators import validate_no_formula_start, validate_phone


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class MembershipType(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


# 职业 codes of the 名册 and the 登记表: fixtures/codes/occupations.json.
Occupation = integer_choices("occupations", "Occupation", __name__)


class ContactStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    WARNING = "warning", "预警"
    OUT_OF_CONTROL = "out_of_control", "失控"
    LOST = "lost", "失联"


class PartyStatus(models.TextChoices):
    """党籍 status: changed only by the disposition chain (or 开除党籍 recorded from 纪委)."""

    NORMAL = "normal", "正常"
    CORRECTION = "correction", "限期改正"
    SUSPENDED = "suspended", "停止党籍"
    PERSUADED_OUT = "persuaded_out", "劝退"
    REMOVED = "removed", "除名"
    NOT_RECOGNIZED = "not_recognized", "不予承认党员资格"
    PROBATION_CANCELLED = "probation_cancelled", "取消预备党员资格"
    EXPELLED = "expelled", "开除党籍"
    DECEASED = "deceased", "死亡"
    TRANSFERRED_OUT = "transferred_out", "已转出"


class KeyGroup(models.IntegerChoices):
    """重点群体 (Fuzhou measure 5): members watched more closely."""

    NONE = 0, "无"
    MIGRANT = 1, "外出务工经商人员"
    LIVING_ELSEWHERE = 2, "异地居住人员"
    MOBILE_YOUTH = 3, "流动性强的年轻党员"
    RETIRED_SEPARATED = 4, "人户分离离退休人员"
    GRADUATE_AT_UNIVERSITY = 5, "组织关系在高校的毕业生"
    RESTRUCTURED_ENTERPRISE = 6, "破产改制企业党员"
    TALENT_CENTRE = 7, "挂靠人才服务中心党员"


class Member(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name="所在党支部"
    )
    name = models.CharField("姓名", max_length=50, db_index=True, validators=[validate_no_formula_start])
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生年月")
    joined_on = models.DateField("入党时间")
    membership_type = models.CharField(
        "党员类型", max_length=20, choices=MembershipType.choices, default=MembershipType.FULL
    )
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField(
        "联系电话", max_length=30, blank=True, db_index=True, validators=[validate_phone]
    )
    wechat = models.CharField("微信号", max_length=60, blank=True)
    residence = models.CharField("居住地", max_length=200, blank=True)
    workplace = models.CharField("工作单位/学习单位", max_length=200, blank=True)
    occupation = models.PositiveSmallIntegerField(
        "职业", choices=Occupation.choices, default=Occupation.OTHER
    )

    key_group = models.PositiveSmallIntegerField(
        "重点群体", choices=KeyGroup.choices, default=KeyGroup.NONE, db_index=True
    )
    liaison = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_members",
        verbose_name="包干联系人",
        help_text="负责联系该党员的支部委员",
    )
    flow_card_number = models.CharField("流动党员活动证编号", max_length=40, blank=True)
    remark = models.CharField("备注", max_length=500, blank=True)

    # Derived, maintained by members/services.py; indexed (with party_status) for the warning lists.
    last_contact_on = models.DateField("最近联系日期", null=True, blank=True)
    contact_status = models.CharField(
        "联系状态", max_length=20, choices=ContactStatus.choices, default=ContactStatus.NORMAL, db_index=True
    )
    party_status = models.CharField(
        "党籍状态", max_length=24, choices=PartyStatus.choices, default=PartyStatus.NORMAL, db_index=True
    )
    party_status_since = models.DateField("党籍状态日期", null=True, blank=True)
    # Set when a roll-call marks the member "not reachable"; cleared by the next contact.
    unreachable_since = models.DateField("联系不上起始日期", null=True, blank=True)

    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        indexes = [
            models.Index(fields=["organization", "contact_status"]),
            models.Index(fields=["organization", "last_contact_on"]),
            # The 工作台 counts a province's lost and nearly-lost members by an index-only scan.
            models.Index(
                fields=["last_contact_on", "party_status"], include=["id"], name="member_last_contact_idx"
            ),
            models.Index(
                fields=["contact_status", "last_contact_on", "id"], name="member_status_contact_idx"
            ),
            models.Index(
                fields=["unreachable_since"],
                condition=models.Q(unreachable_since__isnull=False),
                name="member_unreachable_idx",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_organization(self):
        return self.organization

    @property
    def is_probationary(self):
        return self.membership_type == MembershipType.PROBATIONARY


class Contact(models.Model):
    """备用联系人 and family members / relatives, each with relation, phone, address."""

    class Kind(models.TextChoices):
        BACKUP = "backup", "备用联系人"
        FAMILY = "family", "家庭成员"
        RELATIVE = "relative", "亲属"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="contacts", verbose_name="党员")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.BACKUP)
    name = models.CharField("姓名", max_length=50, validators=[validate_no_formula_start])
    relation = models.CharField("关系", max_length=30)
    phone = models.CharField("联系电话", max_length=30, validators=[validate_phone])
    address = models.CharField("住址", max_length=200, blank=True)
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"

    def __str__(self):
        return f"{self.name}（{self.relation}）"

    @property
    def scope_organization(self):
        return self.member.organization


class ActivityKind(models.TextChoices):
    MEETINGS = "sanhui", "三会一课"
    PARTY_DAY = "party_day", "主题党日"
    LIFE_MEETING = "life_meeting", "组织生活会"
    EVALUATION = "evaluation", "民主评议党员"
    OTHER = "other", "其他"


class Activity(models.Model):
    """An organizational-life activity of a branch, with every member's attendance."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="activities", verbose_name="党支部"
    )
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("活动主题", max_length=200)
    held_on = models.DateField("活动日期", db_index=True)
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "组织生活"
        verbose_name_plural = "组织生活"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}：{self.title}"

    @property
    def scope_organization(self):
        return self.organization


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "参加"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"
    UNREACHABLE = "unreachable", "联系不上"


class Attendance(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="attendance", verbose_name="组织生活"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="attendance", verbose_name="党员"
    )
    status = models.CharField("出席情况", max_length=12, choices=AttendanceStatus.choices)
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="one_attendance_per_member")
        ]

    def __str__(self):
        return f"{self.member.name} {self.get_status_display()}"

    @property
    def scope_organization(self):
        return self.member.organization


class DuesPayment(models.Model):
    """党费 payment for one month."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues", verbose_name="党员")
    month = models.DateField("所属月份", help_text="该月1日")
    amount = models.DecimalField("金额（元）", max_digits=9, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "党费交纳"
        verbose_name_plural = "党费交纳"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="one_payment_per_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.amount}"

    @property
    def scope_organization(self):
        return self.member.organization


class AbsenceKind(models.TextChoices):
    AWAY = "away", "外出"
    ABROAD = "abroad", "出国（境）"
    GRADUATE = "graduate", "毕业生（组织关系在高校）"


class Absence(models.Model):
    """A member away from the branch: 外出, 出国（境）, or a graduate whose relation stays at the university."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="absences", verbose_name="党员")
    kind = models.CharField("类别", max_length=10, choices=AbsenceKind.choices, default=AbsenceKind.AWAY)
    left_on = models.DateField("外出日期")
    expected_return = models.DateField("预计返回日期", null=True, blank=True)
    destination = models.CharField("去向（地点、单位）", max_length=200)
    reported = models.BooleanField("已向党支部报告", default=False)
    contact_person = models.CharField("指定联系人", max_length=100, blank=True)
    country = models.CharField("前往国家（地区）", max_length=60, blank=True)
    purpose = models.CharField("出国（境）事由", max_length=200, blank=True)
    keeps_relation = models.BooleanField("保留组织关系", default=True)
    returned_on = models.DateField("返回日期", null=True, blank=True)
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "外出登记"
        verbose_name_plural = "外出登记"
        ordering = ["-left_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.destination}"

    @property
    def scope_organization(self):
        return self.member.organization


class Transfer(models.Model):
    """组织关系转接. 转出 records the 四个清楚, the talk, the 承诺书, the 联心卡 and the 介绍信, and is
    followed until its 回执 comes back ("不落实、不放手"); 转入 records the welcome talk."""

    class Direction(models.TextChoices):
        OUT = "out", "转出"
        IN = "in", "转入"

    class Nature(models.TextChoices):
        PERMANENT = "permanent", "永久转出"
        TEMPORARY = "temporary", "临时转出"

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="transfers", verbose_name="党员"
    )
    direction = models.CharField("转接方向", max_length=3, choices=Direction.choices)
    nature = models.CharField("关系变化性质", max_length=10, choices=Nature.choices, blank=True)
    phone = models.CharField("手机", max_length=30, blank=True, validators=[validate_phone])
    wechat = models.CharField("微信号", max_length=60, blank=True)
    destination = models.CharField("组织关系去向（工作、学习、生活地点）", max_length=200, blank=True)
    backup_contact = models.CharField("备用联系人", max_length=100, blank=True)
    other_organization = models.CharField("接收（转出）党组织", max_length=200)
    talk_on = models.DateField("谈心谈话日期")
    talk_record = narrative("谈心谈话记录", NOTE)
    pledge_signed_on = models.DateField("承诺书签订日期", null=True, blank=True)
    card_handed_on = models.DateField("联心卡发放日期", null=True, blank=True)
    letter_number = models.CharField("介绍信编号", max_length=60, blank=True)
    letter_issued_on = models.DateField("介绍信开具日期", null=True, blank=True)
    letter_valid_until = models.DateField("介绍信有效期至", null=True, blank=True)
    receipt_received_on = models.DateField("回执收到日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="经办人"
    )
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-talk_on", "-pk"]

    def __str__(self):
        return f"{self.get_direction_display()} {self.other_organization}"

    @property
    def scope_organization(self):
        return self.member.organization

    @property
    def receipt_outstanding(self):
        return self.direction == self.Direction.OUT and self.receipt_received_on is None

    @property
    def is_incoming(self):
        return self.direction == self.Direction.IN

    @property
    def is_outgoing(self):
        return self.direction == self.Direction.OUT


class TransferFollowUp(models.Model):
    """A dated follow-up of an outstanding 回执."""

    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="转接"
    )
    on = models.DateField("日期")
    note = models.CharField("跟踪情况", max_length=500)
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="经办人"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "回执跟踪"
        verbose_name_plural = "回执跟踪"
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on} {self.note}"


from members.contact_log import *  # noqa: E402,F401,F403  (联系记录 lives beside this module)
from members.importing.models import *  # noqa: E402,F401,F403  (the import batch models live with the importer)
from members.selfreport_models import *  # noqa: E402,F401,F403  (归队码, 报到码, 成员自报)
from members.talks import Talk  # noqa: E402,F401  (the 三必谈 talks live in their own module)
