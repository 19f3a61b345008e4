from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from lianxin.models import Organization
from members import idcard
from members.importing.parsing import FileError
from members.importing.service import import_file


class Command(BaseCommand):
    help = "从 Excel（.xlsx）或 CSV 导入党员花名册：先校验全部行，有任何错误则不写入"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="党组织代码（导入到其下的党支部）")
        parser.add_argument(
            "--user", required=True, help="导入人的用户名（须在该党组织任有管理党员权限的职务）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")

    def _progress(self, stage, rows):
        if rows % 10000 == 0:
            self.stdout.write(f"已检查 {rows} 行" if stage == "checked" else f"已写入 {rows} 行")

    def handle(self, *args, file, org, user, dry_run, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"找不到代码为 {org} 的党组织")
        acting_user = get_user_model().objects.filter(username=user).first()
        if acting_user is None:
            raise CommandError(f"找不到用户 {user}")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            report = import_file(
                path=path,
                filename=path.name,
                org=organization,
                acting_user=acting_user,
                dry_run=dry_run,
                progress=self._progress,
            )
        except FileError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied:
            raise CommandError(f"用户 {user} 没有在 {organization.name} 管理党员的权限，未导入。") from None
        if report.errors:
            for e in report.errors[:200]:
                value = (
                    idcard.mask(e.value) if e.column == "身份证号" else e.value
                )  # terminals end up in logs
                self.stderr.write(f"第{e.row}行 {e.column}“{value}”：{e.reason}")
            raise CommandError(f"校验未通过：{len(report.errors)} 处错误，未写入任何数据。")
        for name, masked, fields in report.updated[:200]:
            self.stdout.write(f"更新 {name}（{masked}）：{'、'.join(fields)}")
        verb = "校验通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}：共 {report.rows} 行，新增 {report.created}，更新 {len(report.updated)}，未变化 {report.unchanged}。"
            )
        )
