"""The kinds of long work. Each app registers its own in its `jobs.py`, discovered at start-up like
Django's `admin.py`, so the core never names an app:

    register("roster", label="失联党员名册", perm=perms.EXPORT_REPORTS, run=run_roster)

`run(job, output, progress)` does the work for `job` (its `organization`, `user`, `params`),
writes the file into `output` (a binary temporary file) and reports `progress(done, total)` as it
goes; it returns an `Outcome`. It runs with `job.user` as the history user. A `ValidationError`
it raises is shown to the user as the reason (Chinese, no personal numbers); anything else is
logged for the administrator and the user reads a general message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from lianxin import perms

INTERRUPTED = "任务中断，请重新导出。"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Outcome:
    filename: str = ""  # the download's name; empty: the job leaves no file (an import)
    rows: int = 0  # persons in the file: the count of the Disclosure recorded at download
    summary: str = ""  # one line for the job's page ("导入完成：新增 …")


def counted(rows, progress, total):
    """The rows, reporting each one done (Progress writes only about once a second)."""
    for done, row in enumerate(rows, start=1):
        yield row
        progress(done, total)


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    run: Callable
    perm: str = perms.EXPORT_REPORTS  # checked on the job's organization to start it and to download
    suffix: str = ".xlsx"
    content_type: str = XLSX
    # The file holds full 身份证号 and phone numbers: each download is recorded as a Disclosure.
    personal: bool = True
    # Only reads (a report): run inside reads_from_replica(), on the streaming replica if there is one.
    replica_reads: bool = False
    # Shown when the worker stopped in the middle: what the user should do again.
    interrupted: str = INTERRUPTED
    # The page the job's page links back to: (label, job -> URL), e.g. ("报表", …).
    back: tuple | None = None

    @property
    def file_name(self):
        """The file's name in the job's folder (the download is named by the Outcome)."""
        return f"{self.key}{self.suffix}"

    def back_link(self, job):
        return (self.back[0], self.back[1](job)) if self.back else None


_KINDS: dict[str, JobKind] = {}


def register(key, *, label, run, **options):
    _KINDS[key] = JobKind(key, label, run, **options)
    return _KINDS[key]


def get(key):
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"no job kind registered as {key!r}") from None


def back_link(job):
    kind = _KINDS.get(job.kind)
    return kind.back_link(job) if kind else None


def label(key):
    kind = _KINDS.get(key)
    return kind.label if kind else key
