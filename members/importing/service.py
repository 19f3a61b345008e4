"""The import: validate every row first (nothing written on any error), then write all rows in
one transaction with history naming the file and the user. The file is parsed once; the first
pass spools its raw rows to a temporary file that the second pass reads back, so memory stays
flat however long the file is (parsing an .xlsx twice was a third of a 100,000-row import)."""

import pickle
import tempfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lianxin import counters, perms
from lianxin.audit import acting_as
from lianxin.models import Organization, OrgKind
from lianxin.service import REFUSED, service
from members.importing.columns import LABELS
from members.importing.models import ImportBatch, ImportRecord
from members.importing.parsing import FileError, read_rows
from members.importing.validate import COMPARED, RowError, changes, clean_row
from members.models import Member
from members.status import compute_status

BATCH = 2000
# `progress(stage, rows)` is called every this many rows: stage "checked" in pass 1, "written" in pass 2.
PROGRESS_EVERY = 1000
MAX_ERRORS = 5000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: list = field(default_factory=list)  # [(name, id_number masked, [labels of changed fields])]
    unchanged: int = 0
    errors: list = field(default_factory=list)  # [RowError]
    batch: ImportBatch | None = None
    written: bool = False

    @property
    def ok(self):
        return not self.errors


def branches_in(org):
    """Branches of the chosen subtree, by name and by code ('' = the org itself when it is a branch)."""
    found = {}
    for branch in Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH):
        found[branch.name] = found[branch.code] = branch
    if org.kind == OrgKind.BRANCH:
        found[""] = org
    return found


def _existing(id_numbers):
    found = {}
    numbers = list(id_numbers)
    for start in range(0, len(numbers), 1000):
        for member in Member.objects.filter(id_number__in=numbers[start : start + 1000]).select_related(
            "organization"
        ):
            found[member.id_number] = member
    return found


def _spooled(rows, spool):
    """The rows, each also written to `spool` for a second pass."""
    for row in rows:
        pickle.dump(row, spool, pickle.HIGHEST_PROTOCOL)
        yield row


def _replay(spool):
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 — our own temporary file, written by _spooled
        except EOFError:
            return


def check(path, filename, org, *, progress=None, spool=None):
    """Pass 1: every row validated; returns the report and the valid rows' id numbers. With a
    `spool` (a binary temporary file), the raw rows are kept there for pass 2."""
    today = timezone.localdate()
    branches = branches_in(org)
    report = ImportReport()
    seen = {}
    rows = read_rows(path, filename)
    for number, raw in rows if spool is None else _spooled(rows, spool):
        report.rows += 1
        data, errors = clean_row(number, raw, branches, today)
        number_id = data.get("id_number")
        if number_id and number_id in seen:
            errors.append(
                RowError(number, LABELS["id_number"], number_id, f"与第{seen[number_id]}行的身份证号重复")
            )
        elif number_id:
            seen[number_id] = number
        if len(report.errors) < MAX_ERRORS:
            report.errors.extend(errors)
        if progress and report.rows % PROGRESS_EVERY == 0:
            progress("checked", report.rows)
    existing = _existing(seen)
    for number_id, member in existing.items():
        if not member.organization.path.startswith(org.path):
            report.errors.append(
                RowError(
                    seen[number_id], LABELS["id_number"], number_id, "该身份证号已在其他党组织登记，不能导入"
                )
            )
    report.errors.sort(key=lambda e: e.row)
    return report, existing


def _member_from(data, today):
    member = Member(
        **{k: v for k, v in data.items() if k in COMPARED or k in ("id_number", "last_contact_on")}
    )
    member.contact_status = compute_status(last_contact=member.last_contact_on, today=today)
    return member


@service(perm=perms.MANAGE_MEMBERS, on="org")
def import_file(*, path, filename, org, acting_user, dry_run=False, progress=None):
    with tempfile.TemporaryFile() as spool:
        report, existing = check(path, filename, org, progress=progress, spool=spool)
        if report.errors:
            return report
        return _write(report, existing, spool, filename, org, acting_user, dry_run, progress)


