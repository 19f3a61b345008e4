"""The trend page on a phone (390 px): reached from the organization page, the charts draw from
the json_script data under the strict CSP with no violation, and nothing scrolls sideways."""

from datetime import date

import pytest
from django.utils import timezone

from members.models import AttendanceStatus
from members.status import add_months
from reports import snapshots
from tests.factories import MemberFactory
from tests.reports.snapshot_data import activity

pytestmark = pytest.mark.django_db(transaction=True)

# Collects every CSP violation of the page, from before its first script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_trend_charts_render_on_a_phone_under_the_csp(world, org, session):
    today = timezone.localdate()
    branch, user = org("branch_a1"), world.users["branch_a1"]
    members = [MemberFactory(organization=branch, joined_on=date(2000, 1, 1)) for _ in range(6)]
    for back in range(12, 0, -2):  # attendance thinning out: lines that move
        held = add_months(today.replace(day=10), -back)
        activity(branch, user, held, {m: AttendanceStatus.PRESENT for m in members[: back // 2]})
    snapshots.snapshots_backfill(date(today.year - 1, today.month, 1))

    page = session.page
    page.add_init_script(WATCH_CSP)
    errors = []  # script errors, and what the console says about the policy
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.set_viewport_size({"width": 390, "height": 844})
    session.login("committee_a")
    session.go(f"/orgs/{org('committee_a').pk}/")
    page.click("text=月度趋势")
    # The canvases are in the page before the scripts at its end have drawn on them.
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll("canvas[data-chart]")).every(function (c) {
             return typeof Chart !== "undefined" && Chart.getChart(c);
           })"""
    )
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map(function (c) {
             var chart = Chart.getChart(c);
             var pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
             var inked = 0;
             for (var i = 3; i < pixels.length; i += 4) if (pixels[i]) inked++;
             return {id: c.dataset.chart, points: chart ? chart.data.labels.length : 0,
                     width: c.getBoundingClientRect().width, inked: inked};
           })"""
    )
    assert [d["id"] for d in drawn] == ["members", "status", "cases", "overdue"]
    for chart in drawn:
        assert chart["points"] == 13 and 200 < chart["width"] <= 390 and chart["inked"] > 500, chart
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table_box = page.locator(".trend-table")
    assert table_box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls in its own box
    session.shot("trends-phone")
    assert page.evaluate("window.__csp") == [] and not errors, (page.evaluate("window.__csp"), errors)
    # The watch works: an inline script is refused and reported.
    page.evaluate(
        "() => { var s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert "script-src" in page.evaluate("window.__csp")[0]
