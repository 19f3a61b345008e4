"""The 全程纪实表 as printed: every page of every copy opened through pdftotext, one page at a time."""

import re
import shutil
import subprocess
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disposition import services as chain
from disposition.outcomes import Outcome
from reports import pdf
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing.models import CaseStatus, Channel, SearchAttempt

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")

TITLE = "失联党员查找处置全程纪实表"


def page_count(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_text(path, number, mode="-layout"):
    return subprocess.run(
        ["pdftotext", mode, "-f", str(number), "-l", str(number), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def repeated_sentences(text):
    """Sentences printed twice on a page: one right after itself ("同意。同意。"), or any sentence of
    six characters or more anywhere twice."""
    flat = re.sub(r"\s+", "", text)
    doubled = [m.group(1) for m in re.finditer(r"(.{2,}?[。；！？])\1", flat)]
    sentences = Counter(s for s in re.findall(r"[^。；！？]+[。；！？]", flat) if len(s) >= 6)
    return doubled + [s for s, n in sentences.items() if n > 1]


def write(tmp_path, content, name="record.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.fixture
def long_case(world, org):
    """A case whose search log runs each copy over more than one page."""
    member = MemberFactory(organization=org("branch_a1"), name="周续页")
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], findings="外出务工，多年未归。")
    start = timezone.make_aware(datetime(2026, 6, 2, 9, 0))
    for n in range(14):
        SearchAttempt.objects.create(
            case=case,
            searched_at=start + timedelta(days=n),
            searcher=world.users["branch_a1"],
            searcher_name="刘桂兰",
            channel=Channel.PHONE,
            process=f"第{n + 1}次拨打本人预留手机号码，提示为空号，向其亲友打听亦无音讯。",
            witness="张明",
            result="no_trace",
        )
    return case


def test_every_page_of_every_copy_carries_its_label_and_counts_within_the_copy(
    long_case, client_for, tmp_path
):
    path = write(
        tmp_path, client_for("county").get(reverse("reports:record_pdf", args=[long_case.pk])).content
    )
    total = page_count(path)
    assert total % len(pdf.COPIES) == 0
    per_copy = total // len(pdf.COPIES)
    assert per_copy >= 2  # the fixture's log is long enough to need continuation pages
    for number in range(1, total + 1):
        copy, within = divmod(number - 1, per_copy)
        page = lines(page_text(path, number))
        header, footer = page[0], re.sub(r"\s+", "", page[-1])
        assert header.endswith(pdf.COPIES[copy]), (number, header)
        assert footer == f"第{within + 1}页共{per_copy}页", (number, footer)
        if within == 0:
            assert "（续）" not in header and page[1] == TITLE
        else:
            assert re.sub(r"\s+", "", header).startswith(f"{TITLE}（续）姓名：周续页"), (number, header)
        assert not repeated_sentences(page_text(path, number, "-raw")), number


def test_a_decision_and_its_opinion_are_each_printed_once(world, org, client_for, tmp_path):
    member = MemberFactory(organization=org("branch_a1"), name="吴重复")
    case = CaseFactory(
        member=member, opened_by=world.users["branch_a1"], status=CaseStatus.UNREACHABLE, closed_on=None
    )
    d = chain.disposition_propose(
        case=case, outcome=Outcome.SUSPEND_UNREACHABLE, proposal="x", acting_user=branch_officer()
    )
    chain.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="同意。",
        acting_user=world.users["branch_a1"],
        meeting={"meeting_date": timezone.localdate()},
    )
    chain.step_decide(
        disposition=d,
        stage="committee_pre",
        decision="agree",
        opinion="拟给予停止党籍处置。",
        acting_user=world.users["committee_a"],
    )
    path = write(tmp_path, client_for("county").get(reverse("reports:record_pdf", args=[case.pk])).content)
    first_page = re.sub(r"\s+", "", page_text(path, 1, "-raw"))
    assert "同意。同意。" not in first_page
    assert "同意。拟给予停止党籍处置。" in first_page  # an opinion without the decision gets it first
    assert first_page.count("同意。") == 2  # once for each step


def test_no_sentence_is_repeated_on_any_page_of_the_demo_records(db, tmp_path):
    from lianxin.demo import seed
    from tracing.models import LostContactCase

    seed()
    # One record for each shape the chain takes in the demo (stages decided, a return, 恢复党籍,
    # 开除党籍, two dispositions of one case …): the same text printed for twenty cases adds nothing.
    shapes = {}
    for case in LostContactCase.objects.filter(dispositions__isnull=False).distinct().order_by("pk"):
        shape = tuple(
            case.dispositions.values_list("steps__stage", "steps__decision").order_by("pk", "steps__pk")
        )
        shapes.setdefault(shape, case)
    assert len(shapes) >= 5
    for case in shapes.values():
        path = write(tmp_path, pdf.record_pdf(case), f"{case.pk}.pdf")
        for number in range(1, page_count(path) + 1):
            assert not repeated_sentences(page_text(path, number, "-raw")), (case.pk, number)
