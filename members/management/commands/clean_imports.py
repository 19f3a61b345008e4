from django.core.management.base import BaseCommand

from members.importing import storage


class Command(BaseCommand):
    help = "删除过期的花名册导入预览文件（上传后未确认导入的文件），可每小时定时运行"

    def handle(self, *args, **options):
        removed = storage.clean_expired()
        self.stdout.write(self.style.SUCCESS(f"已删除 {removed} 个过期的导入预览。"))
