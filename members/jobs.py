"""The members' long work, run on the worker (lianxin/jobs): the confirmed import of a big 花名册.

The upload waits in its preview folder (LIANXIN_IMPORT_DIR, shared by the servers and the worker);
the import checks every row again and writes them all in one transaction, as at once, so a job
stopped half-way has written nothing."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin import perms
from lianxin.jobs.registry import Outcome, register
from members.importing import service, storage
from members.importing.parsing import FileError

GONE = "上传的文件已不在服务器上（超过保留时间），未写入任何数据，请重新上传。"
CHANGED = "数据在预览后发生了变化，校验未通过，未写入任何数据。请重新上传。"


def done_message(report):
    return (
        f"导入完成：新增 {report.created} 名，更新 {len(report.updated)} 名，未变化 {report.unchanged} 名。"
    )


def run_import(job, output, progress):
    token, filename, rows = job.params["token"], job.params["filename"], job.params["rows"]
    folder = storage.folder(token)
    path = folder / storage.upload_name(filename) if folder else None
    if path is None or not path.exists():
        raise ValidationError(GONE)

    def report(stage, count):  # each row is read twice: checked, then written
        progress(count if stage == "checked" else rows + count, 2 * rows)

    progress(0, 2 * rows)
    try:
        result = service.import_file(
            path=path, filename=filename, org=job.organization, acting_user=job.user, progress=report
        )
    except FileError as exc:
        raise ValidationError(str(exc)) from None
    finally:
        storage.remove(token)
    if result.errors:
        raise ValidationError(CHANGED)
    return Outcome(summary=done_message(result))


register(
    "import",
    label="导入花名册",
    run=run_import,
    perm=perms.MANAGE_MEMBERS,
    personal=False,  # writes members, leaves no file
    interrupted="任务中断，未写入任何数据，请重新上传并导入。",
    back=("导入花名册", lambda job: reverse("member_import:upload")),
)
