"""A batch of 全程纪实表 (the 批量导出 zip job's renderer): each case's PDF has its own copies, labels,
running title and page numbers, and prints exactly as the same case rendered alone."""

import re
import shutil
import subprocess
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from reports import pdf
from tests.factories import CaseFactory, MemberFactory
from tests.reports.test_record_pages import TITLE, lines, page_count
from tracing.models import Channel, SearchAttempt

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils not installed"
)


def case_with_log(world, org, name, attempts):
    member = MemberFactory(organization=org("branch_a1"), name=name)
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], findings="外出务工，多年未归。")
    start = timezone.make_aware(datetime(2026, 6, 2, 9, 0))
    for n in range(attempts):
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


@pytest.fixture
def batch(world, org):
    """Records of different lengths, a long name among them, so that neither page counts nor the
    running title's width carry over from one case to the next."""
    return [
        case_with_log(world, org, "周续页", 14),
        case_with_log(world, org, "欧阳一二三四", 1),
        case_with_log(world, org, "吴三页", 30),
    ]


def rasters(path):
    """Every page as a picture (PGM bytes), in order."""
    out = path.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "60", "-gray", str(path), str(out)], check=True)
    return [p.read_bytes() for p in sorted(path.parent.glob(f"{out.name}-*.pgm"))]


def pages_text(path):
    """The text of every page, laid out (one pdftotext for the whole file)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_each_record_of_a_batch_has_its_own_copies_and_prints_as_the_case_alone(batch, tmp_path):
    rendered = list(pdf.record_pdfs(batch))
    assert [case for case, _ in rendered] == batch
    per_copy_counts = []
    for case, content in rendered:
        path = tmp_path / f"batch-{case.pk}.pdf"
        path.write_bytes(content)
        pages = pages_text(path)
        assert len(pages) == page_count(path) and len(pages) % len(pdf.COPIES) == 0
        per_copy = len(pages) // len(pdf.COPIES)
        per_copy_counts.append(per_copy)
        for number, text in enumerate(pages, 1):
            copy, within = divmod(number - 1, per_copy)
            page = lines(text)
            header, footer = page[0], re.sub(r"\s+", "", page[-1])
            assert header.endswith(pdf.COPIES[copy]), (case.member.name, number, header)
            assert footer == f"第{within + 1}页共{per_copy}页", (case.member.name, number, footer)
            if within == 0:
                assert "（续）" not in header and page[1] == TITLE
            else:
                running = re.sub(r"\s+", "", header)
                assert running.startswith(f"{TITLE}（续）姓名：{case.member.name}"), (number, header)
        # Nothing of the batch's shared fonts or drawing shows: the same pixels as the case alone.
        alone = tmp_path / f"alone-{case.pk}.pdf"
        alone.write_bytes(pdf.record_pdf(case))
        assert rasters(path) == rasters(alone), case.member.name
    assert per_copy_counts[0] < per_copy_counts[2]  # the page count of one case does not carry over
