"""The trend page of an organization (/reports/trends/?org=) and its xlsx.

Counts only — no name, no number of a person — so neither the page nor the file records a
Disclosure. The page needs `view_scope`: it shows the counts the 工作台 already shows every viewer
of the scope, and it is linked from the organization page, which every viewer opens. The file
needs `export_reports`, like every file that leaves the system; its link shows only with it.
"""

import io
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lianxin import access, perms
from lianxin.models import Organization
from lianxin.replica import report_reads
from reports import snapshots, xlsx
from reports.trends import COLUMNS, chart_data, table, trend_rows

EXPORT = perms.EXPORT_REPORTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = [heading for _field, heading, _chart in COLUMNS]


def _organization(request):
    """?org= within the user's scope (404 outside it); by default the user's outermost unit."""
    orgs = access.scoped(request.user, access.VIEW, Organization.objects.all())
    pk = request.GET.get("org", "")
    if pk.isdigit() and len(pk) < 19:  # a longer number is no id (and overflows the column)
        org = orgs.filter(pk=pk).first()
    elif pk:
        org = None
    else:
        org = orgs.order_by("depth", "path").first()
    if org is None:
        raise Http404
    return org


@report_reads
def trends(request):
    org = _organization(request)
    rows = trend_rows(org)
    visible = access.scoped(request.user, access.VIEW, Organization.objects.all())
    return render(
        request,
        "reports/trends.html",
        {
            "org": org,
            "breadcrumbs": [o for o in org.chain() if access.can(request.user, access.VIEW, o)],
            "children": visible.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path"),
            "headings": HEADINGS,
            "table": table(rows),
            "chart_data": chart_data(rows),
            "can_export": access.can(request.user, EXPORT, org),
            "case_idle_days": snapshots.CASE_IDLE_DAYS,
            "stage_days": snapshots.STAGE_DAYS,
        },
    )


@report_reads
def trends_xlsx(request):
    org = _organization(request)
    access.require(request.user, EXPORT, org)
    stream = io.BytesIO()
    xlsx.write_trends(
        stream,
        table(trend_rows(org)),
        headings=HEADINGS,
        unit=org.name,
        filled_on=timezone.localdate(),
    )
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'月度趋势-{org.name}.xlsx')}"
    return response
