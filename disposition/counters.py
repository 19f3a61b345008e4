"""The disposition app's counters (lianxin/counters.py): dispositions waiting at each stage of
the chain, and those returned to the branch for changes."""

from django.db.models import Q

from disposition.chain import STAGES
from disposition.models import Disposition, DispositionStatus
from lianxin.counters import register

for stage in STAGES:
    register(
        f"dispositions.waiting.{stage.key}",
        label=f"待办：{stage.title}",
        model=Disposition,
        q=Q(status=DispositionStatus.IN_REVIEW, current_stage=stage.key),
    )
register(
    "dispositions.returned",
    label="退回修改",
    model=Disposition,
    q=Q(status=DispositionStatus.RETURNED),
)