def _write(report, existing, spool, filename, org, acting_user, dry_run, progress):
    """Pass 2: the checked rows, read back from the spool, written in one transaction."""
    today = timezone.localdate()
    branches = branches_in(org)
    with transaction.atomic(), acting_as(acting_user):
        batch = ImportBatch.objects.create(user=acting_user, organization=org, file_name=filename[:255])
        pending, records = [], []

        def flush():
            created = bulk_create_with_history(
                pending,
                Member,
                batch_size=BATCH,
                default_user=acting_user,
                default_change_reason=batch.change_reason,
            )
            counters.created(Member, created)
            records.extend(
                ImportRecord(batch=batch, member=m, action=ImportRecord.Action.CREATED) for m in created
            )
            ImportRecord.objects.bulk_create(records, batch_size=BATCH)
            pending.clear()
            records.clear()

        for processed, (number, raw) in enumerate(_replay(spool), start=1):
            if progress and processed % PROGRESS_EVERY == 0:
                progress("written", processed)
            data, _errors = clean_row(number, raw, branches, today)
            member = existing.get(data["id_number"])
            if member is None:
                pending.append(_member_from(data, today))
                report.created += 1
            else:
                diff = changes(member, data)
                if not diff:
                    report.unchanged += 1
                    continue
                previous = {
                    f: (old.isoformat() if hasattr(old, "isoformat") else old) for f, old, _new in diff
                }
                for f, _old, new in diff:
                    setattr(member, f, new)
                member._change_reason = batch.change_reason
                member.save()
                records.append(
                    ImportRecord(
                        batch=batch, member=member, action=ImportRecord.Action.UPDATED, previous=previous
                    )
                )
                labels = [Member._meta.get_field(f).verbose_name for f, _o, _n in diff]
                report.updated.append(
                    (member.name, member.id_number[:4] + "…" + member.id_number[-4:], labels)
                )
            if len(pending) >= BATCH:
                flush()
        flush()
        batch.created_count, batch.updated_count, batch.unchanged_count = (
            report.created,
            len(report.updated),
            report.unchanged,
        )
        batch.save()
        report.batch = batch
        report.written = True
        if dry_run:
            transaction.set_rollback(True)
            report.written = False
            report.batch = None
    return report


def last_batch(user):
    return (
        ImportBatch.objects.filter(user=user, rolled_back_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


@service(perm=perms.MANAGE_MEMBERS, on="batch")
@transaction.atomic
def rollback(*, batch, acting_user):
    """Undo an import: only the records it created or changed, and only if nothing touched them since."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.user_id != acting_user.pk:  # and only by the user who imported
        raise PermissionDenied(REFUSED)
    if batch.rolled_back_at:
        raise ValidationError("该次导入已撤销。")
    if last_batch(acting_user) != batch:
        raise ValidationError("只能撤销您最近一次的导入。")
    records = list(batch.records.select_related("member"))
    touched = []
    for record in records:
        latest = (
            record.member.history.order_by("-history_date", "-history_id").first() if record.member else None
        )
        if latest is None or latest.history_change_reason != batch.change_reason:
            touched.append(record.member.name if record.member else "（已删除）")
    if touched:
        raise ValidationError(f"以下党员在导入后已被修改，不能撤销：{'、'.join(touched[:20])}")
    with acting_as(acting_user):
        for record in records:
            member = record.member
            member._change_reason = f"撤销{batch.change_reason}"[:100]
            if record.action == ImportRecord.Action.CREATED:
                member.delete()  # history keeps the record and who removed it
            else:
                for f, value in record.previous.items():
                    setattr(member, f, Member._meta.get_field(f).to_python(value))
                member.save()
    batch.rolled_back_at = timezone.now()
    batch.save(update_fields=["rolled_back_at"])
    return batch


__all__ = ["FileError", "ImportReport", "check", "import_file", "last_batch", "rollback"]
