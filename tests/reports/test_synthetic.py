"""The benchmark's generator (lianxin/synthetic.py and each app's synthetic.py) writes a valid
tree, valid members, working scopes, a consistent 统计表, and counters equal to the rows."""

from datetime import date

from django.contrib.auth import get_user_model

from disposition.models import Disposition
from lianxin import access, counters, perms
from lianxin.models import Organization, OrgKind
from lianxin.synthetic import Shape, generate
from members import idcard
from members.models import Absence, Attendance, ContactStatus, DuesPayment, Member, Transfer
from reports.builders import statistics_rows
from tracing.models import LostContactCase, SearchAttempt


def test_small_province(db):
    shape = Shape(
        cities=2, counties_per_city=2, committees_per_county=2, branches_per_committee=3, members=240
    )
    generate(shape, log=lambda *_: None)
    assert Organization.objects.count() == shape.organizations == 1 + 2 + 4 + 8 + 24
    assert Organization.objects.filter(kind=OrgKind.BRANCH).count() == 24
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert Member.objects.count() == 240
    for number in Member.objects.values_list("id_number", flat=True)[:50]:
        idcard.parse(number)

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="bench_")}
    members = Member.objects.all()
    assert access.scoped(users["bench_province"], perms.VIEW_SCOPE, members).count() == 240
    assert access.scoped(users["bench_county"], perms.VIEW_SCOPE, members).count() == 60
    assert access.scoped(users["bench_branch"], perms.VIEW_SCOPE, members).count() == 10


def test_small_province_has_history_cases_a_consistent_statistics_table_and_true_counters(db):
    shape = Shape(
        cities=1,
        counties_per_city=2,
        committees_per_county=2,
        branches_per_committee=3,
        members=3000,
        lost_share=0.2,
    )
    generate(shape, log=lambda *_: None)
    lost = Member.objects.filter(contact_status=ContactStatus.LOST).count()
    normal = Member.objects.filter(contact_status=ContactStatus.NORMAL).count()
    assert lost > 400
    assert Member.objects.filter(contact_status=ContactStatus.WARNING).exists()
    assert Member.objects.filter(
        contact_status=ContactStatus.OUT_OF_CONTROL, unreachable_since__isnull=False
    ).exists()
    assert Absence.objects.exists() and Transfer.objects.filter(receipt_received_on__isnull=True).exists()
    assert LostContactCase.objects.count() == lost and SearchAttempt.objects.count() == 3 * lost
    assert DuesPayment.objects.count() == 3000 and Attendance.objects.count() == 2 * normal
    assert Disposition.objects.exists()
    root = Organization.objects.get(depth=1)
    total = statistics_rows(root, date.today(), Member.objects.all())[-1]
    assert total.counts["A"] == lost  # the relations were checked while building

    assert counters.recount().differences == []
    province = counters.totals([root.path], ["members.active", "members.lost", "cases.open"])
    assert province == {"members.active": 3000, "members.lost": lost, "cases.open": (lost + 3) // 4}


def test_the_shape_follows_the_size():
    """About 17 members a branch, 30 branches a committee; a province of 5,000,000 has about
    300,000 organizations, one of 1,000,000 the 62,111 of the earlier runs."""
    assert Shape.for_members(1_000_000).organizations == 62_111
    five = Shape.for_members(5_000_000)
    assert 300_000 <= five.organizations <= 320_000
    assert 15 <= 5_000_000 / (five.organizations * 0.95) <= 18
    small = Shape.for_members(100_000)
    assert (small.cities, small.counties_per_city) == (2, 5) and 6_000 <= small.organizations <= 6_300


def test_the_bench_times_the_large_scopes_todo_snapshot_then_every_page(db, monkeypatch):
    """reports/bench/pages.py on a small province: a large scope's 待办 cards are taken by the
    worker's task first (timed), and every page then answers 200 for every tier."""
    from lianxin import dashboard
    from lianxin.models import TodoSnapshot
    from reports.bench import pages

    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 50)  # the county (60) and the province (240)
    generate(
        Shape(cities=2, counties_per_city=2, committees_per_county=2, branches_per_committee=3, members=240)
    )
    users = pages.users()
    rows = pages.snapshot_rows(users, 240)
    assert [row["operation"] for row in rows] == [
        "后台任务：待办快照（县委组织部）",
        "后台任务：待办快照（省委组织部）",
    ]
    assert all(row["median_ms"] > 0 for row in rows)
    assert set(TodoSnapshot.objects.values_list("user__username", flat=True)) == {
        "bench_county",
        "bench_province",
    }
    calls, failed = pages.page_calls(users)
    assert not failed
    assert {f"{label}（{tier}）" for label, _path in pages.PAGES for tier, _user in pages.PERSONAS} <= set(
        calls
    )
