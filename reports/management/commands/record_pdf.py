from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianxin.replica import reads_from_replica
from reports import pdf
from tracing.models import LostContactCase


class Command(BaseCommand):
    help = "生成《失联党员查找处置全程纪实表》（PDF，一式四份）"

    def add_arguments(self, parser):
        parser.add_argument("case_id", type=int)
        parser.add_argument("--output", required=True)

    @reads_from_replica()
    def handle(self, *args, case_id, output, **options):
        case = LostContactCase.objects.select_related("member", "organization").filter(pk=case_id).first()
        if case is None:
            raise CommandError(f"找不到编号为 {case_id} 的查找案件")
        Path(output).write_bytes(pdf.record_pdf(case))
        self.stdout.write(self.style.SUCCESS(f"已生成 {output}"))
