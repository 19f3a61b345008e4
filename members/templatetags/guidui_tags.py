"""The member page's 归队码 line and its notice of 成员自报 waiting for the branch."""

from django import template

from members import codes
from members.models import SelfReportStatus

register = template.Library()


@register.inclusion_tag("members/_pending_self_reports.html")
def pending_self_reports(member):
    reports = member.self_reports.filter(status=SelfReportStatus.PENDING).order_by("received_at", "pk")
    return {"reports": list(reports)}


@register.inclusion_tag("members/_member_code_line.html", takes_context=True)
def member_code_line(context, member):
    """The member's 归队码 link, for the secretary to send by message (shown to those who manage them)."""
    url = codes.public_url(context["request"], codes.member_code_path(codes.member_code(member)))
    return {"member": member, "url": url}
