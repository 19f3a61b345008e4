"""The upload page: choose the organization and the file, preview, confirm; undo the last import."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lianxin import access, actions, perms
from lianxin.jobs.models import JobStatus
from lianxin.jobs.services import is_big, job_start
from lianxin.models import Organization
from members.importing import service, storage
from members.importing.models import ImportBatch
from members.importing.parsing import FileError
from members.importing.report import write_rejected
from members.jobs import done_message

MANAGE = perms.MANAGE_MEMBERS
MAX_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    organization = forms.ModelChoiceField(label="导入到党组织", queryset=Organization.objects.none())
    file = forms.FileField(label="花名册文件（.xlsx 或 .csv）")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = access.scoped(
            user, MANAGE, Organization.objects.all()
        ).order_by("path")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件。")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("文件不能超过 50 MB。")
        return upload


def _stored(request, token, name=None):
    """A file kept server-side between preview and confirm (never in a hidden field): the upload,
    or the rejected-rows report (`name`)."""
    entry = request.session.get("member_import", {})
    folder = storage.folder(token)
    if folder is None or entry.get("token") != token:
        raise Http404
    path = folder / (name or storage.upload_name(entry["filename"]))
    if not path.exists():
        raise Http404
    org = access.get_or_404(request.user, access.VIEW, Organization.objects.all(), pk=entry["org"])
    access.require(request.user, MANAGE, org)
    return path, entry["filename"], org


def _preview(request, org, upload):
    """Dry-run the upload in a fresh folder. Kept afterwards: the upload when it can be confirmed,
    only the rejected-rows report when it has errors; nothing when it cannot be read or anything fails."""
    storage.clean_expired()
    previous = request.session.pop("member_import", None)
    if previous:
        storage.remove(previous.get("token", ""))
    filename = Path(upload.name).name
    token, folder = storage.new_folder()
    path = folder / storage.upload_name(filename)
    try:
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        report = service.import_file(
            path=path, filename=filename, org=org, acting_user=request.user, dry_run=True
        )
        if report.errors:
            with open(folder / storage.REJECTED, "wb") as out:
                write_rejected(out, report.errors)
            path.unlink()
    except BaseException:
        storage.remove(token)
        raise
    request.session["member_import"] = {
        "token": token,
        "filename": filename,
        "org": org.pk,
        "rows": report.rows,
    }
    return report, token


def upload(request):
    actions.require(request.user, "member_import:upload", None)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            report, token = _preview(request, form.cleaned_data["organization"], form.cleaned_data["file"])
        except FileError as exc:
            form.add_error("file", str(exc))
    last = service.last_batch(request.user)
    big = report is not None and is_big(report.rows)
    return render(
        request,
        "members/import/upload.html",
        {"form": form, "report": report, "token": token, "last": last, "big": big},
    )


def _confirm_on_the_worker(request, token, filename, org, rows):
    """A big file is written by the worker; the user follows it on the job's page."""
    storage.touch(token)  # not an expired preview while the job waits in the queue
    job = job_start(
        acting_user=request.user,
        kind="import",
        organization=org,
        title=f"导入花名册“{filename}”（{org.name}，{rows} 行）",
        params={"token": token, "filename": filename, "rows": rows},
    )
    request.session.pop("member_import", None)
    if job.status == JobStatus.DONE:  # run already (tests run tasks at once)
        messages.success(request, job.summary)
    else:
        messages.info(request, "数据量较大，已转入后台导入：本页显示进度，完成后显示结果。")
    return redirect("jobs:detail", job.pk)


@require_POST
def confirm(request):
    token = request.POST.get("token", "")
    path, filename, org = _stored(request, token)
    rows = request.session.get("member_import", {}).get("rows", 0)
    if is_big(rows):
        return _confirm_on_the_worker(request, token, filename, org, rows)
    try:
        report = service.import_file(path=path, filename=filename, org=org, acting_user=request.user)
    finally:
        storage.remove(token)
        request.session.pop("member_import", None)
    if report.errors:
        messages.error(request, "数据在预览后发生了变化，校验未通过，未写入任何数据。请重新上传。")
        return redirect("member_import:upload")
    messages.success(request, done_message(report))
    return redirect("member_import:upload")


def rejected(request, token):
    path, _filename, _org = _stored(request, token, storage.REJECTED)
    response = HttpResponse(
        path.read_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=rejected-rows.xlsx"
    return response


@require_POST
def rollback(request, pk):
    batch = access.get_or_404(request.user, MANAGE, ImportBatch.objects.all(), pk=pk)
    if not request.POST.get("confirm"):
        messages.error(request, "请勾选确认后再撤销导入。")
        return redirect("member_import:upload")
    try:
        service.rollback(batch=batch, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销导入“{batch.file_name}”。")
    return redirect("member_import:upload")
