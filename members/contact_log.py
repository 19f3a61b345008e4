"""联系记录: each contact the branch records with a member (a call, a visit, a message, a reply).

Kept as a fact of its own, with history; the member's last contact date and status derive
from it (members/services.py). Lives beside models.py to keep that module short.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ContactKind(models.TextChoices):
    PHONE = "phone", "电话"
    VISIT = "visit", "上门走访"
    MESSAGE = "message", "微信/短信"
    REPLY = "reply", "本人回复/来访"
    OTHER = "other", "其他"


class ContactRecord(models.Model):
    # Part of members.models (imported there): its history model is then found there too.
    __module__ = "members.models"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="contact_records", verbose_name="党员"
    )
    on = models.DateField("联系日期")
    kind = models.CharField("联系方式", max_length=10, choices=ContactKind.choices)
    note = models.CharField("联系情况", max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"

    @property
    def scope_organization(self):
        return self.member.organization
