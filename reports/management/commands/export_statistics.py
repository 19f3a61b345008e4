from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lianxin.replica import reads_from_replica
from members.models import Member
from reports import builders, xlsx
from reports.management.commands._options import add_export_arguments, resolve


class Command(BaseCommand):
    help = "导出统计表（附件5，Excel）"

    def add_arguments(self, parser):
        add_export_arguments(parser)

    @reads_from_replica()
    def handle(self, *args, output, org, as_of, **options):
        organization, day = resolve(org, as_of)
        try:
            rows = builders.statistics_rows(organization, day, Member.objects.all())
        except builders.StatisticsError as exc:
            raise CommandError(str(exc)) from None
        with open(output, "wb") as stream:
            xlsx.write_statistics(
                stream, rows, unit=organization.name, as_of=day, filled_on=timezone.localdate()
            )
        self.stdout.write(self.style.SUCCESS(f"已导出统计表（{organization.name}，{day}）到 {output}"))
