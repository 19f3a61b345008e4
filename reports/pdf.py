"""PDF renderers (WeasyPrint): the four-copy 全程纪实表 and the 联心卡."""

import base64
import re
from functools import cache

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from disposition.chain import STAGES
from disposition.models import Decision, DispositionStatus
from lianxin.queries import name_as_of
from reports.pdf_copies import join_copies
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


def _render(template, context, fonts):
    return HTML(string=render_to_string(template, context), url_fetcher=_fetcher()).render(font_config=fonts)


def _first_pages(fonts):
    """The margins of each copy's first page: its label only, the same for every record."""
    return _render("reports/record_margins.html", {"copies": COPIES, "first": True}, fonts)


def _record(case, fonts, first_pages):
    """The four copies in one PDF, each copy's pages counted within the copy ("第 1 页 共 2 页").
    The body is laid out once; the copies' labels and running titles come from small documents of
    their margins (reports/pdf_copies.py)."""
    context = record_context(case)
    body = _render("reports/record.html", context, fonts)
    continued = None
    if len(body.pages) > 1:
        continued = _render(
            "reports/record_margins.html", {"copies": COPIES, "member": context["member"]}, fonts
        )
    return join_copies(body, first_pages, continued).write_pdf()


def record_pdf(case) -> bytes:
    fonts = FontConfiguration()
    return _record(case, fonts, _first_pages(fonts))


def record_pdfs(cases):
    """(case, PDF) for each case. The batch shares one font configuration (WeasyPrint loads each
    font once per configuration) and the copies' first-page margins."""
    fonts = FontConfiguration()
    first_pages = _first_pages(fonts)
    for case in cases:
        yield case, _record(case, fonts, first_pages)


@cache
def _fetcher():
    """One URL fetcher for the process, allowed to fetch nothing (the records have no images or
    stylesheets): a new one per document loaded the system's certificates each time."""
    return URLFetcher(allowed_protocols=())


def qr_data_uri(text):
    return (
        "data:image/svg+xml;base64,"
        + base64.b64encode(segno.make(text, error="m").svg_inline(scale=4).encode()).decode()
    )


def card_pdf(branch, posts, checkin_url="") -> bytes:
    """The branch's 联心卡: its contacts, the 微信群 QR and the 报到码 QR (members/codes.py)."""
    html = render_to_string(
        "reports/card.html",
        {
            "branch": branch,
            "posts": posts,
            "qr": qr_data_uri(branch.wechat_group_link) if branch.wechat_group_link else "",
            "code_qr": qr_data_uri(checkin_url) if checkin_url else "",
            "code_label": "党员扫码报到",
        },
    )
    return HTML(string=html).write_pdf()


def member_card_pdf(member, posts, code_url) -> bytes:
    """A member's own 联心卡, handed over at transfer-out: the branch's contacts and the member's
    归队码, through which they report to the branch from anywhere."""
    branch = member.organization
    html = render_to_string(
        "reports/card.html",
        {
            "branch": branch,
            "member": member,
            "posts": posts,
            "qr": qr_data_uri(branch.wechat_group_link) if branch.wechat_group_link else "",
            "code_qr": qr_data_uri(code_url),
            "code_label": "扫码向党支部报告近况",
        },
    )
    return HTML(string=html).write_pdf()
