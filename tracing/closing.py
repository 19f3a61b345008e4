"""结案条件: what an open case needs before each way of closing it, as the close service checks it.

Shown on the case page and on the close form, so the user sees what is missing — with a link to
where it is filled — before pressing the button. The rules themselves stay in
tracing/services.py `case_close`; this reads the same facts.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from tracing.models import AttemptResult, Channel
from tracing.services import min_channels


@dataclass
class Condition:
    label: str
    met: bool
    detail: str
    fix_url: str = ""
    fix_label: str = ""


def close_conditions(case, attempts, *, can_fill):
    """The conditions of the open `case`, given its attempts (all of them, superseded ones too).
    `can_fill`: the user may fill what is missing (links are shown only then)."""
    superseded = {a.supersedes_id for a in attempts if a.supersedes_id}
    effective = [a for a in attempts if a.pk not in superseded and not a.by_committee]
    tried = sorted({a.channel for a in effective})
    need = min_channels()
    edit_url = reverse("tracing:case_edit", args=[case.pk]) if can_fill else ""
    attempt_url = reverse("tracing:attempt_add", args=[case.pk]) if can_fill else ""
    if effective:
        first, last = (timezone.localtime(a.searched_at) for a in (effective[0], effective[-1]))
        dates = f"首次 {first:%Y-%m-%d}，最近 {last:%Y-%m-%d}"
    else:
        dates = "尚未登记"
    return [
        Condition(
            "查找记录",
            bool(effective),
            f"{len(effective)} 次（{dates}）",
            attempt_url,
            "登记一次查找",
        ),
        Condition(
            f"至少 {need} 种不同查找渠道",
            len(tried) >= need,
            f"已用 {len(tried)} 种：{'、'.join(Channel(c).label for c in tried) or '无'}",
            attempt_url,
            "用其他渠道查找并登记",
        ),
        Condition(
            "失联党员表现调查核实情况",
            bool(case.findings.strip()),
            "已填写" if case.findings.strip() else "尚未填写",
            edit_url,
            "填写调查核实情况",
        ),
        Condition(
            "查找结束日期",
            True,
            f"应在立案日期（{case.opened_on:%Y-%m-%d}）与今天之间",
        ),
    ]


def contacted_attempt(attempts):
    """The latest effective attempt that reached the member, if any (the case can close as 已取得联系)."""
    superseded = {a.supersedes_id for a in attempts if a.supersedes_id}
    found = [a for a in attempts if a.pk not in superseded and a.result == AttemptResult.CONTACTED]
    return found[-1] if found else None
