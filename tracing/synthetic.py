"""The benchmark's cases (lianxin/synthetic.py): one for every lost member, a quarter of them
still open, with three search attempts each. Fast path, no history rows."""

from datetime import datetime, timedelta
from datetime import time as dtime

from django.utils import timezone

from lianxin.synthetic import copy_rows
from members.models import ContactStatus, Member
from tracing.models import AttemptResult, CaseStatus, Channel, LostContactCase, SearchAttempt

STATUSES = [
    s.value for s in (CaseStatus.OPEN, CaseStatus.CONTACTED, CaseStatus.UNREACHABLE, CaseStatus.UNREACHABLE)
]
CHANNELS = [c.value for c in (Channel.PHONE, Channel.RELATIVES, Channel.POLICE)]
CASE_FIELDS = ["member_id", "organization_id", "opened_on", "opened_by_id", "lost_since", "reason"]
CASE_FIELDS += ["status", "closed_on", "findings"]
ATTEMPT_FIELDS = ["case_id", "searched_at", "searcher_id", "searcher_name", "channel", "process"]
ATTEMPT_FIELDS += [
    "witness",
    "result",
    "by_committee",
    "correction_reason",
    "remark",
    "created_at",
    "attachment",
]


def build(ctx):
    today, recorder = ctx.today, ctx.recorder_id
    lost = list(
        Member.objects.filter(contact_status=ContactStatus.LOST)
        .order_by("pk")
        .values_list("pk", "organization_id", "last_contact_on")
    )
    counts = {
        "cases": copy_rows(
            LostContactCase,
            CASE_FIELDS,
            (
                (m, org, today - timedelta(days=90), recorder, last, 1 + i % 6, STATUSES[i % 4])
                + (None if i % 4 == 0 else today - timedelta(days=30), "经多方查找，情况属实。")
                for i, (m, org, last) in enumerate(lost)
            ),
        )
    }
    cases = list(LostContactCase.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    counts["attempts"] = copy_rows(
        SearchAttempt,
        ATTEMPT_FIELDS,
        (
            (pk, timezone.make_aware(datetime.combine(today - timedelta(days=80 - j * 10), dtime(10))))
            + (
                recorder,
                "基准",
                CHANNELS[j],
                "查找过程（基准数据）",
                "证明人",
                AttemptResult.NO_TRACE.value,
                False,
                "",
                "",
                now,
                "",
            )
            for pk in cases
            for j in range(3)
        ),
    )
    return counts
