"""tracing's entries on a member's timeline (members/timeline.py): cases and each search attempt."""

from django.urls import reverse
from django.utils import timezone

from lianxin import access
from members.timeline import Entry, person
from tracing.models import AttemptResult, CaseStatus, LostContactCase, SearchAttempt

CLOSED_TONE = {CaseStatus.CONTACTED: "ok", CaseStatus.UNREACHABLE: "danger", CaseStatus.DECEASED: ""}


def entries(member, user):
    """Two queries: the member's cases, then all their attempts; only what `user` may see."""
    cases = access.scoped(user, access.VIEW, LostContactCase.objects.filter(member=member))
    for case in cases.select_related("opened_by").order_by("opened_on", "pk"):
        url = reverse("tracing:case_detail", args=[case.pk])
        reason = case.get_reason_display() + (f"（{case.reason_remark}）" if case.reason_remark else "")
        yield Entry(
            case.opened_on,
            "失联查找",
            "立案查找",
            f"失去联系情形：{reason}；失联起始日期 {case.lost_since:%Y-%m-%d}",
            url,
            person(case.opened_by),
            tone="danger",
        )
        if case.closed_on:
            yield Entry(
                case.closed_on,
                "失联查找",
                f"查找结束：{case.get_status_display()}",
                case.closing_evidence,
                url,
                tone=CLOSED_TONE.get(case.status, ""),
                late=True,
            )
        if case.second_search_done_on:
            yield Entry(
                case.second_search_done_on,
                "失联查找",
                "党委再次查找完成",
                case.second_search_findings,
                url,
                late=True,
            )
    attempts = access.scoped(user, access.VIEW, SearchAttempt.objects.filter(case__member=member))
    for attempt in attempts.select_related("superseded_by").order_by("searched_at", "pk"):
        corrected = " · 已被更正" if getattr(attempt, "superseded_by", None) else ""
        who = "党委再次查找" if attempt.by_committee else "查找记录"
        yield Entry(
            timezone.localdate(attempt.searched_at),
            "查找记录",
            f"{who}：{attempt.get_channel_display()} · {attempt.get_result_display()}{corrected}",
            attempt.process,
            reverse("tracing:case_detail", args=[attempt.case_id]) + f"#attempt-{attempt.pk}",
            attempt.searcher_name,
            attempt.searched_at,
            "ok" if attempt.result == AttemptResult.CONTACTED else "",
        )
