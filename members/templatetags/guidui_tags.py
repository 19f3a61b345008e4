"""The member page's notice of 成员自报 waiting for the branch (members/selfreports.py)."""

from django import template

from members.models import SelfReportStatus

register = template.Library()


@register.inclusion_tag("members/_pending_self_reports.html")
def pending_self_reports(member):
    reports = member.self_reports.filter(status=SelfReportStatus.PENDING).order_by("received_at", "pk")
    return {"reports": list(reports)}
