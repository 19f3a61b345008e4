"""Shared options of the export commands: --output, --org CODE (default: the whole tree), --as-of DATE."""

from django.core.management.base import CommandError
from django.utils import timezone

from lianxin import dates
from lianxin.models import Organization


def add_export_arguments(parser):
    parser.add_argument("--output", required=True, help="输出文件")
    parser.add_argument("--org", help="党组织代码（默认：整个组织树）")
    parser.add_argument("--as-of", dest="as_of", help="排查结束日期 / 统计时间（YYYY-MM-DD，默认今天）")


def resolve(org_code, as_of):
    if org_code:
        org = Organization.objects.filter(code=org_code).first()
        if org is None:
            raise CommandError(f"找不到代码为 {org_code} 的党组织")
    else:
        org = Organization.objects.filter(depth=1).order_by("path").first()
        if org is None:
            raise CommandError("还没有任何党组织")
    try:
        day = dates.parse(as_of) or timezone.localdate()
    except dates.DateError as exc:
        raise CommandError(str(exc)) from None
    return org, day
