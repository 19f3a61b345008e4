"""谈心谈话 (the 三必谈), kept apart from members/models.py to keep each module small."""

from django.db import models
from simple_history.models import HistoricalRecords


class Talk(models.Model):
    """谈心谈话 of the 三必谈: before a member leaves (Shaanxi 5, Fuzhou 8 "行前"), after they come
    back (Shaanxi 10, Fuzhou 8 "回归"), and when they are in difficulty."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", "外出前谈话"
        RETURN = "return", "返回后谈话"
        DIFFICULTY = "difficulty", "困难时谈话"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="talks", verbose_name="党员"
    )
    absence = models.ForeignKey(
        "members.Absence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name="外出登记",
    )
    kind = models.CharField("谈话类别", max_length=10, choices=Kind.choices)
    on = models.DateField("谈话日期")
    talker = models.CharField("谈话人", max_length=50)
    record = models.TextField("谈话记录")
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    history = HistoricalRecords()

    scope_path_field = "member__organization__path"

    class Meta:
        verbose_name = "谈心谈话"
        verbose_name_plural = "谈心谈话"
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"

    @property
    def scope_organization(self):
        return self.member.organization
