from django.core.management.base import BaseCommand, CommandError

from lianxin.backup import BackupError, restore


class Command(BaseCommand):
    help = "从 backup 生成的文件恢复整个数据库（会覆盖现有数据）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径")
        parser.add_argument("--yes", action="store_true", help="确认覆盖现有数据")

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            raise CommandError("恢复会覆盖当前数据库中的全部数据；确认无误后请加 --yes 重新运行。")
        try:
            restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已从 {file} 恢复"))
