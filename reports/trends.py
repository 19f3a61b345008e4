"""An organization's trend: its monthly snapshots as table rows and as the charts' data."""

from reports.models import MonthlySnapshot

MONTHS_SHOWN = 36

# (field, column heading, chart the line belongs to)
COLUMNS = (
    ("members", "党员", "members"),
    ("warning", "预警", "status"),
    ("out_of_control", "失控", "status"),
    ("lost", "失联", "status"),
    ("cases_opened", "本月立案", "cases"),
    ("cases_closed", "本月结案", "cases"),
    ("cases_open", "月末查找中", "cases"),
    ("dispositions_waiting", "月末审批中处置", "overdue"),
    ("cases_overdue", "超期未查找案件", "overdue"),
    ("dispositions_overdue", "超期未办理处置", "overdue"),
)
CHARTS = (
    ("members", "党员人数"),
    ("status", "预警、失控、失联人数"),
    ("cases", "失联查找案件"),
    ("overdue", "组织处置与超期"),
)


def trend_rows(org):
    """The organization's last MONTHS_SHOWN monthly snapshots, oldest first (one query)."""
    rows = MonthlySnapshot.objects.filter(organization=org).order_by("-month")[:MONTHS_SHOWN]
    return list(rows)[::-1]


def table(rows):
    """[(month label, [numbers in COLUMNS order], as_of, reconstructed)]."""
    return [
        (f"{r.month:%Y-%m}", [getattr(r, field) for field, _h, _c in COLUMNS], r.as_of, r.reconstructed)
        for r in rows
    ]


def chart_data(rows):
    """What static/js/trends.js draws: labels, then each chart's lines (name, values)."""
    return {
        "labels": [f"{r.month:%Y-%m}" for r in rows],
        "charts": [
            {
                "id": chart,
                "title": title,
                "lines": [
                    {"name": heading, "values": [getattr(r, field) for r in rows]}
                    for field, heading, line_chart in COLUMNS
                    if line_chart == chart
                ],
            }
            for chart, title in CHARTS
        ],
    }
