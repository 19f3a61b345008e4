"""Limits on free text, fitted to the paper forms, and the model-level guard that enforces every limit.

The 全程纪实表 is one A4 page per copy at 10.5 pt: a row of the search log (查找过程) holds a few
hundred characters, a box such as 失联党员表现调查核实情况 or a stage's 意见 about a thousand (half a
page). A 2.4 MB 调查核实情况 took 21 s to print; these limits keep every copy a page or two.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

LOG_ROW = 500  # one row of 党组织查找情况记录: 查找过程
BOX = 1000  # one box of the 全程纪实表: 调查核实情况, 处置意见, each stage's 意见
NOTE = 2000  # narratives kept with the case but not printed in a box: 结案依据, 再次查找情况, 谈话记录, 协查


def narrative(verbose_name, limit, **kwargs):
    """A TextField with a length limit that forms (max_length) and full_clean (validator) enforce."""
    return models.TextField(verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


def refuse_overlong_text(sender, instance, raw=False, **kwargs):
    """pre_save, for every model: a str longer than its field's max_length is refused, whatever path
    writes it (PostgreSQL would answer a varchar overflow with an error, SQLite would keep it, and a
    TextField has no limit in the database at all)."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        value = getattr(instance, field.attname, None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ValidationError(
                {field.name: f"{field.verbose_name}不能超过 {limit} 字（现有 {len(value)} 字）。"}
            )
