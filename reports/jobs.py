"""The reports' long work, run on the worker (lianxin/jobs): each kind reads its rows again within
the scope of the user who asked, as the page would have, and writes the file.

- records: the 全程纪实表 of every case of a unit closed within a period, one PDF each, in a zip.
"""

import zipfile
from datetime import date

from django.core.exceptions import ValidationError

from lianxin import access
from lianxin.jobs.registry import Outcome, register
from reports import pdf
from tracing.models import CaseStatus, LostContactCase

EXPORT = "export_reports"
ZIP = "application/zip"


def closed_cases(user, organization, closed_from, closed_to):
    """The cases of `organization`'s subtree closed within the period, that `user` may export."""
    cases = LostContactCase.objects.filter(
        organization__path__startswith=organization.path,
        closed_on__gte=closed_from,
        closed_on__lte=closed_to,
    ).exclude(status=CaseStatus.OPEN)
    return access.scoped(user, EXPORT, cases)


def _entry_name(number, case):
    name = f"{number:04d}-{case.organization.name}-{case.member.name}.pdf"
    return name.replace("/", "／").replace("\\", "＼")


def run_records(job, output, progress):
    period = (date.fromisoformat(job.params["closed_from"]), date.fromisoformat(job.params["closed_to"]))
    cases = closed_cases(job.user, job.organization, *period).select_related("member", "organization")
    total = cases.count()
    if not total:
        raise ValidationError("该期间没有已结案的案件。")
    progress(0, total)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        # PDFs are compressed already; storing them costs nothing and keeps the worker's CPU for them.
        for number, case in enumerate(cases.order_by("organization__path", "closed_on", "pk").iterator(), 1):
            archive.writestr(_entry_name(number, case), pdf.record_pdf(case))
            progress(number, total)
    return Outcome(
        filename=f"全程纪实表-{job.organization.name}-{period[0]}至{period[1]}.zip",
        rows=total,
        summary=f"共 {total} 件案件的全程纪实表（每件一式四份）。",
    )


register("records", label="全程纪实表（批量）", run=run_records, suffix=".zip", content_type=ZIP)
