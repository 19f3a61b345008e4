from django.core.management.base import BaseCommand

from lianxin.replica import reads_from_replica
from reports import builders, xlsx
from reports.management.commands._options import add_export_arguments, resolve
from tracing.models import LostContactCase


class Command(BaseCommand):
    help = "导出《经查找仍然无法取得联系党员登记表》（Excel）"

    def add_arguments(self, parser):
        add_export_arguments(parser)

    @reads_from_replica()
    def handle(self, *args, output, org, as_of, **options):
        organization, day = resolve(org, as_of)
        cases = LostContactCase.objects.filter(organization__path__startswith=organization.path)
        with open(output, "wb") as stream:
            count = xlsx.write_roster(
                stream,
                builders.register_rows(cases, day, organization.path),
                title="经查找仍然无法取得联系党员登记表",
                unit=organization.name,
                filled_on=day,
            )
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 名党员到 {output}"))
