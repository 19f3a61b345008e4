"""党员 records. Contact status and last contact date are derived by members/services.py,
never typed by hand; 党籍 status changes only through the disposition chain."""

from django.db import models
from simple_history.models import HistoricalRecords

from lianxin.models import Organization


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class MembershipType(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class Occupation(models.IntegerChoices):
    """职业 codes of the 名册 and the 登记表."""

    STATE_ENTERPRISE_LEFT = 1, "国有企业解除劳动关系人员"
    PRIVATE_ENTERPRISE_LEFT = 2, "非公有制企业离职人员"
    RURAL_MIGRANT = 3, "农村外出务工经商人员"
    RETIRED_OFFICIAL = 4, "党（政）机关事业单位离退休人员"
    GRADUATE = 5, "高校毕业生"
    COMMUNITY_SEPARATED = 6, "街道社区人户分离人员"
    TALENT_CENTRE = 7, "组织关系在人才中心人员"
    OTHER = 8, "其他"


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


class Member(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name="所在党支部"
    )
    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生年月")
    joined_on = models.DateField("入党时间")
    membership_type = models.CharField(
        "党员类型", max_length=20, choices=MembershipType.choices, default=MembershipType.FULL
    )
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("联系电话", max_length=30, blank=True, db_index=True)
    wechat = models.CharField("微信号", max_length=60, blank=True)
    residence = models.CharField("居住地", max_length=200, blank=True)
    workplace = models.CharField("工作单位/学习单位", max_length=200, blank=True)
    occupation = models.PositiveSmallIntegerField(
        "职业", choices=Occupation.choices, default=Occupation.OTHER
    )

    # Derived, maintained by members/services.py; indexed for the warning lists.
    last_contact_on = models.DateField("最近联系日期", null=True, blank=True, db_index=True)
    contact_status = models.CharField(
        "联系状态", max_length=20, choices=ContactStatus.choices, default=ContactStatus.NORMAL, db_index=True
    )
    party_status = models.CharField(
        "党籍状态", max_length=24, choices=PartyStatus.choices, default=PartyStatus.NORMAL, db_index=True
    )
    party_status_since = models.DateField("党籍状态日期", null=True, blank=True)

    history = HistoricalRecords()

    scope_path_field = "organization__path"

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        indexes = [
            models.Index(fields=["organization", "contact_status"]),
            models.Index(fields=["organization", "last_contact_on"]),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_organization(self):
        return self.organization

    @property
    def is_probationary(self):
        return self.membership_type == MembershipType.PROBATIONARY
