"""PDF renderers (WeasyPrint): the four-copy 全程纪实表 and the 联心卡."""

import base64
import re

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from disposition.chain import STAGES
from disposition.models import Decision, DispositionStatus
from lianxin.queries import name_as_of
from tracing.periods import case_lost_period

COPIES = ("党支部存档", "基层党委存档", "县委组织部存档", "失联党员查找处置档案")
MIN_LOG_ROWS = 5


def record_context(case):
    """Everything the 全程纪实表 shows for a case, in the form's order."""
    member = case.member
    attempts = list(case.attempts.filter(superseded_by__isnull=True).order_by("searched_at", "pk"))
    blank_rows = range(max(0, MIN_LOG_ROWS - len(attempts)))
    disposition = (
        case.dispositions.exclude(status=DispositionStatus.WITHDRAWN)
        .order_by("-pk")
        .prefetch_related("steps")
        .first()
    )
    sections = []
    applicable = {s.key for s in disposition.stages} if disposition else set()
    steps = {}
    if disposition:
        for step in disposition.steps.select_related("organization").order_by("pk"):
            if step.decision != Decision.RETURN:
                steps[step.stage] = step  # the last valid decision of each stage
    for stage in STAGES:
        step = steps.get(stage.key)
        sections.append(
            {
                "stage": stage,
                "step": step,
                "text": step_text(step) if step else "",
                # The seal carries the organization's name of the day of the step, not today's.
                "seal_name": name_as_of(step.organization, step.decided_on) if step else "",
                "applies": not applicable or stage.key in applicable,
            }
        )
    today = timezone.localdate()
    return {
        "case": case,
        "member": member,
        "unit": name_as_of(case.organization, case.closed_on or today),
        "duration": case_lost_period(case, today).text,
        "attempts": attempts,
        "blank_rows": blank_rows,
        "log_rowspan": len(attempts) + len(blank_rows) + 1,
        "disposition": disposition,
        "sections": sections,
    }


def step_text(step):
    """The decision and the opinion, each said once: an opinion that already states the decision
    ("同意。", "经研究，同意…", "不同意，…") is printed as written, else the decision leads it."""
    label, opinion = step.get_decision_display(), step.opinion.strip()
    if re.search(rf"(?<!不){re.escape(label)}", opinion):  # 同意 inside 不同意 is not agreement
        return opinion
    return f"{label}。{opinion}"


def record_pdf(case) -> bytes:
    """The four copies, each laid out as its own document so that its pages count within the
    copy ("第 1 页 共 2 页"), then joined into one PDF. The four share one font configuration
    (the joined PDF embeds each font once) and one URL fetcher (each new one loads the system's
    certificates: a fifth of the time of a copy)."""
    context = record_context(case)
    fonts, fetcher = FontConfiguration(), URLFetcher()
    documents = [
        HTML(
            string=render_to_string("reports/record.html", {**context, "copy": copy}), url_fetcher=fetcher
        ).render(font_config=fonts)
        for copy in COPIES
    ]
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()


def qr_data_uri(text):
    return (
        "data:image/svg+xml;base64,"
        + base64.b64encode(segno.make(text, error="m").svg_inline(scale=4).encode()).decode()
    )


def card_pdf(branch, posts) -> bytes:
    html = render_to_string(
        "reports/card.html",
        {
            "branch": branch,
            "posts": posts,
            "qr": qr_data_uri(branch.wechat_group_link) if branch.wechat_group_link else "",
        },
    )
    return HTML(string=html).write_pdf()
