"""The benchmark's generator writes a valid tree, valid members, and working scopes."""

from django.contrib.auth import get_user_model

from lianxin import access
from lianxin.models import Organization, OrgKind
from lianxin.synthetic import Shape, generate
from members import idcard
from members.models import Member


def test_small_province(db):
    shape = Shape(
        cities=2, counties_per_city=2, committees_per_county=2, branches_per_committee=3, members=240
    )
    generate(shape, log=lambda *_: None)
    assert Organization.objects.count() == 1 + 2 + 4 + 8 + 24
    assert Organization.objects.filter(kind=OrgKind.BRANCH).count() == 24
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert Member.objects.count() == 240
    for number in Member.objects.values_list("id_number", flat=True)[:50]:
        idcard.parse(number)

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="bench_")}
    members = Member.objects.all()
    assert access.scoped(users["bench_province"], "view_scope", members).count() == 240
    assert access.scoped(users["bench_county"], "view_scope", members).count() == 60
    assert access.scoped(users["bench_branch"], "view_scope", members).count() == 10


def test_small_province_has_history_cases_and_a_consistent_statistics_table(db):
    from disposition.models import Disposition
    from members.models import Attendance, DuesPayment
    from reports.builders import statistics_rows
    from tracing.models import LostContactCase, SearchAttempt

    shape = Shape(
        cities=1,
        counties_per_city=2,
        committees_per_county=2,
        branches_per_committee=3,
        members=600,
        lost_share=0.2,
    )
    generate(shape, log=lambda *_: None)
    lost = Member.objects.filter(contact_status="lost").count()
    assert lost > 50
    assert LostContactCase.objects.count() == lost and SearchAttempt.objects.count() == 3 * lost
    assert DuesPayment.objects.count() == 600 and Attendance.objects.count() == 2 * (600 - lost)
    assert Disposition.objects.exists()
    root = Organization.objects.get(depth=1)
    total = statistics_rows(root, __import__("datetime").date.today(), Member.objects.all())[-1]
    assert total.counts["A"] == lost  # the relations were checked while building
