from django.core.management.base import BaseCommand, CommandError

from lianxin.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份整个数据库（PostgreSQL：pg_dump 自定义格式；SQLite：一致性副本）"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="备份文件路径")

    def handle(self, *args, output, **options):
        try:
            path = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份到 {path}"))
