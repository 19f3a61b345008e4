"""与党组织失去联系时间: one member, one period, on every form and page that prints it."""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Member
from members.status import add_months, duration_text
from reports import builders
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus

DURATION_COLUMN = 11  # 名册 and 登记表: 与党组织失去联系时间


def xlsx_duration(response, name):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return next(row[DURATION_COLUMN] for row in sheet.iter_rows(values_only=True) if row[1] == name)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_one_member_shows_one_lost_period_on_every_form_and_page(world, org, client_for, tmp_path):
    today = timezone.localdate()
    lost_since, closed_on = add_months(today, -20), add_months(today, -5)
    as_of = today - timedelta(days=10)  # the 名册 and 登记表 are dated after the search ended
    expected = duration_text(lost_since, closed_on)
    assert expected == "1年3个月" and duration_text(lost_since, as_of) != expected
    member = MemberFactory(organization=org("branch_a1"), name="郑一致", last_contact_on=lost_since)
    case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        opened_on=add_months(today, -12),
        lost_since=lost_since,
        status=CaseStatus.UNREACHABLE,
        closed_on=closed_on,
        second_search_done_on=closed_on + timedelta(days=10),
    )
    county = client_for("county")
    dated = {"org": org("county").pk, "as_of": as_of}
    printed = {
        "名册": xlsx_duration(county.get(reverse("reports:roster_xlsx"), dated), "郑一致"),
        "登记表": xlsx_duration(county.get(reverse("reports:register_xlsx"), dated), "郑一致"),
    }
    record = tmp_path / "record.pdf"
    record.write_bytes(county.get(reverse("reports:record_pdf", args=[case.pk])).content)
    text = subprocess.run(["pdftotext", "-raw", str(record), "-"], capture_output=True, text=True, check=True)
    copies = re.findall(r"与党组织失去联系时间(\d+年\d+个月|\d+年|\d+个月)", re.sub(r"\s+", "", text.stdout))
    assert len(copies) == 4
    printed.update({f"全程纪实表 第{n + 1}份": value for n, value in enumerate(copies)})
    pages = {
        "案件列表": county.get(reverse("tracing:case_list"), {"q": "郑一致"}).content.decode(),
        "案件页": county.get(reverse("tracing:case_detail", args=[case.pk])).content.decode(),
    }
    for page, html in pages.items():
        printed[page] = expected if re.search(rf">\s*{expected}\s*<", html) else "missing"
    assert printed == dict.fromkeys(printed, expected)


def roster_duration(member, as_of):
    rows = builders.roster_rows(Member.objects.filter(pk=member.pk), as_of)
    return next(rows).duration


AS_OF = date(2026, 11, 1)


def test_the_roster_takes_the_period_of_the_case_that_describes_the_loss(world, org):
    user, branch = world.users["branch_a1"], org("branch_a1")

    def member(last_contact_on, **case):
        m = MemberFactory(organization=branch, last_contact_on=last_contact_on)
        if case:
            CaseFactory(member=m, opened_by=user, opened_on=date(2025, 9, 1), **case)
        return m

    no_case = member(date(2025, 3, 1))
    open_case = member(date(2025, 3, 1), lost_since=date(2025, 3, 1))
    corrected_start = member(date(2025, 3, 1), lost_since=date(2024, 11, 1), lost_since_reason="代缴党费")
    ended = member(
        date(2024, 5, 1),
        lost_since=date(2024, 5, 1),
        status=CaseStatus.UNREACHABLE,
        closed_on=date(2026, 1, 1),
    )
    ends_after_as_of = member(
        date(2024, 5, 1),
        lost_since=date(2024, 5, 1),
        status=CaseStatus.CONTACTED,
        closed_on=date(2026, 11, 20),
    )
    # Found in 2025, lost again since: the old case is not this loss.
    lost_again = member(
        date(2025, 3, 1), lost_since=date(2023, 1, 1), status=CaseStatus.CONTACTED, closed_on=date(2025, 3, 1)
    )
    assert {
        "no case": roster_duration(no_case, AS_OF),
        "open case": roster_duration(open_case, AS_OF),
        "corrected start": roster_duration(corrected_start, AS_OF),
        "search ended": roster_duration(ended, AS_OF),
        "search ends after the form's date": roster_duration(ends_after_as_of, AS_OF),
        "lost again after being found": roster_duration(lost_again, AS_OF),
    } == {
        "no case": "1年8个月",
        "open case": "1年8个月",
        "corrected start": "2年",
        "search ended": "1年8个月",
        "search ends after the form's date": "2年6个月",
        "lost again after being found": "1年8个月",
    }
