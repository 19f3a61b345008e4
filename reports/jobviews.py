"""Report pages that start long work on the worker and send the user to its progress page."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from lianxin import access, dates
from lianxin.jobs.services import job_start
from lianxin.models import Organization
from lianxin.pages import form_page
from lianxin.replica import pinned_to_primary
from reports.jobs import EXPORT, closed_cases

STARTED = "数据量较大，已转入后台生成：完成后可在本页或“我的导出”下载。"


def start_report_job(request, kind, organization, title, **params):
    """Queue a report too big to answer at once and send the user to its progress page."""
    job = job_start(
        acting_user=request.user,
        kind=kind,
        organization=organization,
        title=title,
        params={key: str(value) for key, value in params.items()},
        primary_reads=pinned_to_primary(request),
    )
    messages.info(request, STARTED)
    return redirect("jobs:detail", job.pk)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordsBatchForm(forms.Form):
    organization = forms.ModelChoiceField(label="党组织", queryset=Organization.objects.none())
    closed_from = dates.DateField(label="结案日期从", widget=DATE)
    closed_to = dates.DateField(label="至", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = access.scoped(
            user, EXPORT, Organization.objects.all()
        ).order_by("path")

    def clean(self):
        data = super().clean()
        start, end = data.get("closed_from"), data.get("closed_to")
        if start and end and start > end:
            self.add_error("closed_to", "结束日期不能早于开始日期。")
        if end and end > timezone.localdate():
            self.add_error("closed_to", "结束日期不能晚于今天。")
        return data


def records_batch(request):
    """批量导出全程纪实表: every case of a unit closed within a period, one PDF each, in a zip."""
    if not access.has_any(request.user, EXPORT):
        raise PermissionDenied
    today = timezone.localdate()
    form = RecordsBatchForm(
        request.POST or None,
        user=request.user,
        initial={"closed_from": date(today.year, 1, 1), "closed_to": today},
    )

    def save(data):
        org, start, end = (data[k] for k in ("organization", "closed_from", "closed_to"))
        count = closed_cases(request.user, org, start, end).count()
        if not count:
            raise ValidationError(f"{org.name}在 {start} 至 {end} 期间没有已结案的案件。")
        return job_start(
            acting_user=request.user,
            kind="records",
            organization=org,
            title=f"全程纪实表（{org.name}，{start} 至 {end} 结案，{count} 件）",
            params={"closed_from": start.isoformat(), "closed_to": end.isoformat()},
            primary_reads=pinned_to_primary(request),
        )

    return form_page(
        request,
        form,
        save=save,
        title="批量导出全程纪实表",
        intro="所选党组织及下级在结案日期范围内的每一件案件各生成一份全程纪实表（一式四份），打包为一个压缩文件，在后台生成。",
        submit_label="开始生成",
        done="已开始生成，完成后可在本页或“我的导出”下载。",
        next_url=lambda job: reverse("jobs:detail", args=[job.pk]),
        cancel_url=reverse("reports:index"),
    )
