"""The member's timeline page: what a secretary taking over reads first; it prints."""

from itertools import groupby

from django.shortcuts import render

from lianxin import access
from members.models import Member
from members.timeline import timeline


def member_timeline(request, pk):
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization", "liaison"), pk=pk
    )
    entries = timeline(member, request.user)
    years = [(year, list(rows)) for year, rows in groupby(entries, key=lambda entry: entry.on.year)]
    return render(
        request,
        "members/timeline.html",
        {
            "member": member,
            "years": years,
            "count": len(entries),
            "breadcrumbs": [
                o for o in member.organization.chain() if access.can(request.user, access.VIEW, o)
            ],
        },
    )
