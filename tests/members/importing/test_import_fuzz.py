"""Property: whatever a spreadsheet holds, the importer answers with a clear result — never a crash,
and on any error not a single row written."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.importing.parsing import FileError
from members.importing.service import import_file
from members.models import Member
from tests.test_fuzz_forms import NASTY

HEADER = [
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "入党时间",
    "身份证号",
    "联系电话",
    "所在党支部",
    "人员类别",
    "职业",
]
CELL = st.one_of(NASTY, st.text(max_size=40), st.integers(-(10**6), 10**9).map(str), st.dates().map(str))
ROW = st.lists(CELL, min_size=0, max_size=len(HEADER) + 2)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(ROW, max_size=6), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_spreadsheets_never_crash_and_never_half_import(world, tmp_path, rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    try:
        path.write_bytes(buffer.getvalue().encode(encoding))
    except UnicodeEncodeError:
        return
    before = Member.objects.count()
    try:
        report = import_file(
            path=path,
            filename="fuzz.csv",
            org=world.orgs["610581001001"],
            acting_user=world.users["branch_a1"],
        )
    except FileError as exc:
        assert str(exc)  # a clear message, nothing written
        assert Member.objects.count() == before
        return
    if report.errors:
        assert Member.objects.count() == before
        assert all(e.reason for e in report.errors)
    else:
        assert Member.objects.count() == before + report.created
