"""The trend page and its xlsx: the numbers shown equal the snapshots and a direct count; scope."""

import io
import json
from datetime import date

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from lianxin.models import Disclosure, Role
from lianxin.posts import post_assign
from reports import snapshots
from reports.models import MonthlySnapshot
from reports.trends import COLUMNS
from tests.factories import MemberFactory
from tests.reports.snapshot_data import direct_counts, seed_today

FIELDS = [field for field, _heading, _chart in COLUMNS]


def page(client, org):
    return client.get(f"{reverse('reports:trends')}?org={org.pk}")


def table_rows(response):
    """{month: [numbers]} of the page's table."""
    doc = html.fromstring(response.content.decode())
    return {
        tr.xpath("string(th)"): [int(td.text_content()) for td in tr.xpath("td")]
        for tr in doc.xpath('//table[contains(@class, "trend")]/tbody/tr')
    }


def test_the_page_shows_a_direct_count(world, org, client_for):
    today = timezone.localdate()
    seed_today(world, org, today)
    snapshots.snapshot_take(today)
    for viewer, key in [("committee_a", "committee_a"), ("county", "county"), ("branch_a1", "branch_a1")]:
        rows = table_rows(page(client_for(viewer), org(key)))
        expected = direct_counts(org(key), today)
        assert rows == {f"{today:%Y-%m}": [expected[f] for f in FIELDS]}, key


def test_table_chart_data_and_xlsx_equal_the_snapshot_rows(world, org, client_for):
    today = timezone.localdate()
    since = snapshots.month_start(date(today.year - 1, today.month, 1))
    MemberFactory(organization=org("branch_a1"), joined_on=date(2000, 1, 1), contact_status="warning")
    snapshots.snapshots_backfill(since)
    committee = org("committee_a")
    response = page(client_for("committee_a"), committee)
    snaps = list(MonthlySnapshot.objects.filter(organization=committee).order_by("month"))
    assert len(snaps) == 13
    expected = {f"{s.month:%Y-%m}": [getattr(s, f) for f in FIELDS] for s in snaps}
    assert table_rows(response) == expected
    # The charts read the same numbers from the json_script element.
    doc = html.fromstring(response.content.decode())
    data = json.loads(doc.get_element_by_id("trend-data").text)
    assert data["labels"] == list(expected)
    lines = {line["name"]: line["values"] for chart in data["charts"] for line in chart["lines"]}
    for index, (field, heading, _chart) in enumerate(COLUMNS):
        assert lines[heading] == [numbers[index] for numbers in expected.values()], field
    # Scripts come from this site only; the data block is not a script the browser runs.
    for script in doc.xpath("//script"):
        assert script.get("src") or script.get("type") == "application/json"
    assert doc.xpath('//a[contains(@href, "trends.xlsx")]')
    # The xlsx: month as text, the same numbers, no personal data and so no Disclosure.
    download = client_for("committee_a").get(f"{reverse('reports:trends_xlsx')}?org={committee.pk}")
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet["A1"].value == f"月度趋势（{committee.name}）"
    assert [c.value for c in sheet[3]][1:-1] == [heading for _f, heading, _c in COLUMNS]
    rows = list(sheet.iter_rows(min_row=4))
    assert {r[0].value: [c.value for c in r[1:-1]] for r in rows} == expected
    assert all(r[0].data_type == "s" for r in rows)
    assert not Disclosure.objects.exists()


def test_page_queries_do_not_grow_with_the_months(world, org, client_for):
    client = client_for("county")
    today = timezone.localdate()
    snapshots.snapshot_take(today)
    page(client, org("county"))  # the session and the grants, once

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert page(client, org("county")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    snapshots.snapshots_backfill(date(today.year - 2, today.month, 1))
    assert MonthlySnapshot.objects.filter(organization=org("county")).count() == 25
    assert count() == few


def test_scope_and_rights(world, org, client_for, django_user_model):
    branch = org("branch_a1")
    snapshots.snapshot_take(timezone.localdate())
    assert page(client_for("branch_a2"), branch).status_code == 404
    assert page(client_for("committee_b"), branch).status_code == 404
    other = client_for("branch_a2").get(f"{reverse('reports:trends_xlsx')}?org={branch.pk}")
    assert other.status_code == 404
    for bad in ("999999", "abc", "9" * 40):
        assert client_for("county").get(f"{reverse('reports:trends')}?org={bad}").status_code == 404
    # Without ?org= the page is the user's own unit.
    own = client_for("branch_a1").get(reverse("reports:trends"))
    assert own.context["org"] == branch
    # An observer (view_scope only) sees the page and no download link; the download is refused.
    observer = django_user_model.objects.create_user("observer")
    post_assign(user=observer, organization=org("committee_a"), title="观察员", role=Role.OBSERVER)
    client = client_for("branch_a1")
    client.force_login(observer)
    response = page(client, branch)
    assert response.status_code == 200 and b"trends.xlsx" not in response.content
    assert client.get(f"{reverse('reports:trends_xlsx')}?org={branch.pk}").status_code == 403


def test_linked_from_the_organization_page_and_the_reports_index(world, org, client_for):
    branch = org("branch_a1")
    detail = client_for("branch_a1").get(reverse("organization_detail", args=[branch.pk])).content.decode()
    assert f"{reverse('reports:trends')}?org={branch.pk}" in detail
    index = client_for("branch_a1").get(reverse("reports:index")).content.decode()
    assert f'formaction="{reverse("reports:trends")}"' in index


def test_no_snapshot_yet_says_how_to_get_one(world, org, client_for):
    response = page(client_for("county"), org("county"))
    assert response.status_code == 200
    assert "take_snapshots" in response.content.decode() and b"trend-data" not in response.content
