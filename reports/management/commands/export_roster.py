from django.core.management.base import BaseCommand

from lianxin.replica import reads_from_replica
from members.models import Member
from reports import builders, xlsx
from reports.management.commands._options import add_export_arguments, resolve


class Command(BaseCommand):
    help = "导出《失联党员名册》（Excel）"

    def add_arguments(self, parser):
        add_export_arguments(parser)

    @reads_from_replica()
    def handle(self, *args, output, org, as_of, **options):
        organization, day = resolve(org, as_of)
        members = Member.objects.filter(organization__path__startswith=organization.path)
        with open(output, "wb") as stream:
            count = xlsx.write_roster(
                stream,
                builders.roster_rows(members, day, organization.path),
                title="失联党员名册",
                unit=organization.name,
                filled_on=day,
            )
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 名失联党员到 {output}"))
