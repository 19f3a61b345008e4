from django.core.management import call_command
from django.core.management.base import BaseCommand

from lianxin.demo import logins_table, seed


class Command(BaseCommand):
    help = "创建演示数据（可重复运行；--reset 清空后重建）"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新生成演示数据")

    def handle(self, *args, reset=False, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        world = seed(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪：{world.root.name}，党组织 {len(world.orgs)} 个。")
        )
        self.stdout.write(logins_table())
