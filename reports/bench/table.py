"""The benchmark's outputs: the printed table, the targets of issue 20, docs/bench.json (this
run), and docs/bench-growth.json (the runs at every size, for the growth table)."""

import json
import os
import platform
from datetime import date
from pathlib import Path

from django.db import connection

from reports.bench.pages import PAGE_LABELS

TARGETS = {
    "page_p95_ms": ("every page, every tier, p95 ms (worst page)", 50),
    "workbench_county_median_ms": ("工作台（县委组织部） median ms", 20),
    "workbench_province_median_ms": ("工作台（省委组织部） median ms", 20),
    "statistics_province_ms": ("统计表（省） ms", 1000),
    "pdfs_100_worker_s": ("100 全程纪实表 through the worker, s", 60),
    "pages_during_exports_p95_ms": ("pages while the worker exports, p95 ms (worst)", 50),
    "web_peak_rss_mb": ("web process during the exports, peak RSS MB", 300),
    "record_pdf_ms": ("one 全程纪实表 PDF, ms", 500),
    "import_100k_s": ("import 100,000 rows, s", 60),
}


def _cell(row, key):
    value = row.get(key)
    return "-" if value is None else str(value)


def table_lines(rows):
    header = (
        f"{'operation':<34} {'size':>9} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'peak MB':>8}  note"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['operation']:<34} {_cell(r, 'size'):>9} {_cell(r, 'median_ms'):>10} {_cell(r, 'p95_ms'):>9} "
            f"{_cell(r, 'queries'):>8} {_cell(r, 'peak_mb'):>8}  {r.get('note', '')}"
        )
    return lines


def is_page(row):
    return row["operation"].startswith(PAGE_LABELS) and row.get("p95_ms") is not None


def measured(rows):
    by_op = {r["operation"]: r for r in rows}

    def get(op, key="median_ms", scale=1):
        row = by_op.get(op)
        return round(row[key] / scale, 2) if row and row.get(key) is not None else None

    workers = [r for r in rows if "pages_during" in r]
    pdfs = next((r for r in workers if r["operation"].startswith("全程纪实表")), None)
    return {
        "page_p95_ms": max((r["p95_ms"] for r in rows if is_page(r)), default=None),
        "workbench_county_median_ms": get("工作台（县委组织部）"),
        "workbench_province_median_ms": get("工作台（省委组织部）"),
        "statistics_province_ms": get("统计表（省）"),
        "pdfs_100_worker_s": round(pdfs["median_ms"] / 1000, 1) if pdfs else None,
        "pages_during_exports_p95_ms": max(
            (r["pages_during"].get("p95_ms") or 0 for r in workers if r["pages_during"]["count"]),
            default=None,
        ),
        "web_peak_rss_mb": max((r["web_peak_rss_mb"] for r in workers), default=None),
        "record_pdf_ms": get("全程纪实表 PDF（1件）"),
        "import_100k_s": get("导入 10万行", scale=1000),
    }


def targets(rows):
    return {
        name: {
            "what": TARGETS[name][0],
            "limit": TARGETS[name][1],
            "measured": value,
            "met": value < TARGETS[name][1],
        }
        for name, value in measured(rows).items()
        if value is not None
    }


def target_lines(rows):
    lines = [f"{'target':<52} {'limit':>7} {'measured':>9}  met"]
    for t in targets(rows).values():
        lines.append(f"{t['what']:<52} {t['limit']:>7} {t['measured']:>9}  {'yes' if t['met'] else 'NO'}")
    return lines


def write_json(output, total, rows, cpu, **extra):
    data = {
        "date": date.today().isoformat(),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "database": connection.vendor,
            "cpu_check_s": {**cpu, "what": "5,000,000-step Python loop"},
        },
        "members": total,
        "rows": rows,
        "targets": targets(rows),
        **{k: v for k, v in extra.items() if v},
    }
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return data


def record_growth(path, data):
    """Keep this run's medians and p95s under its size in `path`; returns every size's."""
    path = Path(path)
    growth = json.loads(path.read_text()) if path.exists() else {}
    entry = growth.setdefault(str(data["members"]), {"rows": {}})
    entry.update(
        date=data["date"],
        cpu_check_s=data["machine"]["cpu_check_s"],
        load_average_1min=data.get("load_average_1min"),
    )
    entry["rows"].update(
        {
            r["operation"]: {k: r.get(k) for k in ("median_ms", "p95_ms", "queries")}
            for r in data["rows"]
            if r.get("median_ms") is not None
        }
    )
    growth = dict(sorted(growth.items(), key=lambda item: int(item[0])))
    path.write_text(json.dumps(growth, ensure_ascii=False, indent=2))
    return growth


def growth_lines(growth):
    """Median ms of each operation at each size measured, and the largest over the smallest."""
    sizes = list(growth)
    if len(sizes) < 2:
        return []
    operations = [op for op in growth[sizes[-1]]["rows"] if all(op in growth[s]["rows"] for s in sizes)]
    head = f"{'operation':<34}" + "".join(f"{int(s):>12,}" for s in sizes) + f"{'growth':>9}"
    lines = [head, "-" * len(head)]
    for op in operations:
        values = [growth[s]["rows"][op]["median_ms"] for s in sizes]
        ratio = f"{values[-1] / values[0]:.2f}×" if values[0] else "-"
        lines.append(f"{op:<34}" + "".join(f"{v:>12}" for v in values) + f"{ratio:>9}")
    checks = "; ".join(f"{int(s):,}: {growth[s]['cpu_check_s'].get('start')} s" for s in sizes)
    lines.append(f"CPU check at the start of each run (0.30 s when quiet): {checks}")
    return lines
